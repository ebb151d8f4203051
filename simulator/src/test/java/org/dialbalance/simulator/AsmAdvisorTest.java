package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.dialbalance.api.NodeId;
import org.dialbalance.core.BalancerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code check-config --advise}: the ASM balance advisor's proposal, its reasons, and the load per node. */
class AsmAdvisorTest {

    /** Four seizing agent groups, all on the prime today (two by fallback); node 103 weighs 2. */
    private static final String CONFIG = """
            dialbalance {
              sip-cluster-lb-mode = round-robin
              sip-cluster-prime-node = 101
              transport = in-memory
              nodes = [
                { dbid = 101, primary { host = a, port = 5000 } }
                { dbid = 102, primary { host = b, port = 5000 } }
                { dbid = 103, weight = 2, primary { host = c, port = 5000 } }
              ]
              agent-groups { AG_A { sip-cluster-asm-dial-node = 101 }, AG_B { sip-cluster-asm-dial-node = 101 }, AG_Lost { sip-cluster-asm-dial-node = 999 } }
              campaign-groups = [
                { name = Big, agent-group = AG_A, dialing-mode = predictive-seizing }
                { name = Mid, agent-group = AG_B, dialing-mode = progressive-seizing }
                { name = Mid2, agent-group = AG_B, dialing-mode = predictive-seizing }
                { name = Small, agent-group = AG_Lost, dialing-mode = predictive-seizing }
                { name = Tiny, agent-group = AG_Unset, dialing-mode = predictive-seizing }
                { name = Sales, agent-group = AG_Sales, dialing-mode = predictive }
              ]
            }
            """;

    private static final NodeId N101 = NodeId.of(101);
    private static final NodeId N102 = NodeId.of(102);
    private static final NodeId N103 = NodeId.of(103);

    @Test
    void sizedGroupsAreSpreadByWeightLargestFirst() {
        BalancerConfig config = BalancerConfig.parse(CONFIG);
        AsmAdvisor.Advice advice = AsmAdvisor.advise(config, Map.of("Big", 60, "Mid", 20, "Mid2", 20, "Small", 30, "Tiny", 10));

        assertThat(advice.today()).containsExactly(Map.entry(N101, 140L), Map.entry(N102, 0L), Map.entry(N103, 0L));
        // largest first: AG_A 60 -> 103 (60/2 = 30 beats 60 on 101 or 102), AG_B 40 -> 101 (stays; ties with 102 at 40,
        // 103 would be 50), AG_Lost 30 -> 102, AG_Unset 10 -> 103 (70/2 = 35 beats 50 and 40)
        assertThat(advice.assignments()).extracting(AsmAdvisor.Assignment::agentGroup, AsmAdvisor.Assignment::load,
                AsmAdvisor.Assignment::today, AsmAdvisor.Assignment::proposed).containsExactly(
                org.assertj.core.groups.Tuple.tuple("AG_A", 60L, N101, N103),
                org.assertj.core.groups.Tuple.tuple("AG_B", 40L, N101, N101),
                org.assertj.core.groups.Tuple.tuple("AG_Lost", 30L, N101, N102),
                org.assertj.core.groups.Tuple.tuple("AG_Unset", 10L, N101, N103));
        assertThat(advice.proposed()).containsExactly(Map.entry(N101, 40L), Map.entry(N102, 30L), Map.entry(N103, 70L));
        assertThat(advice.assignments().get(0).why())
                .isEqualTo("moves: with its 60, node 103 carries 30.0 per unit of weight, the least (101: 60.0, 102: 60.0)");
        assertThat(advice.assignments().get(1).why())
                .isEqualTo("stays: with its 40, node 101 carries 40.0 per unit of weight, the least (102: 40.0, 103: 50.0)");
    }

    @Test
    void withoutSizesEachSeizingGroupCountsOneAndABalancedAssignmentStays() {
        String balanced = CONFIG.replace("AG_B { sip-cluster-asm-dial-node = 101 }", "AG_B { sip-cluster-asm-dial-node = 103 }")
                .replace("{ name = Small, agent-group = AG_Lost, dialing-mode = predictive-seizing }", "")
                .replace("{ name = Tiny, agent-group = AG_Unset, dialing-mode = predictive-seizing }", "");
        BalancerConfig config = BalancerConfig.parse(balanced);
        AsmAdvisor.Advice advice = AsmAdvisor.advise(config, Map.of());

        assertThat(advice.assignments()).extracting(AsmAdvisor.Assignment::load).containsExactly(2L, 1L);
        assertThat(advice.assignments()).noneMatch(AsmAdvisor.Assignment::moves);
        assertThat(AsmAdvisor.describe(config, advice, false)).contains("already balanced: no change proposed")
                .contains("1 per seizing campaign group");
    }

    @Test
    void aSizeForNoSeizingGroupIsRefusedByName() {
        BalancerConfig config = BalancerConfig.parse(CONFIG);
        assertThatThrownBy(() -> AsmAdvisor.advise(config, Map.of("Sales", 5)))
                .hasMessageStartingWith("--size Sales=5: expected the name of a seizing campaign group of the configuration"
                        + " (seizing groups: Big, Mid, Mid2, Small, Tiny)");
    }

    @Test
    void checkConfigAdvisePrintsTheTableTheLoadsAndTheBlockToPaste(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ocs.conf"), CONFIG);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int status = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("check-config", "--advise", "--size", "Big=60", "--size", "Mid=20", "--size", "Mid2=20",
                        "--size", "Small=30", "--size", "Tiny=10", file.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Configuration OK")
                .contains("ASM balance advice")
                .containsPattern("AG_A +60 101 +103 +moves")
                .containsPattern("101 +1 +140 +40")
                .containsPattern("103 +2 +0 +70")
                .contains("AG_A { sip-cluster-asm-dial-node = 103 }")
                .doesNotContain("AG_B { sip-cluster-asm-dial-node");

        StringWriter refused = new StringWriter();
        int bad = new CommandLine(new Main()).setErr(new PrintWriter(refused))
                .execute("check-config", "--size", "Big=60", file.toString());
        assertThat(bad).isEqualTo(2);
        assertThat(refused.toString()).contains("--size is for --advise");
    }
}
