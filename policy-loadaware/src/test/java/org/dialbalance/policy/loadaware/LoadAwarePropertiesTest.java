package org.dialbalance.policy.loadaware;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.NodeLoadView;
import org.dialbalance.api.policy.NodeOptions;
import org.dialbalance.harness.CountingNodeLoad;
import org.dialbalance.harness.RecordingPolicyContext;
import org.dialbalance.harness.property.ClusterCase;
import org.dialbalance.harness.property.Generator;
import org.dialbalance.harness.property.Guarantee;
import org.dialbalance.harness.property.PolicyDriver;
import org.dialbalance.harness.property.PropertyRunner;
import org.dialbalance.harness.property.Step;
import org.junit.jupiter.api.Test;

/**
 * The load-aware policies' own properties, on the project's engine: 10,000 generated clusters (1–8 nodes, any
 * prime, link failures and recoveries, up to 24 steps) per property, each failure shrunk and printed with its seed.
 * Each case gives its nodes weights from 1 to 6 and, for the capacity properties, small caps (1 to 4 calls) on
 * some nodes; a load model stands in for the balancer: a dialed request is a call in progress on its node, calls
 * end now and then, and a node that goes inactive forgets its calls, as core does.
 */
class LoadAwarePropertiesTest {

    private static final int CASES = 10_000;
    private static final Generator REGULAR = new Generator(true, false, 24);

    @Test
    void weightedRoundRobinGivesEachNodeItsWeightedShareWithinOne() {
        check("WEIGHTED_SHARE", cluster -> {
            int[] weights = weights(cluster);
            BalancingPolicy policy = create(new WeightedRoundRobinPolicyProvider(), context(cluster, weights, null, null));
            List<Step> steps = PolicyDriver.run(cluster, policy);
            return Guarantee.NEVER_INACTIVE.test(cluster, steps).or(() -> Guarantee.PRIME_DOWN_HELD.test(cluster, steps))
                    .or(() -> weightedShare(cluster, steps, weights));
        });
    }

    @Test
    void leastBusyNeverPicksANodeBusierThanTheLeastBusy() {
        check("LEAST_BUSY", cluster -> run(cluster, new LeastBusyPolicyProvider(), false, true));
    }

    @Test
    void leastBusyRespectsMaxCalls() {
        check("LEAST_BUSY_CAPACITY", cluster -> run(cluster, new LeastBusyPolicyProvider(), true, true));
    }

    @Test
    void leastBusyChoosesAlikeWithItsIndexAndByReadingEveryNode() {
        check("LEAST_BUSY_INDEX", cluster -> differential(cluster, cluster.nodeCount() % 2 == 0));
    }

    @Test
    void weightedRoundRobinRespectsMaxCalls() {
        check("WEIGHTED_CAPACITY", cluster -> run(cluster, new WeightedRoundRobinPolicyProvider(), true, false));
    }

    private static void check(String name, PropertyRunner.Property property) {
        PropertyRunner.check(name, PropertyRunner.seed(), PropertyRunner.cases(CASES), REGULAR, property, cluster -> { });
    }

    /** Within each run of requests on one active set, |count − n × weight / total| ≤ 1 for every active node. */
    private static Optional<String> weightedShare(ClusterCase cluster, List<Step> steps, int[] weights) {
        int[] window = new int[cluster.nodeCount()];
        int requests = 0;
        List<NodeId> windowSet = null;
        for (Step step : steps) {
            ClusterSnapshot before = step.before();
            if (!step.isRequest() || !step.dialed()) {
                continue;
            }
            if (!before.activeNodes().equals(windowSet)) {
                windowSet = before.activeNodes();
                java.util.Arrays.fill(window, 0);
                requests = 0;
            }
            window[step.node()]++;
            requests++;
            long total = 0;
            for (int n = 0; n < before.activeCount(); n++) {
                total += weights[before.activeIndex(n)];
            }
            for (int n = 0; n < before.activeCount(); n++) {
                int node = before.activeIndex(n);
                long scaled = window[node] * total - (long) requests * weights[node];
                if (Math.abs(scaled) > total) {
                    return Optional.of("at step " + (step.index() + 1) + ": node #" + node + " (weight " + weights[node] + ") has "
                            + window[node] + " of " + requests + " requests on " + windowSet + ", total weight " + total
                            + ": more than one away from its share");
                }
            }
        }
        return Optional.empty();
    }

    /** Runs a policy against the load model, checking the load properties at every decision. */
    private static Optional<String> run(ClusterCase cluster, BalancingPolicyProvider provider, boolean capped, boolean leastBusy) {
        return run(cluster, capped, leastBusy, (load, weights, caps, findings) -> create(provider, context(cluster, weights, caps, load)));
    }

    /**
     * least-busy on a view that reports load changes (it keeps its index) and on one that does not (it reads every
     * node): at every decision both must choose a node of the same load per weight (ties may go to different nodes:
     * each breaks them its own way) or hold for the same reason, under the load model's own checks.
     */
    private static Optional<String> differential(ClusterCase cluster, boolean capped) {
        return run(cluster, capped, true, (load, weights, caps, findings) -> {
            BalancingPolicy indexed = create(new LeastBusyPolicyProvider(), context(cluster, weights, caps, load));
            BalancingPolicy scanning = create(new LeastBusyPolicyProvider(), context(cluster, weights, caps, null)
                    .withNodeLoad(load.unwatched()));
            return (request, snapshot) -> {
                Route first = indexed.route(request, snapshot);
                Route second = scanning.route(request, snapshot);
                if (!sameChoice(first, second, snapshot, load, weights)) {
                    findings.add("on " + request.userData() + " with the index: " + first + "; reading every node: " + second);
                }
                return first;
            };
        });
    }

    /** Builds the policy a run drives, on the run's loads, weights and caps; it may add findings of its own. */
    private interface PolicyUnderTest {
        BalancingPolicy create(CountingNodeLoad load, int[] weights, int[] caps, List<String> findings);
    }

    private static Optional<String> run(ClusterCase cluster, boolean capped, boolean leastBusy, PolicyUnderTest underTest) {
        int[] weights = weights(cluster);
        int[] caps = new int[cluster.nodeCount()];
        for (int i = 0; i < caps.length; i++) {
            caps[i] = capped && (i + cluster.prime()) % 2 == 0 ? 1 + (i * 5 + cluster.nodeCount()) % 4 : NodeOptions.UNLIMITED;
        }
        CountingNodeLoad load = new CountingNodeLoad(cluster.nodeCount());
        List<String> findings = new ArrayList<>();
        LoadModel model = new LoadModel(underTest.create(load, weights, caps, findings), load, weights, caps, leastBusy);
        List<Step> steps = PolicyDriver.run(cluster, model);
        // a CLUSTER_AT_CAPACITY hold is the model's to judge (legitimate only when every active node is full)
        List<Step> notAtCapacity = steps.stream().filter(step -> !HoldReason.CLUSTER_AT_CAPACITY.equals(step.hold())).toList();
        return findings.stream().findFirst().or(model::violation).or(() -> Guarantee.NEVER_INACTIVE.test(cluster, notAtCapacity))
                .or(() -> Guarantee.PRIME_DOWN_HELD.test(cluster, notAtCapacity));
    }

    private static boolean sameChoice(Route first, Route second, ClusterSnapshot snapshot, NodeLoadView load, int[] weights) {
        if (first instanceof Route.To to && second instanceof Route.To other) {
            int a = snapshot.topology().indexOf(to.node());
            int b = snapshot.topology().indexOf(other.node());
            return (long) load.load(a) * weights[b] == (long) load.load(b) * weights[a];
        }
        return first instanceof Route.Hold hold && second instanceof Route.Hold other && hold.reason().equals(other.reason());
    }

    /** Stands between the driver and the policy: keeps the loads and judges every decision on them. */
    private static final class LoadModel implements BalancingPolicy {
        private final BalancingPolicy policy;
        private final CountingNodeLoad load;
        private final int[] weights;
        private final int[] caps;
        private final boolean leastBusy;
        private final AtomicInteger releases = new AtomicInteger();
        private String violation;

        LoadModel(BalancingPolicy policy, CountingNodeLoad load, int[] weights, int[] caps, boolean leastBusy) {
            this.policy = policy;
            this.load = load;
            this.weights = weights;
            this.caps = caps;
            this.leastBusy = leastBusy;
        }

        Optional<String> violation() {
            return Optional.ofNullable(violation);
        }

        @Override
        public Route route(DialRequest request, ClusterSnapshot snapshot) {
            int step = Integer.parseInt(request.userData().get("step"));
            int count = snapshot.nodeCount();
            for (int i = 0; i < count; i++) {
                if (!snapshot.status(i).isActive()) {
                    load.setCalls(i, 0);                          // both links down: core forgets the node's calls
                }
            }
            if (step % 3 == 0) {                                  // now and then a call ends
                int node = releases.getAndIncrement() % count;
                if (load.callsInProgress(node) > 0) {
                    load.addCalls(node, -1);
                }
            }
            Route route = policy.route(request, snapshot);
            if (violation != null || !snapshot.isPrimeActive()) {
                return route;
            }
            boolean allFull = true;
            for (int n = 0; n < snapshot.activeCount(); n++) {
                int node = snapshot.activeIndex(n);
                allFull &= load.load(node) >= caps[node];
            }
            String where = "at step " + (step + 1) + " (loads " + loads(snapshot) + "): ";
            if (route instanceof Route.Hold hold) {
                if (!allFull || !HoldReason.CLUSTER_AT_CAPACITY.equals(hold.reason())) {
                    violation = where + "held " + hold.reason() + (allFull ? " instead of CLUSTER_AT_CAPACITY" : " with room left");
                }
                return route;
            }
            int chosen = snapshot.topology().indexOf(((Route.To) route).node());
            if (allFull) {
                violation = where + "every active node is full, but the request went to #" + chosen;
            } else if (load.load(chosen) >= caps[chosen]) {
                violation = where + "node #" + chosen + " is at its max-calls " + caps[chosen] + " but was chosen";
            } else if (leastBusy) {
                for (int n = 0; n < snapshot.activeCount(); n++) {
                    int other = snapshot.activeIndex(n);
                    if (load.load(other) < caps[other]
                            && (long) load.load(chosen) * weights[other] > (long) load.load(other) * weights[chosen]) {
                        violation = where + "node #" + chosen + " was chosen but #" + other + " is less busy per unit of weight";
                    }
                }
            }
            if (chosen >= 0) {
                load.addCalls(chosen, 1);                          // dialed: a call in progress
                if (load.load(chosen) > caps[chosen] && violation == null) {
                    violation = where + "node #" + chosen + " now has more than its max-calls " + caps[chosen];
                }
            }
            return route;
        }

        private String loads(ClusterSnapshot snapshot) {
            StringBuilder text = new StringBuilder("{");
            for (int i = 0; i < snapshot.nodeCount(); i++) {
                text.append(i == 0 ? "" : ", ").append('#').append(i).append('=').append(load.load(i)).append('/')
                        .append(caps[i] == NodeOptions.UNLIMITED ? "∞" : Integer.toString(caps[i])).append(" w").append(weights[i])
                        .append(snapshot.isActive(i) ? "" : " inactive");
            }
            return text.append('}').toString();
        }
    }

    /** Weights 1..6 that depend on the cluster's shape only, so that shrinking keeps them. */
    static int[] weights(ClusterCase cluster) {
        int[] weights = new int[cluster.nodeCount()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + (i * 7 + cluster.prime() * 3 + cluster.nodeCount()) % 6;
        }
        return weights;
    }

    private static RecordingPolicyContext context(ClusterCase cluster, int[] weights, int[] caps, CountingNodeLoad load) {
        RecordingPolicyContext context = new RecordingPolicyContext(cluster.topology(), cluster.campaignGroups(), Map.of())
                .withNodeOptions(index -> new NodeOptions(weights[index], caps == null ? NodeOptions.UNLIMITED : caps[index]));
        return load == null ? context : context.withNodeLoad(load);
    }

    static BalancingPolicy create(BalancingPolicyProvider provider, RecordingPolicyContext context) {
        ConfigResult<BalancingPolicy> result = provider.create(context);
        if (result instanceof ConfigResult.Invalid<BalancingPolicy> invalid) {
            throw new AssertionError(invalid.problems().toString());
        }
        return ((ConfigResult.Valid<BalancingPolicy>) result).value();
    }
}
