package org.dialbalance.benchmarks.e2e;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.benchmarks.Fixtures;
import org.dialbalance.metrics.micrometer.DialBalancerMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What metrics add to one dial, alone: {@link DialBalancerMetrics#onOutcome} for a {@code Dialed} outcome (the dial
 * path's only metrics call; {@code onRouted} is not overridden), in nanoseconds and bytes per outcome, on the two
 * registries {@link MetricsOverhead} runs end to end. Its cost next to the client's CPU time per request (§2) bounds
 * the end-to-end slowdown on a machine too busy to measure it directly.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MetricsOutcomeCost {

    /** The registry: {@code simple} or {@code prometheus}. */
    @Param({"simple", "prometheus"})
    public String registry;

    private MeterRegistry meters;
    private DialBalancerMetrics metrics;
    private final DialOutcome.Dialed[] outcomes = new DialOutcome.Dialed[4];
    private int next;

    /** The metrics on a fresh registry, and dialed outcomes on four nodes. */
    @Setup(Level.Trial)
    public void setUp() {
        meters = switch (registry) {
            case "simple" -> new SimpleMeterRegistry();
            case "prometheus" -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            default -> throw new IllegalArgumentException("registry = " + registry + ": expected simple or prometheus");
        };
        metrics = DialBalancerMetrics.builder(meters).build();
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = new DialOutcome.Dialed(Fixtures.callWithUserData(Fixtures.regularGroup(), i),
                    NodeId.of(Fixtures.FIRST_DBID + i), LinkRole.PRIMARY, i, "conn-" + i);
        }
    }

    /** One dialed outcome, metered: a counter increment and a timer record with its histogram. */
    @Benchmark
    public void dialedOutcome() {
        int i = next++ & (outcomes.length - 1);
        metrics.onOutcome(outcomes[i], 150_000L + i);
    }

    /** Closes the registry. */
    @TearDown(Level.Trial)
    public void tearDown() {
        meters.close();
    }
}
