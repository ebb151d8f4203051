package org.dialbalance.policy.roundrobin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
                .containsExactly(new ConfigProblem("policy-options.round-robin.weight", "3",
                        "one of the options of round-robin: slow-start"));
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

    @Test
    void concurrentRequestsShareTheRotationExactly() throws Exception {
        BalancerConfig config = BalancerConfig.parse(CONFIG.formatted(""));
        BalancingPolicy policy = valid(new RoundRobinPolicyProvider().create(RecordingPolicyContext.of(config, "round-robin")));
        ClusterSnapshot snapshot = allUp(config);
        int threads = 4;
        int perThread = 30_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    int[] perNode = new int[3];
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        perNode[((Route.To) policy.route(request(DialingMode.PREDICTIVE), snapshot)).node().dbid() - 101]++;
                    }
                    return perNode;
                }));
            }
            start.countDown();
            int[] total = new int[3];
            for (var count : counts) {
                int[] perNode = count.get(30, TimeUnit.SECONDS);
                for (int n = 0; n < 3; n++) {
                    total[n] += perNode[n];
                }
            }
            // each successful compare-and-set moves the cursor one node on: 120,000 requests over 3 nodes is 40,000 each, however the threads interleave
            assertThat(total).containsExactly(40_000, 40_000, 40_000);
        } finally {
            pool.shutdownNow();
        }
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

    private static List<Integer> routes(BalancingPolicy policy, ClusterSnapshot snapshot, int count) {
        List<Integer> nodes = new ArrayList<>();
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
