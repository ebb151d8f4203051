package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    void twoRunsWithOneSeedPrintIdenticalPerNodeAndOutcomeTables() throws Exception {
        Scenario scenario = Scenario.defaultScenario().withRequests(4000).withRate(4000).withSeed(7);

        String first = run(scenario, () -> false);
        String second = run(scenario, () -> false);

        assertThat(first).contains("VERDICT: PASS").contains("Fault mode: in-stream");
        assertThat(tables(second)).isEqualTo(tables(first)).contains("held: PRIME_NODE_DOWN");
    }

    @Test
    void wallClockFaultsAreJudgedExactlyAndTheSummarySaysWhichModeRan() throws Exception {
        // two faults far apart (1.5 s), so that even a loaded machine's balancer sees the first before the second fires
        Scenario scenario = Scenario.defaultScenario().withRequests(3000).withRate(1000).withFaultMode(FaultMode.WALL_CLOCK)
                .withFaults(List.of(Fault.parse("at 20%: kill 102 primary"), Fault.parse("at 70%: restart 102 primary")));

        String text = run(scenario, () -> false);

        assertThat(text).contains("VERDICT: PASS").contains("(fault mode wall-clock)").contains("Fault mode: wall-clock")
                .containsPattern("PASS 0\\. the fault script ran: every fault applied and observed +checked +2");
    }

    @Test
    void aPolicyThatRoutesOneRequestToAnInactiveNodeFailsTheVerdict() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = SimulateCommand.run(Scenario.defaultScenario().withRequests(3000).withRate(3000).withLbMode("one-inactive-route"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintWriter(new StringWriter()), false, true, null);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(Main.GUARANTEE_FAILED);
        assertThat(text).containsPattern("FAIL 1\\. never routed to an inactive node").contains("which was inactive in the snapshot v")
                .containsPattern("failed: POLICY_ERROR +1\\R");
    }

    @Test
    void stoppingARunEarlyPrintsThePartialSummaryAndVerdictAndExits130(@TempDir Path dir) throws Exception {
        int[] polls = {0};
        Path report = dir.resolve("partial.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = SimulateCommand.run(Scenario.defaultScenario().withRequests(6000).withRate(3000),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintWriter(new StringWriter()), false, true, report,
                () -> ++polls[0] > 1500);    // "Ctrl-C" after about 1,500 requests: the loop polls once per request

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(Main.INTERRUPTED);
        assertThat(text).containsPattern("Issued 1[45]\\d\\d of 6000 requests").contains("Stopped early (interrupted)")
                .contains("VERDICT: PASS").containsPattern("Interrupted: 1[45]\\d\\d of 6000 requests were issued");
        assertThat(report).exists();
    }

    private static String run(Scenario scenario, java.util.function.BooleanSupplier stop) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = SimulateCommand.run(scenario, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintWriter(new StringWriter()),
                false, true, null, stop);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        return text;
    }

    /** The per-node and the outcome tables: everything from the header of the first to the total line of the second. */
    private static String tables(String text) {
        return text.substring(text.indexOf("node "), text.indexOf("\nTime active"));
    }

    @Test
    void aNodeDrainedAndEnabledDuringAFailoverThenAReloadThatAddsANodeAndMovesAnAsmGroupPassEveryGuarantee(@TempDir Path dir)
            throws Exception {
        Scenario scenario = Scenario.load(Path.of("scenarios/operations.conf")).withRequests(4000).withRate(4000);
        Path report = dir.resolve("operations.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = SimulateCommand.run(scenario, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintWriter(new StringWriter()), false, true, report);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("VERDICT: PASS")
                .containsPattern("PASS 0\\. the fault script ran: every fault applied and observed +checked +5")
                .containsPattern("PASS 7\\. nothing routed to a draining node or sent to a removed one +checked +[1-9]")
                .containsPattern("PASS 2\\. round-robin fairness").containsPattern("PASS 4\\. ASM")
                .containsPattern("\\R105 +[1-9]\\d* +[1-9]\\d* ");    // the added node dialed, Retention's calls among them
        assertThat(Files.readString(report)).contains("fault: at 80%: reload reloads/operations-v2.conf")
                .contains("configuration v2 in force");
    }

    @Test
    void aReloadInWallClockModeIsJudgedAgainstTheConfigurationInForceAtEachDecision() throws Exception {
        Scenario operations = Scenario.load(Path.of("scenarios/operations.conf"));
        Fault reload = operations.faults().stream().filter(fault -> fault.action() == Fault.Action.RELOAD).findFirst().orElseThrow();
        Scenario scenario = operations.withRequests(3000).withRate(1000).withFaultMode(FaultMode.WALL_CLOCK)
                .withFaults(List.of(Fault.parse("at 20%: drain 103"), Fault.parse("at 50%: enable 103"), reload));

        String text = run(scenario, () -> false);

        assertThat(text).contains("VERDICT: PASS").containsPattern("PASS 0\\. the fault script ran: every fault applied and observed +checked +3")
                .containsPattern("PASS 4\\. ASM");
    }

    @Test
    void aReloadTheBalancerRefusesIsPrintedAndFailsTheFaultScript(@TempDir Path dir) throws Exception {
        Scenario operations = Scenario.load(Path.of("scenarios/operations.conf"));
        Path restartOnly = Files.writeString(dir.resolve("restart-only.conf"), Files.readString(
                Path.of("scenarios/reloads/operations-v2.conf")).replace("request-timeout = 10", "request-timeout = 11"));
        Scenario scenario = operations.withRequests(1000).withRate(2000).withFaults(List.of(
                Fault.parse("at 50%: reload x.conf").withFile(restartOnly)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = SimulateCommand.run(scenario, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintWriter(new StringWriter()), false, true, null);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(Main.GUARANTEE_FAILED);
        assertThat(text).contains("fault 'at 50%: reload x.conf': reload refused by the balancer, nothing applied: request-timeout")
                .containsPattern("FAIL 0\\. the fault script ran").contains("restart the balancer");
    }

    @Test
    void aScenarioThatDrainsThePrimeIsRefusedBeforeItRuns() {
        Scenario operations = Scenario.load(Path.of("scenarios/operations.conf"));
        com.typesafe.config.Config root = com.typesafe.config.ConfigFactory.parseString("scenario { requests = 10, rate = 10,"
                + " topology.nodes = [ { dbid = 101 }, { dbid = 102 } ], faults = [ \"at 10%: drain 101\", \"at 20%: kill 105\" ] }")
                .withFallback(operations.production());

        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Scenario.parse(root, "t.conf"))
                .withMessageContaining("'at 10%: drain 101' drains the prime node")
                .withMessageContaining("'at 20%: kill 105' names node 105, which scenario.topology.nodes does not have");
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
