package org.dialbalance.benchmarks.failover;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.transport.AddpTrace;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.api.transport.TransportSettings;
import org.dialbalance.benchmarks.Fixtures;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.simcluster.SimulatedCluster;
import org.dialbalance.simcluster.SimulatedServer;
import org.dialbalance.transport.tserver.TserverTransportProvider;

/**
 * Failover under load, over loopback TCP with the {@code tserver} transport and the test harness's
 * {@link SimulatedCluster} (nodes without backups, so losing the primary link takes the node out):
 * <ul>
 *   <li><b>closed socket</b>: the time from a simulated server closing its sockets
 *       ({@link SimulatedServer#kill()}) to the node leaving the snapshot ({@link ClusterEvent.NodeDeactivated});</li>
 *   <li><b>blackhole</b>: the time from a server going silent ({@link SimulatedServer#blackhole(boolean)}: no
 *       reads, no replies, no keep-alives, socket open) to the node leaving the snapshot, against
 *       {@code addp-timeout};</li>
 *   <li>during both, a steady load of dials, and every routing decision checked against the moment the
 *       node's link began to close and the moment the core had handled it ({@link ObservedPolicyProvider}).</li>
 * </ul>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.dialbalance.benchmarks.failover.Failover}.
 */
public final class Failover {

    /**
     * How to run.
     *
     * @param nodes         cluster nodes; the first is the prime and is never failed
     * @param killRuns      closed-socket repetitions
     * @param blackholeRuns blackhole repetitions
     * @param addpTimeout   {@code addp-timeout} (the server is asked for keep-alives every half of it)
     * @param reconnect     {@code reconnect-timeout}
     * @param loadRate      background dials per second
     */
    public record Settings(int nodes, int killRuns, int blackholeRuns, Duration addpTimeout, Duration reconnect, int loadRate) {
        /** The documented run. */
        public static Settings full() {
            return new Settings(4, 60, 10, Duration.ofSeconds(1), Duration.ofMillis(100), 5_000);
        }

        /** A few seconds (CI). */
        public static Settings smoke() {
            return new Settings(3, 2, 1, Duration.ofMillis(300), Duration.ofMillis(50), 500);
        }
    }

    /**
     * Results.
     *
     * @param killMillis              per closed-socket run: kill to NodeDeactivated, ms
     * @param killToLinkClosedMillis  per closed-socket run: kill to the transport reporting the link closed, ms
     * @param blackholeMillis         per blackhole run: blackhole to NodeDeactivated, ms
     * @param addpTimeout             the keep-alive timeout
     * @param decisions               routing decisions made during the runs
     * @param afterLinkClosing        decisions for a node that began after its link started closing
     * @param afterCloseHandled       decisions for a node that began after the core handled its link's close
     * @param toInactiveInSnapshot    decisions for a node inactive in the decision's own snapshot
     * @param sendsAfterClose         sends issued on an already closed link
     * @param outcomes                outcomes of the background load, by kind and reason
     */
    public record Result(double[] killMillis, double[] killToLinkClosedMillis, double[] blackholeMillis, Duration addpTimeout,
                         long decisions, long afterLinkClosing, long afterCloseHandled, long toInactiveInSnapshot, long sendsAfterClose,
                         Map<String, Long> outcomes) {
    }

    private Failover() {
    }

    /** Runs the closed-socket and blackhole repetitions under load. */
    public static Result run(Settings settings) throws Exception {
        Duration connectTimeout = Duration.ofSeconds(2);
        Duration requestTimeout = Duration.ofSeconds(3);
        SimulatedCluster.Builder simulated = SimulatedCluster.builder().seed(11);
        for (int i = 0; i < settings.nodes(); i++) {
            simulated.node(Fixtures.FIRST_DBID + i, false);
        }
        try (SimulatedCluster cluster = simulated.build()) {
            TransportSettings transportSettings = new TransportSettings("bench-failover", connectTimeout, requestTimeout,
                    settings.addpTimeout(), settings.addpTimeout().dividedBy(2), AddpTrace.OFF, 10_000, Map.of());
            ConfigResult<Transport> created = new TserverTransportProvider().create(transportSettings);
            if (!(created instanceof ConfigResult.Valid<Transport> valid)) {
                throw new IllegalStateException("tserver refused its settings: " + created);
            }
            ObservedTransport transport = new ObservedTransport(valid.value(), Fixtures.FIRST_DBID, settings.nodes());
            ObservedPolicyProvider policy = new ObservedPolicyProvider(transport);
            Events events = new Events(transport);
            CampaignGroup sales = Fixtures.regularGroup();
            BalancerConfig.Builder config = BalancerConfig.builder().primeNode(NodeId.of(Fixtures.FIRST_DBID)).lbMode("round-robin")
                    .reconnectTimeout(settings.reconnect()).connectTimeout(connectTimeout).requestTimeout(requestTimeout)
                    .addpTimeout(settings.addpTimeout()).addpRemoteTimeout(settings.addpTimeout().dividedBy(2))
                    .applicationName("bench-failover").campaignGroup(sales);
            cluster.nodeSpecs().forEach(config::node);
            try (DialBalancer balancer = DialBalancer.builder(config.build()).transport(transport).policy(policy).listener(events).build()) {
                balancer.start();
                awaitAllActive(balancer, settings.nodes());
                Load load = new Load(balancer, sales, settings.loadRate());
                load.start();
                try {
                    double[] kill = new double[settings.killRuns()];
                    double[] closed = new double[settings.killRuns()];
                    for (int run = 0; run < settings.killRuns(); run++) {
                        NodeId victim = victim(run, settings.nodes());
                        SimulatedServer server = cluster.server(victim, LinkRole.PRIMARY);
                        events.clear();
                        long start = System.nanoTime();
                        server.kill();
                        Events.Seen down = events.await(ClusterEvent.NodeDeactivated.class, victim, Duration.ofSeconds(10));
                        kill[run] = (down.at() - start) / 1e6;
                        closed[run] = (down.linkClosedAt() - start) / 1e6;
                        restart(server);
                        events.await(ClusterEvent.NodeActivated.class, victim, Duration.ofSeconds(10));
                        Thread.sleep(50);
                    }
                    double[] blackhole = new double[settings.blackholeRuns()];
                    for (int run = 0; run < settings.blackholeRuns(); run++) {
                        NodeId victim = victim(run, settings.nodes());
                        SimulatedServer server = cluster.server(victim, LinkRole.PRIMARY);
                        events.clear();
                        long start = System.nanoTime();
                        server.blackhole(true);
                        Events.Seen down = events.await(ClusterEvent.NodeDeactivated.class, victim,
                                settings.addpTimeout().multipliedBy(10));
                        blackhole[run] = (down.at() - start) / 1e6;
                        server.blackhole(false);
                        events.await(ClusterEvent.NodeActivated.class, victim, Duration.ofSeconds(10));
                        Thread.sleep(50);
                    }
                    load.stop();
                    return new Result(kill, closed, blackhole, settings.addpTimeout(), policy.decisions.sum(), policy.afterLinkClosing.sum(),
                            policy.afterCloseHandled.sum(), policy.toInactiveInSnapshot.sum(), transport.sendsAfterClose(), load.outcomes());
                } finally {
                    load.stop();
                }
            } finally {
                transport.close();
            }
        }
    }

    /** Listens again on the node's port; retried, since another process on the machine may hold the port for a moment. */
    private static void restart(SimulatedServer server) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                server.restart();
                return;
            } catch (Exception e) {     // Netty rethrows the BindException unchecked
                if (attempt == 100) {
                    throw new IllegalStateException("cannot listen again on port " + server.port(), e);
                }
                Thread.sleep(20);
            }
        }
    }

    private static NodeId victim(int run, int nodes) {
        return NodeId.of(Fixtures.FIRST_DBID + 1 + run % (nodes - 1));
    }

    private static void awaitAllActive(DialBalancer balancer, int nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (balancer.snapshot().activeCount() < nodes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not come up: " + balancer.snapshot());
            }
            Thread.sleep(5);
        }
    }

    /** Prints the tables as Markdown. Argument {@code --quick}: the smoke settings. */
    public static void main(String[] args) throws Exception {
        Settings settings = Arrays.asList(args).contains("--quick") ? Settings.smoke() : Settings.full();
        System.out.println(format(run(settings), settings));
    }

    /** The tables, Markdown. */
    public static String format(Result result, Settings settings) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d nodes (no backups), reconnect-timeout %d ms, addp-timeout %d ms, background load %,d dials/s%n%n",
                settings.nodes(), settings.reconnect().toMillis(), settings.addpTimeout().toMillis(), settings.loadRate()));
        out.append("| fault | runs | median ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
        out.append(row("server closes its socket → node out of the snapshot", result.killMillis()));
        out.append(row("  of which: → transport reports the link closed", result.killToLinkClosedMillis()));
        out.append(row("server blackholed → node out of the snapshot", result.blackholeMillis()));
        double[] ratio = Arrays.stream(result.blackholeMillis()).map(ms -> ms / result.addpTimeout().toMillis()).toArray();
        out.append(String.format(Locale.ROOT, "%nBlackhole detection / addp-timeout: median %.2f, max %.2f (runs: %d)%n", percentile(ratio, 50),
                percentile(ratio, 100), ratio.length));
        out.append(String.format(Locale.ROOT, "%n| routing decisions checked | began after the link started closing | began after the core handled the close"
                + " | to a node inactive in its own snapshot | sends on a closed link |%n|---:|---:|---:|---:|---:|%n| %,d | %d | %d | %d | %d |%n",
                result.decisions(), result.afterLinkClosing(), result.afterCloseHandled(), result.toInactiveInSnapshot(), result.sendsAfterClose()));
        out.append("\nOutcomes of the background load: ").append(result.outcomes()).append('\n');
        return out.toString();
    }

    private static String row(String label, double[] values) {
        if (values.length == 0) {
            return String.format(Locale.ROOT, "| %s | 0 | | | | |%n", label);
        }
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n", label, values.length, percentile(values, 50),
                percentile(values, 90), percentile(values, 99), percentile(values, 100));
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double percentile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Cluster events with the time they arrived and, for deactivations, when the node's link began closing. */
    private static final class Events implements ClusterListener {
        record Seen(ClusterEvent event, long at, long linkClosedAt) {
        }

        private final BlockingQueue<Seen> queue = new LinkedBlockingQueue<>();
        private final ObservedTransport transport;

        Events(ObservedTransport transport) {
            this.transport = transport;
        }

        @Override
        public void onClusterEvent(ClusterEvent event) {
            long now = System.nanoTime();
            long closed = event instanceof ClusterEvent.NodeDeactivated down ? transport.closedAt(down.node().dbid()) : 0;
            queue.add(new Seen(event, now, closed));
        }

        void clear() {
            queue.clear();
        }

        Seen await(Class<? extends ClusterEvent> type, NodeId node, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Seen seen = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (seen == null) {
                    throw new IllegalStateException("no " + type.getSimpleName() + " for node " + node + " within " + timeout);
                }
                if (type.isInstance(seen.event()) && node.equals(nodeOf(seen.event()))) {
                    return seen;
                }
            }
        }

        private static NodeId nodeOf(ClusterEvent event) {
            if (event instanceof ClusterEvent.NodeActivated activated) {
                return activated.node();
            }
            return event instanceof ClusterEvent.NodeDeactivated deactivated ? deactivated.node() : null;
        }
    }

    /** Dials at a steady rate from one thread and counts outcomes. */
    private static final class Load {
        private final DialBalancer balancer;
        private final DialRequest[] requests = new DialRequest[256];
        private final int rate;
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        private Thread thread;

        Load(DialBalancer balancer, CampaignGroup group, int rate) {
            this.balancer = balancer;
            this.rate = rate;
            for (int i = 0; i < requests.length; i++) {
                requests[i] = Fixtures.callWithUserData(group, i);
            }
        }

        void start() {
            running.set(true);
            thread = new Thread(this::issue, "bench-failover-load");
            thread.setDaemon(true);
            thread.start();
        }

        private void issue() {
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            long i = 0;
            while (running.get()) {
                long now = System.nanoTime();
                if (next > now) {
                    LockSupport.parkNanos(next - now);
                    continue;
                }
                next += interval;
                inFlight.incrementAndGet();
                balancer.dial(requests[(int) (i++ % requests.length)]).whenComplete((outcome, error) -> {
                    outcomes.computeIfAbsent(describe(outcome, error), key -> new LongAdder()).increment();
                    inFlight.decrementAndGet();
                });
            }
        }

        private static String describe(DialOutcome outcome, Throwable error) {
            if (error != null) {
                return "exception";
            }
            if (outcome instanceof DialOutcome.Dialed) {
                return "Dialed";
            }
            if (outcome instanceof DialOutcome.Held held) {
                return "Held " + held.reason();
            }
            return "Failed " + ((DialOutcome.Failed) outcome).reason();
        }

        void stop() throws InterruptedException {
            if (running.getAndSet(false)) {
                thread.join();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
        }

        Map<String, Long> outcomes() {
            Map<String, Long> counts = new java.util.TreeMap<>();
            outcomes.forEach((key, value) -> counts.put(key, value.sum()));
            return counts;
        }
    }
}
