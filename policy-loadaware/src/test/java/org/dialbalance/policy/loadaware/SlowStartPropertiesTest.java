package org.dialbalance.policy.loadaware;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.NodeOptions;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.RecordingPolicyContext;
import org.dialbalance.harness.property.ClusterCase;
import org.dialbalance.harness.property.Generator;
import org.dialbalance.harness.property.Guarantee;
import org.dialbalance.harness.property.PolicyDriver;
import org.dialbalance.harness.property.PropertyRunner;
import org.dialbalance.harness.property.Step;
import org.dialbalance.policy.roundrobin.RoundRobinPolicyProvider;
import org.junit.jupiter.api.Test;

/**
 * Slow start's properties on the project's engine, with the manual clock: 10,000 generated clusters per policy
 * (link failures and recoveries make nodes become active again), the clock moving a fixed step per action (a fortieth
 * or a tenth of the window, so some ramps end within a case and some do not). A model stands beside the policy and
 * computes, request by request, the share each node should take: a ramping node takes the fraction
 * {@code max(10%, t / window)} of its turns, so its count within a run of requests on one active set is the sum of its
 * expected shares within {@value #TOLERANCE}; with slow start off the same model would fail on the first ramp.
 */
class SlowStartPropertiesTest {

    private static final int CASES = 10_000;
    private static final int TOLERANCE = 3;
    private static final Duration WINDOW = Duration.ofSeconds(40);
    private static final Generator REGULAR = new Generator(true, false, 24);

    @Test
    void weightedRoundRobinRampsANodeThatBecomesActiveAgain() {
        check("SLOW_START_WEIGHTED", cluster -> run(cluster, new WeightedRoundRobinPolicyProvider(),
                LoadAwarePropertiesTest.weights(cluster), true));
    }

    @Test
    void roundRobinRampsANodeThatBecomesActiveAgain() {
        int[] ones = new int[8];
        Arrays.fill(ones, 1);
        check("SLOW_START_ROUND_ROBIN", cluster -> run(cluster, new RoundRobinPolicyProvider(),
                Arrays.copyOf(ones, cluster.nodeCount()), false));
    }

    @Test
    void slowStartOptionsAreCheckedAndNamed() {
        assertThat(problems(Map.of("slow-start.window", "soon", "slow-start.min-weight-percent", "0",
                "slow-start.aggression", "11", "slow-start.ramp", "1"))).containsExactlyInAnyOrder(
                new ConfigProblem("policy-options.weighted-round-robin.slow-start.ramp", "1",
                        "one of the options of slow-start: aggression, min-weight-percent, window"),
                new ConfigProblem("policy-options.weighted-round-robin.slow-start.window", "soon",
                        "a duration from 1ms to 1h, a whole number with ms, s or m (e.g. 60s)"),
                new ConfigProblem("policy-options.weighted-round-robin.slow-start.min-weight-percent", "0",
                        "a whole number from 1 to 100"),
                new ConfigProblem("policy-options.weighted-round-robin.slow-start.aggression", "11", "a number from 0.1 to 10"));
        assertThat(problems(Map.of("slow-start.min-weight-percent", "50"))).containsExactly(
                new ConfigProblem("policy-options.weighted-round-robin.slow-start.window", "(missing)",
                        "the ramp's length, 1ms to 1h (e.g. 60s)"));
        assertThat(problems(Map.of("slow-start", "60s"))).containsExactly(
                new ConfigProblem("policy-options.weighted-round-robin.slow-start", "60s",
                        "a block { window = 60s, min-weight-percent = 10, aggression = 1.0 }"));
        assertThat(problems(Map.of("slow-start.window", "90m"))).singleElement()
                .satisfies(problem -> assertThat(problem.option()).endsWith("slow-start.window"));
        assertThat(problems(Map.of("slow-start.window", "1500ms", "slow-start.aggression", "0.5"))).isEmpty();
    }

    private static List<ConfigProblem> problems(Map<String, String> options) {
        ClusterCase cluster = REGULAR.next(new java.util.SplittableRandom(1));
        ConfigResult<BalancingPolicy> result = new WeightedRoundRobinPolicyProvider().create(
                new RecordingPolicyContext(cluster.topology(), cluster.campaignGroups(), options));
        return result instanceof ConfigResult.Invalid<BalancingPolicy> invalid ? invalid.problems() : List.of();
    }

    private static void check(String name, PropertyRunner.Property property) {
        PropertyRunner.check(name, PropertyRunner.seed(), PropertyRunner.cases(CASES), REGULAR, property, cluster -> { });
    }

    private static Optional<String> run(ClusterCase cluster, BalancingPolicyProvider provider, int[] weights, boolean weighted) {
        ManualScheduler clock = new ManualScheduler();
        RecordingPolicyContext context = new RecordingPolicyContext(cluster.topology(), cluster.campaignGroups(),
                Map.of("slow-start.window", WINDOW.toMillis() + "ms")).withClock(clock::nanoTime)
                .withNodeOptions(index -> new NodeOptions(weights[index], NodeOptions.UNLIMITED));
        BalancingPolicy policy = LoadAwarePropertiesTest.create(provider, context);
        Duration step = WINDOW.dividedBy(cluster.prime() % 2 == 0 ? 40 : 10);
        RampModel model = new RampModel(policy, clock, step, weights, weighted, cluster.nodeCount());
        List<Step> steps = PolicyDriver.run(cluster, model);
        return model.violation().or(() -> Guarantee.NEVER_INACTIVE.test(cluster, steps))
                .or(() -> Guarantee.PRIME_DOWN_HELD.test(cluster, steps));
    }

    /** Moves the clock, notes activations as the policy sees them, and checks each ramping node's count. */
    private static final class RampModel implements BalancingPolicy {
        private final BalancingPolicy policy;
        private final ManualScheduler clock;
        private final Duration step;
        private final int[] weights;
        private final boolean weighted;
        private final boolean[] wasActive;
        private final long[] since;
        private final boolean[] rampedInRun;
        private final int[] counts;
        private final double[] expected;
        private int clockStep;
        private long seenVersion = -1;
        private List<NodeId> runSet;
        private String violation;

        RampModel(BalancingPolicy policy, ManualScheduler clock, Duration step, int[] weights, boolean weighted, int nodes) {
            this.policy = policy;
            this.clock = clock;
            this.step = step;
            this.weights = weights;
            this.weighted = weighted;
            this.wasActive = new boolean[nodes];
            this.since = new long[nodes];
            this.rampedInRun = new boolean[nodes];
            this.counts = new int[nodes];
            this.expected = new double[nodes];
            Arrays.fill(since, Long.MIN_VALUE);
        }

        Optional<String> violation() {
            return Optional.ofNullable(violation);
        }

        @Override
        public Route route(DialRequest request, ClusterSnapshot snapshot) {
            int index = Integer.parseInt(request.userData().get("step"));
            clock.advance(step.multipliedBy(index - clockStep));
            clockStep = index;
            Route route = policy.route(request, snapshot);
            if (violation != null || !snapshot.isPrimeActive() || request.group().mode().isSeizing()) {
                return route;
            }
            long now = clock.nanoTime();
            if (snapshot.version() > seenVersion) {
                for (int i = 0; i < wasActive.length; i++) {
                    boolean active = snapshot.isActive(i);
                    if (active && !wasActive[i] && seenVersion >= 0) {
                        since[i] = now;
                    }
                    wasActive[i] = active;
                }
                seenVersion = snapshot.version();
            }
            if (!snapshot.activeNodes().equals(runSet)) {
                runSet = snapshot.activeNodes();
                Arrays.fill(counts, 0);
                Arrays.fill(expected, 0);
                Arrays.fill(rampedInRun, false);
            }
            double[] fraction = new double[wasActive.length];
            double sum = 0;
            long totalWeight = 0;
            for (int n = 0; n < snapshot.activeCount(); n++) {
                int node = snapshot.activeIndex(n);
                long elapsed = now - since[node];
                fraction[node] = since[node] == Long.MIN_VALUE || elapsed >= WINDOW.toNanos() ? 1.0
                        : Math.max(0.1, (double) elapsed / WINDOW.toNanos());
                rampedInRun[node] |= fraction[node] < 1.0;
                sum += fraction[node];
                totalWeight += weights[node];
            }
            for (int n = 0; n < snapshot.activeCount(); n++) {
                int node = snapshot.activeIndex(n);
                expected[node] += weighted ? fraction[node] * weights[node] / totalWeight : fraction[node] / sum;
            }
            if (route instanceof Route.To to) {
                counts[snapshot.topology().indexOf(to.node())]++;
            }
            for (int n = 0; n < snapshot.activeCount(); n++) {
                int node = snapshot.activeIndex(n);
                boolean judged = weighted ? rampedInRun[node] : true;
                if (judged && Math.abs(counts[node] - expected[node]) > TOLERANCE) {
                    violation = "at step " + (index + 1) + ": node #" + node + (rampedInRun[node] ? " (ramping, at "
                            + Math.round(fraction[node] * 100) + "% now)" : "") + " has " + counts[node] + " requests of this run on "
                            + runSet + ", but its slow-start share is " + String.format(java.util.Locale.ROOT, "%.2f", expected[node]);
                }
            }
            return route;
        }
    }
}
