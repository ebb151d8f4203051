package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job end to end, short: the default scenario over the real tserver transport against the embedded
 * cluster, with its whole fault script, must pass every guarantee; a broken policy must fail the verdict.
 */
@Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)   // sockets: a hang fails fast instead of stalling CI
class SimulateCommandTest {

    @Test
    void aShortDefaultScenarioPassesEveryGuaranteeAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = SimulateCommand.run(Scenario.defaultScenario().withRequests(6000).withRate(2000),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintWriter(new StringWriter()), false, false, report);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("VERDICT: PASS").containsPattern("PASS 3\\. prime down => every request held \\(PRIME_NODE_DOWN\\) +checked +[1-9]")
                .contains("held: PRIME_NODE_DOWN");
        assertThat(report).exists();
        assertThat(Files.readString(report)).contains("Verdict: <span class=\"PASS\">PASS").contains("data:image/png;base64,")
                .contains("fault: at 30%: kill 102 backup");
    }

    @Test
    void aPolicyThatHandsADeadNodesShareToItsNeighbourFailsTheVerdict() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = SimulateCommand.run(Scenario.defaultScenario().withRequests(6000).withRate(2000).withLbMode("neighbour-takes-all"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintWriter(new StringWriter()), false, true, null);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(Main.GUARANTEE_FAILED);
        assertThat(text).contains("VERDICT: FAIL").containsPattern("FAIL 2\\. round-robin fairness");
    }
}
