package org.dialbalance.benchmarks.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.benchmarks.Fixtures;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end dial throughput with {@code dialbalance-metrics-micrometer} on and off: the {@link EndToEnd} "echo"
 * setup — {@code DialBalancer} (core, {@code round-robin}, the {@code tserver} transport) over loopback TCP to
 * {@link EchoNodeServer} nodes that answer every request with EventDialing — run closed loop with up to
 * {@value #WINDOW} requests in flight, as {@link LoadDriver#maxThroughput} does: one issuing thread, and once the
 * window is full it waits until half of it has completed, so it is not woken once per completion.
 *
 * <p>{@code metrics}: {@code off} (no observer), {@code simple} (a {@link SimpleMeterRegistry}) or {@code prometheus}
 * (a {@link PrometheusMeterRegistry}, what a host scraped by Prometheus runs); metrics are installed and bound as the
 * README says. The score is dials issued per second, which in a closed loop is the rate they complete. Every dial must
 * end {@code Dialed}: a trial with any other outcome fails instead of reporting a number. Client and servers share the
 * machine.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class MetricsOverhead {

    /** Requests in flight at most. */
    static final int WINDOW = 1024;
    /** Echo nodes (primaries only) and client and server I/O threads, as in the documented end-to-end run. */
    static final int NODES = 4;
    static final int IO_THREADS = 2;

    /** Which metrics: {@code off}, {@code simple} or {@code prometheus}. */
    @Param({"off", "simple", "prometheus"})
    public String metrics;

    private EchoNodeServer server;
    private DialBalancer balancer;
    private MeterRegistry registry;
    private final DialRequest[] requests = new DialRequest[1024];
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder notDialed = new LongAdder();
    private final BiConsumer<DialOutcome, Throwable> onOutcome = (outcome, error) -> {
        if (error != null || !(outcome instanceof DialOutcome.Dialed)) {
            notDialed.increment();
        }
        inFlight.decrementAndGet();
    };
    private int next;

    /** Starts the echo nodes and the balancer, with the metrics asked for, and waits until every node is active. */
    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        CampaignGroup sales = Fixtures.regularGroup();
        for (int i = 0; i < requests.length; i++) {
            requests[i] = Fixtures.callWithUserData(sales, i);
        }
        server = new EchoNodeServer(NODES, IO_THREADS);
        List<NodeSpec> nodes = server.nodeSpecs();
        BalancerConfig.Builder config = BalancerConfig.builder().primeNode(nodes.get(0).id()).lbMode("round-robin")
                .requestTimeout(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(5)).applicationName("bench")
                .transportOption("tserver", "io-threads", Integer.toString(IO_THREADS)).campaignGroup(sales);
        nodes.forEach(config::node);
        DialBalancer.Builder builder = DialBalancer.builder(config.build());
        DialBalancerMetrics meters = null;
        switch (metrics) {
            case "off" -> registry = null;
            case "simple" -> registry = new SimpleMeterRegistry();
            case "prometheus" -> registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            default -> throw new IllegalArgumentException("metrics = " + metrics + ": expected off, simple or prometheus");
        }
        if (registry != null) {
            meters = DialBalancerMetrics.builder(registry).build();
            meters.install(builder);
        }
        balancer = builder.build();
        if (meters != null) {
            meters.bind(balancer);
        }
        balancer.start();
        EndToEnd.awaitActive(balancer, NODES, Duration.ofSeconds(10));
    }

    /** One dial, after waiting for half the window to complete if it is full. */
    @Benchmark
    public void dial() {
        if (inFlight.get() >= WINDOW) {
            while (inFlight.get() > WINDOW / 2) {
                LockSupport.parkNanos(20_000);
            }
        }
        inFlight.incrementAndGet();
        balancer.dial(requests[next++ & (requests.length - 1)]).whenComplete(onOutcome);
    }

    /** Lets the requests in flight end, stops everything, and fails the trial if any request was not dialed. */
    @TearDown(Level.Trial)
    public void stop() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        int left = inFlight.get();
        balancer.stop();
        server.close();
        if (registry != null) {
            registry.close();
        }
        if (left > 0 || notDialed.sum() > 0) {
            throw new IllegalStateException("metrics = " + metrics + ": " + notDialed.sum() + " requests not dialed, " + left
                    + " without an outcome 15 s after the last: the throughput of this trial is not valid");
        }
    }
}
