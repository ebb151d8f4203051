package org.dialbalance.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.benchmarks.Fixtures;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.simcluster.SimulatedCluster;

/**
 * End-to-end throughput and latency over loopback TCP: {@code DialBalancer} (core, {@code round-robin},
 * the {@code tserver} transport) dialing nodes that answer EventDialing, next to a raw baseline that sends
 * the same frames with no balancer at all.
 *
 * <ul>
 *   <li>{@code raw}: {@link RawClient} → {@link EchoNodeServer};</li>
 *   <li>{@code echo}: dialbalance → {@link EchoNodeServer} (the same server as the baseline, so the ratio
 *       is the client side's cost);</li>
 *   <li>{@code simulated}: dialbalance → the test harness's {@link SimulatedCluster}, which also records every
 *       request and sends each call's outcome event 5 ms after EventDialing, as a SIP server would.</li>
 * </ul>
 * For each: the highest sustained rate with a window of requests in flight (closed loop), then latency
 * percentiles at fixed open-loop rates. Every phase gets a fresh cluster and client; client and servers
 * share the machine. Run: {@code java -cp benchmarks/target/benchmarks.jar org.dialbalance.benchmarks.e2e.EndToEnd}.
 */
public final class EndToEnd {

    /** What is measured against what. */
    public enum Setup {
        /** Raw frames, echo server: the baseline. */
        RAW("raw", "raw client → echo server (baseline)"),
        /** dialbalance, echo server. */
        ECHO("echo", "dialbalance + tserver → echo server"),
        /** dialbalance, simulated cluster. */
        SIMULATED("simulated", "dialbalance + tserver → SimulatedCluster");

        final String key;
        final String label;

        Setup(String key, String label) {
            this.key = key;
            this.label = label;
        }
    }

    /**
     * How to run.
     *
     * @param nodes          cluster nodes (primaries only)
     * @param ioThreads      client I/O threads (tserver {@code io-threads}) and echo server threads
     * @param window         requests in flight in the closed-loop run
     * @param warmup         closed-loop warm-up
     * @param windows        closed-loop measurement windows
     * @param windowLength   length of one window
     * @param latencyWarmup  open-loop warm-up per rate
     * @param latencyMeasure open-loop measurement per rate
     * @param rates          open-loop rates, requests per second
     * @param setups         which setups to run
     */
    public record Settings(int nodes, int ioThreads, int window, Duration warmup, int windows, Duration windowLength,
                           Duration latencyWarmup, Duration latencyMeasure, int[] rates, List<Setup> setups) {
        /** The documented run. */
        public static Settings full() {
            return new Settings(4, 2, 1024, Duration.ofSeconds(4), 5, Duration.ofSeconds(1), Duration.ofSeconds(3),
                    Duration.ofSeconds(8), new int[] {1_000, 10_000, 50_000}, List.of(Setup.values()));
        }

        /** A run of a few seconds that only shows everything works (CI). */
        public static Settings smoke() {
            return new Settings(2, 1, 64, Duration.ofMillis(200), 1, Duration.ofMillis(200), Duration.ofMillis(100),
                    Duration.ofMillis(200), new int[] {1_000}, List.of(Setup.values()));
        }
    }

    /**
     * Results of one setup.
     *
     * @param setup      the setup
     * @param throughput the closed-loop run
     * @param latencies  one open-loop run per rate
     */
    public record Result(Setup setup, LoadDriver.Throughput throughput, List<LoadDriver.Latency> latencies) {
    }

    /** Name prefix of the simulated cluster's threads (see {@code SimulatedCluster}). */
    static final String SIMULATED_THREADS = "dialbalance-simcluster";

    private EndToEnd() {
    }

    /** Runs every setup of {@code settings}. */
    public static List<Result> run(Settings settings) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Setup setup : settings.setups()) {
            LoadDriver.Throughput throughput;
            try (Rig rig = Rig.start(setup, settings)) {
                throughput = rig.driver.maxThroughput(settings.window(), settings.warmup(), settings.windows(), settings.windowLength());
            }
            List<LoadDriver.Latency> latencies = new ArrayList<>();
            for (int rate : settings.rates()) {
                try (Rig rig = Rig.start(setup, settings)) {
                    latencies.add(rig.driver.openLoop(rate, settings.latencyWarmup(), settings.latencyMeasure()));
                }
            }
            results.add(new Result(setup, throughput, latencies));
        }
        return results;
    }

    /**
     * Prints the tables as Markdown. Arguments: {@code --quick} (the smoke settings), {@code --setups raw,echo,simulated},
     * {@code --rates 1000,10000}.
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.full();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.smoke();
                case "--setups" -> {
                    List<Setup> setups = new ArrayList<>();
                    for (String key : args[++i].split(",")) {
                        setups.add(Arrays.stream(Setup.values()).filter(setup -> setup.key.equals(key)).findFirst()
                                .orElseThrow(() -> new IllegalArgumentException("unknown setup " + key + "; raw, echo or simulated")));
                    }
                    settings = new Settings(settings.nodes(), settings.ioThreads(), settings.window(), settings.warmup(), settings.windows(),
                            settings.windowLength(), settings.latencyWarmup(), settings.latencyMeasure(), settings.rates(), setups);
                }
                case "--rates" -> settings = new Settings(settings.nodes(), settings.ioThreads(), settings.window(), settings.warmup(),
                        settings.windows(), settings.windowLength(), settings.latencyWarmup(), settings.latencyMeasure(),
                        Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(), settings.setups());
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.println(format(run(settings), settings));
    }

    /** The two tables, Markdown. */
    public static String format(List<Result> results, Settings settings) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d nodes, client io-threads %d, window %d in flight, %d × %d ms windows after %d ms warm-up%n%n",
                settings.nodes(), settings.ioThreads(), settings.window(), settings.windows(), settings.windowLength().toMillis(),
                settings.warmup().toMillis()));
        double raw = results.stream().filter(result -> result.setup() == Setup.RAW).mapToDouble(result -> result.throughput().mean())
                .findFirst().orElse(Double.NaN);
        out.append("| setup | max sustained requests/s | ± sd | × raw | client CPU µs/request | server CPU µs/request | failed |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result result : results) {
            LoadDriver.Throughput t = result.throughput();
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %.2f | %.2f | %d |%n", result.setup().label, t.mean(),
                    t.stdev(), t.mean() / raw, t.clientCpuMicros(), t.serverCpuMicros(), t.failures()));
        }
        out.append(String.format(Locale.ROOT, "%nOpen loop, %d ms warm-up then %d ms measured per rate; latency from intended send time, µs%n%n",
                settings.latencyWarmup().toMillis(), settings.latencyMeasure().toMillis()));
        out.append("| setup | rate/s | p50 | p90 | p99 | p99.9 | max | measured | failed | sustained |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Result result : results) {
            for (LoadDriver.Latency l : result.latencies()) {
                out.append(String.format(Locale.ROOT, "| %s | %,d | %.0f | %.0f | %.0f | %.0f | %.0f | %,d | %d | %s |%n", result.setup().label,
                        l.rate(), l.micros(50), l.micros(90), l.micros(99), l.micros(99.9), l.histogram().getMaxValue() / 1_000.0,
                        l.measured(), l.failures(), l.sustainable() ? "yes" : "no (backlog > " + LoadDriver.OPEN_LOOP_BACKLOG_LIMIT + ")"));
            }
        }
        return out.toString();
    }

    /** A started server side and client side. */
    private static final class Rig implements AutoCloseable {
        final LoadDriver driver;
        private final List<AutoCloseable> closeables;

        private Rig(LoadDriver driver, List<AutoCloseable> closeables) {
            this.driver = driver;
            this.closeables = closeables;
        }

        static Rig start(Setup setup, Settings settings) throws Exception {
            List<AutoCloseable> closeables = new ArrayList<>();
            try {
                CampaignGroup sales = Fixtures.regularGroup();
                DialRequest[] requests = new DialRequest[1024];
                for (int i = 0; i < requests.length; i++) {
                    requests[i] = Fixtures.callWithUserData(sales, i);
                }
                List<NodeSpec> nodes;
                String serverThreads = setup == Setup.SIMULATED ? SIMULATED_THREADS : EchoNodeServer.THREAD_PREFIX;
                if (setup == Setup.SIMULATED) {
                    SimulatedCluster.Builder builder = SimulatedCluster.builder().seed(7);
                    for (int i = 0; i < settings.nodes(); i++) {
                        builder.node(Fixtures.FIRST_DBID + i, false);
                    }
                    SimulatedCluster cluster = builder.build();
                    closeables.add(cluster);
                    // the simulated cluster records every request; forget them as the run goes
                    ScheduledExecutorService cleaner = Executors.newSingleThreadScheduledExecutor(runnable -> {
                        Thread thread = new Thread(runnable, "bench-record-cleaner");
                        thread.setDaemon(true);
                        return thread;
                    });
                    cleaner.scheduleAtFixedRate(cluster::clearRecords, 200, 200, TimeUnit.MILLISECONDS);
                    closeables.add(0, cleaner::shutdownNow);
                    nodes = cluster.nodeSpecs();
                } else {
                    EchoNodeServer server = new EchoNodeServer(settings.nodes(), settings.ioThreads());
                    closeables.add(server);
                    nodes = server.nodeSpecs();
                }
                if (setup == Setup.RAW) {
                    RawClient client = new RawClient(nodes, settings.ioThreads());
                    closeables.add(0, client);
                    return new Rig(new LoadDriver(client::dial, outcome -> outcome instanceof String, requests, serverThreads), closeables);
                }
                DialBalancer balancer = startBalancer(nodes, sales, settings.ioThreads());
                closeables.add(0, balancer);
                return new Rig(new LoadDriver(balancer::dial, outcome -> outcome instanceof DialOutcome.Dialed, requests, serverThreads),
                        closeables);
            } catch (Exception | Error e) {
                new Rig(null, closeables).close();
                throw e;
            }
        }

        @Override
        public void close() throws Exception {
            for (AutoCloseable closeable : closeables) {
                closeable.close();
            }
        }
    }

    /** A started balancer over {@code nodes} (prime: the first), every node active. */
    static DialBalancer startBalancer(List<NodeSpec> nodes, CampaignGroup group, int ioThreads) throws InterruptedException {
        BalancerConfig.Builder config = BalancerConfig.builder().primeNode(nodes.get(0).id()).lbMode("round-robin")
                .requestTimeout(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(5)).applicationName("bench")
                .transportOption("tserver", "io-threads", Integer.toString(ioThreads)).campaignGroup(group);
        nodes.forEach(config::node);
        DialBalancer balancer = DialBalancer.builder(config.build()).build();
        balancer.start();
        awaitActive(balancer, nodes.size(), Duration.ofSeconds(10));
        return balancer;
    }

    /**
     * Waits until {@code count} nodes are active.
     *
     * @throws IllegalStateException naming the snapshot if they are not within {@code timeout}
     */
    public static void awaitActive(DialBalancer balancer, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (balancer.snapshot().activeCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + balancer.snapshot().activeCount() + " of " + count
                        + " nodes active after " + timeout + ": " + balancer.snapshot());
            }
            Thread.sleep(5);
        }
    }
}
