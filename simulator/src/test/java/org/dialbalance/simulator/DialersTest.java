package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.ConfigFactory;

/**
 * Several dialers in the main job: the two-dialers scenario runs end to end on a real in-process ZooKeeper and passes,
 * with the take-over reported; the check "never two owners dialing one group" fails records where two dialers
 * interleave on one group with valid tokens, and counts a request the cluster fenced as fenced.
 */
@Timeout(value = 180, unit = java.util.concurrent.TimeUnit.SECONDS)   // sockets and ZooKeeper: a hang fails instead of stalling CI
class DialersTest {

    private final List<ClusterUnderTest.ServerRecord> received = new ArrayList<>();

    @Test
    void theTwoDialersScenarioPassesAndReportsOwnershipAndTheTakeOver(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // 8 s of workload at 500/s; the owner of Sales dies at 40%, and a 2 s session leaves time for the take-over
        Scenario scenario = Scenario.load(Path.of("scenarios/two-dialers.conf")).withRequests(4000);

        int status = SimulateCommand.run(scenario, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintWriter(new StringWriter()), false, true, report);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("VERDICT: PASS")
                .containsPattern("PASS 8\\. never two owners dialing one group \\(server records, tokens\\) +checked +[1-9]")
                .containsPattern("PASS 5\\. exactly one outcome per request, none lost, none sent twice +checked +[1-9]")
                .containsPattern("PASS 9\\. take-over: .* +checked +2\\R.*take-over times \\(session timeout 2\\.000 s\\): Sales \\d+\\.\\d+ s by dialer-b, Service")
                .containsPattern("dialer-a killed at \\d+\\.\\d+ s, owning \\[Sales, Service\\]")
                .containsPattern("Sales +dialer-a \\[\\d+\\] start–\\d+\\.\\d+; dialer-b \\[\\d+\\] \\d+\\.\\d+–end");
        String html = Files.readString(report);
        assertThat(html).contains("Verdict: <span class=\"PASS\">PASS").contains("Which dialer owned which campaign group").contains("<svg")
                .contains("Kills and take-over times");
    }

    @Test
    void twoDialersInterleavingOnOneGroupWithValidTokensAreCaught() {
        dialed("1", "dialer-a", "Sales", 5, false);
        dialed("2", "dialer-b", "Sales", 9, false);
        dialed("3", "dialer-a", "Sales", 5, false);    // admitted after a newer owner dialed: two owners at once

        Verdict.Result result = OwnershipVerdict.neverTwoOwners(received);

        assertThat(result.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(result.checked()).isEqualTo(3);
        assertThat(result.firstViolation()).contains("request #3").contains("from dialer dialer-a")
                .contains("with token 5 after dialer dialer-b dialed it with token 9");
    }

    @Test
    void twoDialersSharingOneTokenAreCaught() {
        dialed("1", "dialer-a", "Sales", 5, false);
        dialed("2", "dialer-b", "Service", 6, false);
        dialed("3", "dialer-b", "Sales", 5, false);

        Verdict.Result result = OwnershipVerdict.neverTwoOwners(received);

        assertThat(result.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(result.firstViolation()).contains("request #3").contains("which dialer dialer-a dialed it with too");
    }

    @Test
    void aFormerOwnersRequestTheClusterRefusedCountsAsFencedNotAsAViolation() {
        dialed("1", "dialer-a", "Sales", 5, false);
        dialed("2", "dialer-b", "Sales", 9, false);
        dialed("3", "dialer-a", "Sales", 5, true);     // late, refused with ErrorCode 57
        dialed("4", "dialer-b", "Sales", 9, false);
        dialed("5", "dialer-a", "Sales", 12, false);   // dialer-a owns Sales again, with a newer token

        Verdict.Result result = OwnershipVerdict.neverTwoOwners(received);

        assertThat(result.status()).as(result.toString()).isEqualTo(Verdict.Status.PASS);
        assertThat(result.checked()).isEqualTo(5);
        assertThat(result.firstViolation()).startsWith("1 request(s) of a former owner refused by the cluster (fenced");
    }

    @Test
    void aDialerRequestWithoutAFencingTokenIsCaught() {
        dialed("1", "dialer-a", "Sales", 5, false);
        received.add(new ClusterUnderTest.ServerRecord(NodeId.of(101), LinkRole.PRIMARY, "2", false, "dialer-b", null));

        Verdict.Result result = OwnershipVerdict.neverTwoOwners(received);

        assertThat(result.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(result.firstViolation()).contains("request #2").contains("carried no fencing token");
    }

    @Test
    void aRunWithOneBalancerSkipsTheCheck() {
        assertThat(OwnershipVerdict.oneDialer().status()).isEqualTo(Verdict.Status.SKIP);
        assertThat(OwnershipVerdict.oneDialer().firstViolation()).isEqualTo("the scenario has one dialer");
    }

    @Test
    void killDialerLinesParseAndAreCheckedAgainstTheScenario() {
        Fault owner = Fault.parse("at 40%: kill-dialer owner-of Sales");
        assertThat(owner.action()).isEqualTo(Fault.Action.KILL_DIALER);
        assertThat(owner.dialer()).isEqualTo("owner-of Sales");
        assertThat(owner.node()).isNull();
        assertThat(owner.stateText()).isEqualTo("the owner of Sales killed");
        assertThat(Fault.parse("at 10%: kill-dialer 2").dialer()).isEqualTo("2");

        assertThatIllegalArgumentException().isThrownBy(() -> Scenario.parse(ConfigFactory.parseString("""
                scenario { requests = 10, rate = 10, topology.nodes = [{ dbid = 101 }], faults = ["at 5%: kill-dialer 1"] }
                dialbalance { sip-cluster-prime-node = 101 }
                """), "one.conf")).withMessageContaining("'at 5%: kill-dialer 1' kills a dialer, but the scenario has one balancer");
        assertThatIllegalArgumentException().isThrownBy(() -> Scenario.parse(ConfigFactory.parseString("""
                scenario {
                  requests = 10, rate = 10, topology.nodes = [{ dbid = 101 }]
                  dialers = [{ id = a }, { id = a }]
                  faults = ["at 5%: kill-dialer 3", "at 6%: kill-dialer owner-of Nobody", "at 7%: kill 101"]
                }
                dialbalance { sip-cluster-prime-node = 101, campaign-groups = [{ name = Sales, agent-group = AG, dialing-mode = predictive }] }
                """), "several.conf"))
                .withMessageContaining("scenario.dialers: expected each dialer's id its own")
                .withMessageContaining("several dialers need dialbalance.coordination = zookeeper, got none")
                .withMessageContaining("names dialer 3; expected 1 to 2")
                .withMessageContaining("names campaign group 'Nobody', which dialbalance.campaign-groups does not define")
                .withMessageContaining("'at 7%: kill 101': a scenario with several dialers plays only kill-dialer lines");
    }

    private void dialed(String id, String dialer, String group, long token, boolean fenced) {
        received.add(new ClusterUnderTest.ServerRecord(NodeId.of(101 + received.size() % 2), LinkRole.PRIMARY, id, false, dialer,
                new ClusterUnderTest.Fencing(group, token, fenced)));
    }
}
