package org.dialbalance.policy.loadaware;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.NodeLoadView;
import org.dialbalance.api.policy.PolicyOption;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.harness.CountingNodeLoad;
import org.dialbalance.harness.RecordingPolicyContext;
import org.dialbalance.harness.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

class LoadAwarePolicyProvidersTest {

    private static final String CONFIG = """
            dialbalance {
              sip-cluster-lb-mode = %s
              sip-cluster-prime-node = 101
              nodes = [
                { dbid = 101, primary { host = a, port = 5000 }, weight = 5 }
                { dbid = 102, primary { host = b, port = 5000 }, max-calls = 2 }
                { dbid = 103, primary { host = c, port = 5000 } }
              ]
              %s
            }
            """;

    @Test
    void serviceLoaderFindsBothProvidersUnderTheirNames() {
        assertThat(ServiceLoader.load(BalancingPolicyProvider.class).stream().map(ServiceLoader.Provider::get))
                .extracting(BalancingPolicyProvider::name).contains("weighted-round-robin", "least-busy");
    }

    @Test
    void weightedRoundRobinSpreadsTheHeavyNodesTurnsSmoothly() {
        BalancerConfig config = config("weighted-round-robin", "");
        BalancingPolicy policy = create(new WeightedRoundRobinPolicyProvider(), RecordingPolicyContext.of(config, "weighted-round-robin"));
        // weights 5, 1, 1: nginx's smooth sequence, twice
        assertThat(routes(policy, allUp(config), 14)).containsExactly(101, 101, 102, 101, 103, 101, 101, 101, 101, 102, 101, 103, 101, 101);
    }

    @Test
    void weightedRoundRobinRestartsOnAMembershipChangeAndSkipsTheDepartedNode() {
        BalancerConfig config = config("weighted-round-robin", "");
        BalancingPolicy policy = create(new WeightedRoundRobinPolicyProvider(), RecordingPolicyContext.of(config, "weighted-round-robin"));
        routes(policy, allUp(config), 3);
        ClusterSnapshot without102 = allUp(config).with(NodeStatus.down(NodeId.of(102)));
        assertThat(routes(policy, without102, 6)).containsExactly(101, 101, 101, 103, 101, 101);
    }

    @Test
    void bothSkipAFullNodeAndHoldWhenEveryNodeIsFull() {
        BalancerConfig config = config("least-busy", "");
        CountingNodeLoad load = new CountingNodeLoad(3);
        for (BalancingPolicyProvider provider : List.of(new LeastBusyPolicyProvider(), new WeightedRoundRobinPolicyProvider())) {
            RecordingPolicyContext context = RecordingPolicyContext.of(config, provider.name()).withNodeLoad(load);
            BalancingPolicy policy = create(provider, context);
            load.setCalls(0, 0);
            load.setCalls(2, 0);
            load.setCalls(1, 1);
            load.setAwaiting(1, 1);                                       // 102: 1 call + 1 awaiting = its max-calls 2
            ClusterSnapshot snapshot = allUp(config);
            assertThat(routes(policy, snapshot, 12)).as(provider.name()).doesNotContain(102);
            load.setCalls(0, 50);                                          // 102 has room again, and the others are busy
            load.setCalls(2, 50);
            load.setAwaiting(1, 0);
            assertThat(routes(policy, snapshot, 12)).as(provider.name()).contains(102);
            load.setCalls(1, 2);                                           // 102 full again, 101 and 103 have no cap
            assertThat(routes(policy, snapshot, 12)).as(provider.name()).doesNotContain(102);
        }
        BalancerConfig single = BalancerConfig.parse("""
                dialbalance {
                  sip-cluster-lb-mode = least-busy, sip-cluster-prime-node = 101
                  nodes = [ { dbid = 101, primary { host = a, port = 5000 }, max-calls = 1 } ]
                }
                """);
        CountingNodeLoad busy = new CountingNodeLoad(1);
        busy.setCalls(0, 1);
        for (BalancingPolicyProvider provider : List.of(new LeastBusyPolicyProvider(), new WeightedRoundRobinPolicyProvider())) {
            BalancingPolicy policy = create(provider, RecordingPolicyContext.of(single, provider.name()).withNodeLoad(busy));
            assertThat(policy.route(request(), allUp(single))).as(provider.name()).isInstanceOfSatisfying(Route.Hold.class,
                    hold -> assertThat(hold.reason()).isEqualTo(HoldReason.CLUSTER_AT_CAPACITY));
        }
    }

    @Test
    void leastBusyWithItsIndexSendsToTheLeastLoadedPerWeightAndRotatesTies() {
        BalancerConfig config = config("least-busy", "");
        CountingNodeLoad load = new CountingNodeLoad(3);               // reports changes: the policy keeps its index
        BalancingPolicy policy = create(new LeastBusyPolicyProvider(), RecordingPolicyContext.of(config, "least-busy").withNodeLoad(load));
        ClusterSnapshot snapshot = allUp(config);
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {                                   // each request dialed: a call in progress
            int node = ((Route.To) policy.route(request(), snapshot)).node().dbid();
            chosen.add(node);
            load.addCalls(snapshot.topology().indexOf(NodeId.of(node)), 1);
        }
        // weights 5, 1, 1: all idle, so each in turn; then 101 (1 per 5) stays the least loaded per weight
        assertThat(chosen).containsExactly(101, 102, 103, 101, 101, 101);
        load.setCalls(0, 5);                                            // 1 per unit of weight each, 101 dialed last
        load.setCalls(1, 1);
        load.setCalls(2, 1);
        int tie = ((Route.To) policy.route(request(), snapshot)).node().dbid();
        assertThat(tie).as("of equals, the one whose load grew longest ago").isEqualTo(102);
        load.setCalls(0, 9);                                              // 101: 9 calls, weight 5 => 1.8 per unit
        load.setCalls(1, 1);                                              // 102: 1 call, weight 1, max-calls 2
        load.setCalls(2, 2);                                              // 103: 2 calls, weight 1
        assertThat(routes(policy, snapshot, 3)).containsOnly(102);
    }

    @Test
    void leastBusyWithoutAnIndexRotatesTiesFromThePastTheLastChosen() {
        BalancerConfig config = config("least-busy", "");
        CountingNodeLoad counts = new CountingNodeLoad(3);
        NodeLoadView load = counts.unwatched();  // reports no changes: the policy reads every node
        BalancingPolicy policy = create(new LeastBusyPolicyProvider(), RecordingPolicyContext.of(config, "least-busy").withNodeLoad(load));
        assertThat(routes(policy, allUp(config), 6)).containsExactly(101, 102, 103, 101, 102, 103);
        counts.setCalls(0, 9);
        counts.setCalls(1, 1);
        counts.setCalls(2, 2);
        assertThat(routes(policy, allUp(config), 3)).containsOnly(102);
    }

    @Test
    void theyHoldSeizingGroupsAndPrimeDown() {
        BalancerConfig config = config("least-busy", "");
        for (BalancingPolicyProvider provider : List.of(new LeastBusyPolicyProvider(), new WeightedRoundRobinPolicyProvider())) {
            BalancingPolicy policy = create(provider, RecordingPolicyContext.of(config, provider.name()));
            DialRequest seizing = DialRequest.PredictiveCall.of(CampaignGroup.of("s", DialingMode.PREDICTIVE_SEIZING, "AG"), "7000",
                    "5551234", Duration.ofSeconds(20));
            assertThat(((Route.Hold) policy.route(seizing, allUp(config))).reason().code()).isEqualTo("UNSUPPORTED_MODE");
            assertThat(((Route.Hold) policy.route(request(), allUp(config).with(NodeStatus.down(NodeId.of(101))))).reason())
                    .isEqualTo(HoldReason.PRIME_NODE_DOWN);
        }
    }

    @Test
    void unknownOptionsAndBlocksAreRefusedByTheirTopLevelName() {
        BalancerConfig config = config("least-busy", "policy-options { least-busy { capacity { 101 = 300 }, slow = 1 } }");
        ConfigResult<BalancingPolicy> result = new LeastBusyPolicyProvider().create(RecordingPolicyContext.of(config, "least-busy"));
        assertThat(((ConfigResult.Invalid<BalancingPolicy>) result).problems()).extracting(ConfigProblem::option)
                .containsExactlyInAnyOrder("policy-options.least-busy.capacity", "policy-options.least-busy.slow");
    }

    @Test
    void nestedPolicyOptionsArriveAsATree() {
        BalancerConfig config = config("least-busy", "policy-options { least-busy { capacity { 101 = 300, 102 = 10 }, mode = fast } }");
        Map<String, PolicyOption> tree = RecordingPolicyContext.of(config, "least-busy").optionTree();
        assertThat(tree).containsEntry("mode", new PolicyOption.Value("fast"));
        assertThat(tree.get("capacity")).isInstanceOfSatisfying(PolicyOption.Block.class, block -> assertThat(block.entries())
                .containsEntry("101", new PolicyOption.Value("300")).containsEntry("102", new PolicyOption.Value("10")));
    }

    @Test
    void routeDoesNotAllocateOnItsCommonPath() {
        BalancerConfig config = config("least-busy", "");
        CountingNodeLoad load = new CountingNodeLoad(3);
        ClusterSnapshot snapshot = allUp(config);
        DialRequest request = request();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (BalancingPolicyProvider provider : List.of(new LeastBusyPolicyProvider(), new WeightedRoundRobinPolicyProvider())) {
            BalancingPolicy policy = create(provider, RecordingPolicyContext.of(config, provider.name()).withNodeLoad(load));
            for (int i = 0; i < 100_000; i++) {
                policy.route(request, snapshot);                         // warm up: the JIT removes what escape analysis can
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                policy.route(request, snapshot);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as(provider.name() + ": bytes allocated by 100,000 routes").isLessThan(100_000);
        }
        // least-busy keeps its index on every load change: the dial path's other half, allocation-free as well
        for (int i = 0; i < 100_000; i++) {
            load.addCalls(i % 3, 1);
            load.addCalls(i % 3, -1);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            load.addCalls(i % 3, 1);
            load.addCalls(i % 3, -1);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("least-busy's index: bytes allocated by 200,000 load changes").isLessThan(100_000);
    }

    @Test
    void thePoliciesDependOnTheApiOnly() {
        ArchitectureRules.pluginDependsOnApiOnly("org.dialbalance.policy.loadaware..").check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.dialbalance.policy.loadaware"));
    }

    private static BalancerConfig config(String mode, String extra) {
        return BalancerConfig.parse(CONFIG.formatted(mode, extra));
    }

    private static ClusterSnapshot allUp(BalancerConfig config) {
        ClusterSnapshot snapshot = ClusterSnapshot.initial(config.topology());
        for (var node : config.topology().nodes()) {
            snapshot = snapshot.with(new NodeStatus(node.id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        return snapshot;
    }

    private static DialRequest request() {
        return DialRequest.PredictiveCall.of(CampaignGroup.of("g", DialingMode.PREDICTIVE, "AG"), "7000", "5551234", Duration.ofSeconds(20));
    }

    private static List<Integer> routes(BalancingPolicy policy, ClusterSnapshot snapshot, int count) {
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(((Route.To) policy.route(request(), snapshot)).node().dbid());
        }
        return nodes;
    }

    private static BalancingPolicy create(BalancingPolicyProvider provider, RecordingPolicyContext context) {
        return LoadAwarePropertiesTest.create(provider, context);
    }
}
