package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.Route;
import org.dialbalance.core.BalancerConfig;
import org.junit.jupiter.api.Test;

/**
 * Scenarios with node weights, max-calls and talk time: what the scenario file gives the balancer, and the verdict
 * lines L1 (max-calls never exceeded at any load sample) and L2 (weighted shares within one).
 */
class LoadVerdictTest {

    private static final Path SCENARIOS = Path.of(System.getProperty("user.dir")).resolve("scenarios");

    @Test
    void aScenarioGivesNodesWeightAndMaxCallsAndCallsATalkTime() {
        Scenario scenario = Scenario.load(SCENARIOS.resolve("capacity.conf"));
        assertThat(scenario.talkTime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(scenario.nodes()).extracting(Scenario.SimulatedNode::weight, Scenario.SimulatedNode::maxCalls)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, 150), org.assertj.core.groups.Tuple.tuple(2, 100),
                        org.assertj.core.groups.Tuple.tuple(1, 50));
        BalancerConfig config = BalancerConfig.fromConfig(SimulationRunner.withNodeOptions(
                SimulationRunner.withNodes(scenario.production(), specs(scenario)), scenario.nodes()));
        assertThat(config.nodeOptions(0).weight()).isEqualTo(3);
        assertThat(config.nodeOptions(2).maxCalls()).isEqualTo(50);
        assertThat(Scenario.load(SCENARIOS.resolve("weighted-talk-time.conf")).talkTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(Scenario.defaultScenario().talkTime()).as("no talk time: answered calls never end").isZero();
    }

    @Test
    void maxCallsIsCheckedAtEverySampleAndTheFirstBreachIsNamed() {
        BalancerConfig config = config("least-busy", true);
        List<LoadSample> samples = List.of(new LoadSample(1_000_000_000L, new int[] {2, 1}, new int[] {1, 0}),
                new LoadSample(2_000_000_000L, new int[] {3, 0}, new int[] {0, 0}));
        assertThat(LoadVerdict.judge(run(config, List.of(), samples))).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Verdict.Status.PASS);
            assertThat(result.checked()).isEqualTo(2);          // node 101 is capped, twice sampled
        });
        List<LoadSample> breach = List.of(new LoadSample(1_500_000_000L, new int[] {3, 9}, new int[] {1, 0}));
        assertThat(LoadVerdict.judge(run(config, List.of(), breach))).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Verdict.Status.FAIL);
            assertThat(result.firstViolation()).isEqualTo("at 1.500 s node 101 had 3 calls in progress and 1 requests awaiting"
                    + " replies, above its max-calls 3");
        });
        assertThat(LoadVerdict.judge(run(config("round-robin", false), List.of(), breach))).as("no cap, no line").isEmpty();
    }

    @Test
    void weightedSharesAreWithinOneOnAnUnchangedActiveSet() {
        BalancerConfig config = config("weighted-round-robin", false);     // weights 2 and 1
        assertThat(LoadVerdict.judge(run(config, routes(config, 101, 101, 102, 101, 102, 101), List.of())))
                .singleElement().satisfies(result -> assertThat(result.status()).isEqualTo(Verdict.Status.PASS));
        List<Verdict.Result> skewed = LoadVerdict.judge(run(config, routes(config, 102, 102, 102), List.of()));
        assertThat(skewed).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Verdict.Status.FAIL);
            assertThat(result.firstViolation()).startsWith("node 101 (weight 2) had 0 of 2 decisions");
        });
    }

    private static List<NodeSpec> specs(Scenario scenario) {
        List<NodeSpec> specs = new ArrayList<>();
        for (Scenario.SimulatedNode node : scenario.nodes()) {
            specs.add(NodeSpec.of(node.id(), "n" + node.id(), new org.dialbalance.api.Endpoint("127.0.0.1", 5000 + node.id().dbid(),
                    org.dialbalance.api.PortKind.TC_PORT)));
        }
        return specs;
    }

    /** Nodes 101 (weight 2, max-calls 3 when capped) and 102, prime 101. */
    private static BalancerConfig config(String lbMode, boolean capped) {
        BalancerConfig.Builder builder = BalancerConfig.builder().lbMode(lbMode).primeNode(NodeId.of(101))
                .node(NodeSpec.of(NodeId.of(101), "a", new org.dialbalance.api.Endpoint("a", 5000, org.dialbalance.api.PortKind.TC_PORT)))
                .node(NodeSpec.of(NodeId.of(102), "b", new org.dialbalance.api.Endpoint("b", 5000, org.dialbalance.api.PortKind.TC_PORT)))
                .nodeWeight(NodeId.of(101), 2);
        if (capped) {
            builder.nodeMaxCalls(NodeId.of(101), 3);
        }
        return builder.build();
    }

    private static List<Decision> routes(BalancerConfig config, int... nodes) {
        ClusterSnapshot snapshot = ClusterSnapshot.initial(config.topology());
        for (NodeSpec node : config.topology().nodes()) {
            snapshot = snapshot.with(new org.dialbalance.api.NodeStatus(node.id(), true, false, java.util.Optional.of(LinkRole.PRIMARY)));
        }
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            decisions.add(new Decision(i, i, 1, snapshot, new Route.To(NodeId.of(nodes[i]))));
        }
        return decisions;
    }

    private static SimulationResult run(BalancerConfig config, List<Decision> decisions, List<LoadSample> samples) {
        List<RequestRecord> requests = new ArrayList<>();
        for (int i = 0; i < Math.max(decisions.size(), 1); i++) {
            RequestRecord record = new RequestRecord(i, RunFixtures.REGULAR, false, i);
            record.complete(new DialOutcome.Held(RunFixtures.request(RunFixtures.REGULAR),
                    org.dialbalance.api.HoldReason.CLUSTER_AT_CAPACITY, "full"), i + 1);
            requests.add(record);
        }
        return new SimulationResult(Scenario.defaultScenario().withoutFaults(), config, config.lbMode().orElse(""),
                FaultMode.IN_STREAM, requests, decisions, List.of(), List.of(), List.of(), List.of(), List.of(), 1_000_000_000L, 0L,
                false, samples);
    }
}
