package com.example.dialbalance.weighted;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.harness.RecordingPolicyContext;
import org.dialbalance.harness.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

class WeightedRoundRobinPolicyProviderTest {

    private static final ClusterTopology TOPOLOGY = new ClusterTopology(List.of(node(101), node(102), node(103)), NodeId.of(101));

    @Test
    void serviceLoaderFindsIt() {
        assertThat(ServiceLoader.load(BalancingPolicyProvider.class).stream().map(provider -> provider.get().name()))
                .contains("example-weighted");
    }

    @Test
    void requestsFollowTheWeightsOverActiveNodes() {
        BalancingPolicy policy = create(Map.of("weights", "101:1, 102:3, 103:2"));
        ClusterSnapshot snapshot = allUp();

        Map<Integer, Integer> counts = count(policy, snapshot, 600);
        assertThat(counts).containsEntry(101, 100).containsEntry(102, 300).containsEntry(103, 200);

        Map<Integer, Integer> without102 = count(policy, snapshot.with(NodeStatus.down(NodeId.of(102))), 300);
        assertThat(without102).containsEntry(101, 100).containsEntry(103, 200).doesNotContainKey(102);
    }

    @Test
    void badWeightsAreReportedNotIgnored() {
        ConfigResult<BalancingPolicy> result = new WeightedRoundRobinPolicyProvider()
                .create(new RecordingPolicyContext(TOPOLOGY, List.of(), Map.of("weights", "101:3, 999:1", "wieghts", "x")));

        assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
        assertThat(((ConfigResult.Invalid<BalancingPolicy>) result).problems()).extracting(problem -> problem.option())
                .containsExactlyInAnyOrder("policy-options.example-weighted.wieghts", "policy-options.example-weighted.weights");
    }

    @Test
    void thePluginDependsOnTheApiOnly() {
        ArchitectureRules.pluginDependsOnApiOnly("com.example.dialbalance..").check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.example.dialbalance"));
    }

    private static BalancingPolicy create(Map<String, String> options) {
        ConfigResult<BalancingPolicy> result = new WeightedRoundRobinPolicyProvider()
                .create(new RecordingPolicyContext(TOPOLOGY, List.of(), options));
        assertThat(result).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid<BalancingPolicy>) result).value();
    }

    private static Map<Integer, Integer> count(BalancingPolicy policy, ClusterSnapshot snapshot, int requests) {
        DialRequest request = DialRequest.PredictiveCall.of(CampaignGroup.of("g", DialingMode.PREDICTIVE, "AG"), "7000", "555",
                Duration.ofSeconds(20));
        Map<Integer, Integer> counts = new TreeMap<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            int node = ((Route.To) policy.route(request, snapshot)).node().dbid();
            counts.merge(node, 1, Integer::sum);
            order.add(node);
        }
        return counts;
    }

    private static ClusterSnapshot allUp() {
        ClusterSnapshot snapshot = ClusterSnapshot.initial(TOPOLOGY);
        for (NodeSpec spec : TOPOLOGY.nodes()) {
            snapshot = snapshot.with(new NodeStatus(spec.id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        return snapshot;
    }

    private static NodeSpec node(int dbid) {
        return NodeSpec.of(NodeId.of(dbid), "n" + dbid, new Endpoint("127.0.0.1", 5000 + dbid, PortKind.TC_PORT));
    }
}
