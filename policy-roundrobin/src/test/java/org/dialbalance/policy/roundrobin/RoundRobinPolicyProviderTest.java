package org.dialbalance.policy.roundrobin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.harness.RecordingPolicyContext;
import org.junit.jupiter.api.Test;

class RoundRobinPolicyProviderTest {

    private static final String CONFIG = """
            dialbalance {
              sip-cluster-lb-mode = round-robin
              sip-cluster-prime-node = 101
              nodes = [
                { dbid = 101, primary { host = a, port = 5000 } }
                { dbid = 102, primary { host = b, port = 5000 } }
                { dbid = 103, primary { host = c, port = 5000 } }
              ]
              %s
            }
            """;

    @Test
    void serviceLoaderFindsTheProviderUnderItsName() {
        assertThat(ServiceLoader.load(BalancingPolicyProvider.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(provider -> provider.name().equals("round-robin"))
                .singleElement().isInstanceOf(RoundRobinPolicyProvider.class)
                .satisfies(provider -> assertThat(provider.isAvailable()).isTrue());
    }

    @Test
    void itBuildsFromConfigurationAndRoutesInConfiguredOrder() {
        BalancerConfig config = BalancerConfig.parse(CONFIG.formatted(""));
        BalancingPolicy policy = valid(new RoundRobinPolicyProvider().create(RecordingPolicyContext.of(config, "round-robin")));
        ClusterSnapshot snapshot = allUp(config);

        assertThat(routes(policy, snapshot, 4)).containsExactly(101, 102, 103, 101);
    }

    @Test
    void unknownOptionsAreReportedNotIgnored() {
        BalancerConfig config = BalancerConfig.parse(CONFIG.formatted("policy-options { round-robin { weight = 3 } }"));

        ConfigResult<BalancingPolicy> result = new RoundRobinPolicyProvider().create(RecordingPolicyContext.of(config, "round-robin"));

        assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
        assertThat(((ConfigResult.Invalid<BalancingPolicy>) result).problems())
                .containsExactly(new ConfigProblem("policy-options.round-robin.weight", "3", "no option: round-robin takes none"));
    }

    @Test
    void itHoldsWhenThePrimeIsDownAndRefusesSeizingGroups() {
        BalancerConfig config = BalancerConfig.parse(CONFIG.formatted(""));
        BalancingPolicy policy = valid(new RoundRobinPolicyProvider().create(RecordingPolicyContext.of(config, "round-robin")));
        ClusterSnapshot primeDown = allUp(config).with(NodeStatus.down(NodeId.of(101)));

        assertThat(policy.route(request(DialingMode.PREDICTIVE), primeDown)).isInstanceOfSatisfying(Route.Hold.class,
                hold -> assertThat(hold.reason()).isEqualTo(HoldReason.PRIME_NODE_DOWN));
        assertThat(policy.route(request(DialingMode.PREDICTIVE_SEIZING), allUp(config))).isInstanceOfSatisfying(Route.Hold.class,
                hold -> assertThat(hold.reason().code()).isEqualTo("UNSUPPORTED_MODE"));
    }

    @Test
    void routingReturnsTheSharedRouteInstancesSoItDoesNotAllocate() {
        BalancerConfig config = BalancerConfig.parse(CONFIG.formatted(""));
        BalancingPolicy policy = valid(new RoundRobinPolicyProvider().create(RecordingPolicyContext.of(config, "round-robin")));
        ClusterSnapshot snapshot = allUp(config);

        assertThat(policy.route(request(DialingMode.PREDICTIVE), snapshot)).isSameAs(snapshot.topology().routeTo(0));
    }

    static ClusterSnapshot allUp(BalancerConfig config) {
        ClusterSnapshot snapshot = ClusterSnapshot.initial(config.topology());
        for (var node : config.topology().nodes()) {
            snapshot = snapshot.with(new NodeStatus(node.id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        return snapshot;
    }

    static DialRequest request(DialingMode mode) {
        return DialRequest.PredictiveCall.of(CampaignGroup.of("g", mode, "AG"), "7000", "5551234", Duration.ofSeconds(20));
    }

    private static java.util.List<Integer> routes(BalancingPolicy policy, ClusterSnapshot snapshot, int count) {
        java.util.List<Integer> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(((Route.To) policy.route(request(DialingMode.PREDICTIVE), snapshot)).node().dbid());
        }
        return nodes;
    }

    static BalancingPolicy valid(ConfigResult<BalancingPolicy> result) {
        assertThat(result).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid<BalancingPolicy>) result).value();
    }
}
