package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.policy.NodeOptions;
import org.junit.jupiter.api.Test;

/** {@code nodes[].weight} and {@code nodes[].max-calls}: defaults, edges, and every bad value refused as written. */
class NodeOptionsConfigTest {

    private static final String CONFIG = """
            dialbalance {
              sip-cluster-prime-node = 101
              nodes = [
                { dbid = 101, primary { host = a, port = 5000 }, %s }
                { dbid = 102, primary { host = b, port = 5000 } }
              ]
            }
            """;

    @Test
    void unsetOptionsMeanWeightOneAndNoCap() {
        BalancerConfig config = BalancerConfig.parse(CONFIG.formatted("name = first"));
        assertThat(config.nodeOptions(0)).isEqualTo(NodeOptions.DEFAULT);
        assertThat(config.nodeOptions(1).capped()).isFalse();
    }

    @Test
    void theEdgesAreAccepted() {
        BalancerConfig low = BalancerConfig.parse(CONFIG.formatted("weight = 1, max-calls = 1"));
        BalancerConfig high = BalancerConfig.parse(CONFIG.formatted("weight = 1000, max-calls = 100000"));
        assertThat(low.nodeOptions(0)).isEqualTo(new NodeOptions(1, 1));
        assertThat(high.nodeOptions(0)).isEqualTo(new NodeOptions(1000, 100_000));
        assertThat(high.nodeOptions(1)).isEqualTo(NodeOptions.DEFAULT);
    }

    @Test
    void valuesOutsideTheirRangeAreRefusedNamingTheNode() {
        assertThat(problems("weight = 0, max-calls = 100001")).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "nodes[0].weight = 0: expected a weight from 1 to 1000",
                "nodes[0].max-calls = 100001: expected a number of calls from 1 to 100000 (max-calls-in-progress, the most calls a node's count remembers)");
        assertThat(problems("weight = 1001, max-calls = 0")).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "nodes[0].weight = 1001: expected a weight from 1 to 1000",
                "nodes[0].max-calls = 0: expected a number of calls from 1 to 100000 (max-calls-in-progress, the most calls a node's count remembers)");
        assertThat(problems("weight = heavy, max-calls = 2.5")).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "nodes[0].weight = heavy: expected a weight from 1 to 1000",
                "nodes[0].max-calls = 2.5: expected a number of calls from 1 to max-calls-in-progress");
        assertThat(problems("wieght = 2")).extracting(ConfigProblem::option).containsExactly("nodes[0].wieght");
    }

    @Test
    void maxCallsIsCappedByMaxCallsInProgressWhichRemembersTheCalls() {
        String raised = CONFIG.formatted("max-calls = 500000").replace("sip-cluster-prime-node = 101",
                "sip-cluster-prime-node = 101\n  max-calls-in-progress = 500000");
        assertThat(BalancerConfig.parse(raised).nodeOptions(0).maxCalls()).isEqualTo(500_000);
        String lowered = CONFIG.formatted("max-calls = 300").replace("sip-cluster-prime-node = 101",
                "sip-cluster-prime-node = 101\n  max-calls-in-progress = 200");
        assertThat(HoconConfigReader.parse(lowered).problems()).extracting(ConfigProblem::message).containsExactly(
                "nodes[0].max-calls = 300: expected a number of calls from 1 to 200 (max-calls-in-progress, the most calls"
                        + " a node's count remembers)");
    }

    @Test
    void aReloadChangesWeightAndMaxCallsLive() {
        BalancerConfig before = BalancerConfig.parse(CONFIG.formatted("weight = 2, max-calls = 300"));
        BalancerConfig after = BalancerConfig.parse(CONFIG.formatted("weight = 5"));

        ConfigDiff diff = ConfigDiff.between(before, after);

        assertThat(diff.changes()).extracting(ConfigDiff.Change::toString).containsExactly(
                "node 101 weight 2 -> 5: weighted policies take it from the next request",
                "node 101 max-calls 300 -> (unlimited): applies to the next request; calls in progress go on");
        assertThat(diff.restartRequired()).isEmpty();
        assertThat(ConfigDiff.between(before, BalancerConfig.parse(CONFIG.formatted("weight = 2, max-calls = 300")))
                .isEmpty()).isTrue();
    }

    @Test
    void theBuilderChecksTheSameRanges() {
        Endpoint endpoint = new Endpoint("a", 5000, PortKind.TC_PORT);
        BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(NodeId.of(101))
                .node(NodeSpec.of(NodeId.of(101), "one", endpoint)).nodeWeight(NodeId.of(101), 0).nodeMaxCalls(NodeId.of(101), -1);
        assertThat(builder.problems()).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "nodes[0].weight = 0: expected a weight from 1 to 1000",
                "nodes[0].max-calls = -1: expected a number of calls from 1 to 100000 (max-calls-in-progress, the most calls a node's count remembers)");
    }

    private static List<ConfigProblem> problems(String nodeOptions) {
        return HoconConfigReader.parse(CONFIG.formatted(nodeOptions)).problems();
    }
}
