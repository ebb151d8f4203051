package org.dialbalance.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialObserver;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.Route;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.simcluster.ReceivedRequest;
import org.dialbalance.simcluster.SimulatedCluster;
import org.dialbalance.simcluster.SimulatedServer;
import org.junit.jupiter.api.Test;

/**
 * The chaos run: a real balancer (round-robin over four nodes with backups, an ASM group pinned to node 102) over
 * loopback TCP to a {@link SimulatedCluster}, under an open-loop load, while a seeded schedule kills, restarts,
 * blackholes and heals primaries, backups and the prime. Every request is accounted for against what the
 * simulated servers received (each request's user data carries its number). The seed fixes the workload and the
 * fault schedule (which request each fault comes before); the interleaving of real sockets is not replayable.
 */
class ChaosRunTest {

    private static final int NODES = 4;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final CampaignGroup SALES = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");
    private static final CampaignGroup RETENTION = CampaignGroup.of("Retention", DialingMode.PREDICTIVE_SEIZING, "AG_Retention", NodeId.of(102));

    private static final byte NONE = 0;
    private static final byte DIALED = 1;
    private static final byte HELD = 2;
    private static final byte FAILED_WRITTEN = 3;
    private static final byte FAILED_NOT_WRITTEN = 4;

    /** One fault, fired just before request {@code before} is issued. */
    record Fault(int before, String action, int node, LinkRole role) {
        @Override
        public String toString() {
            return "before request " + before + ": " + action + " " + node + " " + role.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Test
    void everyRequestHasExactlyOneOutcomeAndNoneIsDialedTwiceUnderChaos() throws Exception {
        long seed = Knobs.seed();
        int requests = Knobs.requests();
        int rate = Knobs.rate();
        List<Fault> schedule = schedule(seed, requests, rate);
        System.out.printf("chaos run: %,d requests at %,d/s, %d faults, seed %d (-Dreliability.seed=%d replays the workload and fault schedule)%n",
                requests, rate, schedule.size(), seed, seed);
        Findings findings = new Findings(seed);

        byte[] kind = new byte[requests];
        int[] node = new int[requests];
        byte[] role = new byte[requests];
        long[] reference = new long[requests];
        AtomicIntegerArray observed = new AtomicIntegerArray(requests);
        Map<String, Long> outcomes = new ConcurrentSkipListMap<>();
        CountDownLatch done = new CountDownLatch(requests);
        Map<String, Long> faultsApplied = new TreeMap<>();

        SimulatedCluster.Builder simulated = SimulatedCluster.builder().seed(seed);
        for (int i = 0; i < NODES; i++) {
            simulated.node(101 + i, true);
        }
        try (SimulatedCluster cluster = simulated.build()) {
            BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(NodeId.of(101)).lbMode("round-robin")
                    .reconnectTimeout(Duration.ofMillis(100)).requestTimeout(REQUEST_TIMEOUT).connectTimeout(Duration.ofSeconds(1))
                    .addpTimeout(Duration.ofMillis(400)).addpRemoteTimeout(Duration.ofMillis(200)).campaignGroup(SALES)
                    .campaignGroup(RETENTION).applicationName("chaos");
            for (NodeSpec spec : cluster.nodeSpecs()) {
                builder.node(spec);
            }
            DialObserver observer = new DialObserver() {
                @Override
                public void onRouted(DialRequest request, ClusterSnapshot snapshot, Route route, int attempt) {
                    if (route instanceof Route.To to && !snapshot.isActive(to.node())) {
                        findings.violation("routed to a node inactive in its own snapshot", id(request) + " to " + to.node() + " on " + snapshot);
                    }
                    if (!snapshot.isPrimeActive() && !(route instanceof Route.Hold hold && hold.reason().equals(HoldReason.PRIME_NODE_DOWN))) {
                        findings.violation("prime down but the request was not held with PRIME_NODE_DOWN", id(request) + ": " + route);
                    }
                }

                @Override
                public void onOutcome(DialOutcome outcome, long nanosSinceDial) {
                    observed.incrementAndGet(id(outcome.request()));
                }
            };
            DialBalancer balancer = DialBalancer.builder(builder.build()).observer(observer).build();
            ExecutorService chaos = Executors.newSingleThreadExecutor();
            SplittableRandom workload = new SplittableRandom(seed);
            long start;
            double issueSeconds;
            try {
                balancer.start();
                if (!Jvm.await(() -> balancer.snapshot().activeCount() == NODES, Duration.ofSeconds(10))) {
                    throw new AssertionError("the cluster did not come up (seed " + seed + "): " + balancer.snapshot());
                }
                start = System.nanoTime();
                int nextFault = 0;
                for (int i = 0; i < requests; i++) {
                    while (nextFault < schedule.size() && schedule.get(nextFault).before() == i) {
                        Fault fault = schedule.get(nextFault++);
                        chaos.execute(() -> apply(cluster, fault, faultsApplied));
                    }
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);           // open loop: pacing, not synchronization
                    }
                    DialRequest request = request(workload, i);
                    int id = i;
                    try {
                        balancer.dial(request).whenComplete((outcome, failure) -> {
                            if (failure != null) {
                                findings.violation("a dial stage completed exceptionally", id + ": " + failure);
                            } else {
                                record(outcome, id, kind, node, role, reference, outcomes, findings);
                            }
                            done.countDown();
                        });
                    } catch (RuntimeException e) {
                        findings.violation("dial threw into the host", id + ": " + e);
                        done.countDown();
                    }
                }
                issueSeconds = (System.nanoTime() - start) / 1e9;
                if (!done.await(REQUEST_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS)) {
                    findings.violation("outcomes missing 60 s after the last request", done.getCount() + " requests without an outcome");
                }
                chaos.shutdown();
                if (!chaos.awaitTermination(60, TimeUnit.SECONDS)) {
                    findings.violation("the chaos driver did not finish", "");
                }
                for (SimulatedServer server : cluster.servers()) {   // heal everything, so whatever a blackholed server holds is read
                    server.blackhole(false);
                    server.restart();
                }
            } finally {
                chaos.shutdownNow();
                balancer.stop();
            }
            double totalSeconds = (System.nanoTime() - start) / 1e9;
            if (!Jvm.await(() -> cluster.servers().stream().allMatch(server -> server.connectedClients() == 0), Duration.ofSeconds(20))) {
                findings.violation("server connections still open 20 s after stop()", "");
            }
            List<ReceivedRequest> received = cluster.received();
            account(received, requests, kind, node, role, reference, observed, findings);
            if (!Jvm.await(() -> Jvm.threads("dialbalance-tserver").isEmpty(), Duration.ofSeconds(10))) {
                findings.violation("transport threads left after stop()", Jvm.threads("dialbalance-tserver").toString());
            }
            System.out.printf("issued %,d requests in %.1f s (%,.0f/s), all outcomes after %.1f s; %,d receptions%n", requests, issueSeconds,
                    requests / issueSeconds, totalSeconds, received.size());
            System.out.println("outcomes: " + outcomes);
            System.out.println("faults applied: " + faultsApplied);
            System.out.println(findings.report());
            assertThat(findings.failing()).as("%s", findings.report()).isEmpty();
            assertThat(outcomes.getOrDefault("Dialed", 0L)).as("some requests dialed (seed %d)", seed).isPositive();
        }
    }

    /**
     * The seeded fault schedule: a fault every 0.3 to 1.2 s of nominal load. Each heals a faulty server (restart a killed
     * one, heal a blackholed one) half the time, or four times in five when three or more are faulty; otherwise it kills or
     * blackholes a server (possibly one already blackholed), or one time in six kills both of the prime's servers at once
     * (dialing suspended: every request must be held). Any of the eight servers.
     */
    static List<Fault> schedule(long seed, int requests, int rate) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        boolean[] killed = new boolean[NODES * 2];
        boolean[] blackholed = new boolean[NODES * 2];
        List<Fault> faults = new ArrayList<>();
        int at = rate;                                       // a second of calm first
        while (true) {
            at += (int) (rate * (0.3 + random.nextDouble() * 0.9));
            if (at >= requests - rate / 2) {
                return faults;
            }
            List<Integer> faulty = new ArrayList<>();
            for (int server = 0; server < NODES * 2; server++) {
                if (killed[server] || blackholed[server]) {
                    faulty.add(server);
                }
            }
            String action;
            int server;
            if (!faulty.isEmpty() && random.nextInt(10) < (faulty.size() >= 3 ? 8 : 5)) {
                server = faulty.get(random.nextInt(faulty.size()));
                if (killed[server]) {
                    action = "restart";
                    killed[server] = false;
                } else {
                    action = "heal";
                    blackholed[server] = false;
                }
            } else if (random.nextInt(6) == 0 && !killed[0] && !killed[1]) {      // the prime, both its servers at once
                faults.add(new Fault(at, "kill", 101, LinkRole.PRIMARY));
                killed[0] = true;
                server = 1;
                action = "kill";
                killed[1] = true;
            } else {
                server = random.nextInt(NODES * 2);
                if (!killed[server] && random.nextBoolean()) {
                    action = "kill";
                    killed[server] = true;
                } else {
                    action = "blackhole";
                    blackholed[server] = true;
                }
            }
            faults.add(new Fault(at, action, 101 + server / 2, server % 2 == 0 ? LinkRole.PRIMARY : LinkRole.BACKUP));
        }
    }

    private static void apply(SimulatedCluster cluster, Fault fault, Map<String, Long> applied) {
        SimulatedServer server = cluster.server(NodeId.of(fault.node()), fault.role());
        switch (fault.action()) {
            case "kill" -> server.kill();
            case "restart" -> server.restart();
            case "blackhole" -> server.blackhole(true);
            default -> server.blackhole(false);
        }
        synchronized (applied) {
            applied.merge(fault.action() + (fault.node() == 101 ? " prime" : "") + " " + fault.role().name().toLowerCase(java.util.Locale.ROOT), 1L,
                    Long::sum);
        }
    }

    /** Request {@code id}: nine in ten a Sales predictive call, the rest the ASM group's outbound and engaging calls. */
    private static DialRequest request(SplittableRandom random, int id) {
        Map<String, String> userData = Map.of("id", Integer.toString(id));
        int draw = random.nextInt(100);
        String number = "555" + (1_000_000 + random.nextInt(9_000_000));
        if (draw < 90) {
            return new DialRequest.PredictiveCall(SALES, "7000", number, Duration.ofSeconds(20), userData, Map.of());
        }
        if (draw < 97) {
            return new DialRequest.PredictiveCall(RETENTION, "7100", number, Duration.ofSeconds(20), userData, Map.of());
        }
        return new DialRequest.EngagingCall(RETENTION, "7100", "8000", userData, Map.of());
    }

    private static int id(DialRequest request) {
        return Integer.parseInt(request.userData().get("id"));
    }

    private static void record(DialOutcome outcome, int id, byte[] kind, int[] node, byte[] role, long[] reference, Map<String, Long> outcomes,
                               Findings findings) {
        String label;
        synchronized (kind) {
            if (kind[id] != NONE) {
                findings.violation("two outcomes for one request", id + ": " + outcome);
            }
            if (outcome instanceof DialOutcome.Dialed dialed) {
                kind[id] = DIALED;
                node[id] = dialed.node().dbid();
                role[id] = (byte) dialed.via().ordinal();
                reference[id] = dialed.referenceId();
                label = dialed.routeAttempts() == 2 ? "Dialed (re-routed)" : "Dialed";
            } else if (outcome instanceof DialOutcome.Held held) {
                kind[id] = HELD;
                label = "Held " + held.reason();
            } else {
                DialOutcome.Failed failed = (DialOutcome.Failed) outcome;
                kind[id] = failed.reason().written() ? FAILED_WRITTEN : FAILED_NOT_WRITTEN;
                label = "Failed " + failed.reason();
            }
        }
        outcomes.merge(label.startsWith("Dialed") ? "Dialed" : label, 1L, Long::sum);
        if (label.equals("Dialed (re-routed)")) {
            outcomes.merge(label, 1L, Long::sum);
        }
    }

    /** Every request against what the servers received. */
    private static void account(List<ReceivedRequest> received, int requests, byte[] kind, int[] node, byte[] role, long[] reference,
                                AtomicIntegerArray observed, Findings findings) {
        int[] receptions = new int[requests];
        ReceivedRequest[] first = new ReceivedRequest[requests];
        for (ReceivedRequest request : received) {
            String idText = request.userData().get("id");
            int id;
            try {
                id = Integer.parseInt(idText);
            } catch (NumberFormatException e) {
                findings.violation("a server received a request no dial made", String.valueOf(request));
                continue;
            }
            if (receptions[id]++ == 0) {
                first[id] = request;
            } else {
                findings.violation("DOUBLE DIAL: a request received more than once", id + ": " + first[id] + " and " + request);
            }
        }
        synchronized (kind) {
            for (int id = 0; id < requests; id++) {
                if (observed.get(id) != 1) {
                    findings.violation("DialObserver.onOutcome not called exactly once", id + ": " + observed.get(id) + " times");
                }
                switch (kind[id]) {
                    case NONE -> findings.violation("a request without an outcome", Integer.toString(id));
                    case HELD, FAILED_NOT_WRITTEN -> {
                        if (receptions[id] > 0) {
                            findings.violation("a request held or failed unwritten was received", id + ": " + first[id]);
                        }
                    }
                    case DIALED -> {
                        ReceivedRequest at = first[id];
                        if (at == null) {
                            findings.violation("Dialed but never received", id + " on " + node[id]);
                        } else if (at.node().dbid() != node[id] || at.role().ordinal() != role[id] || at.referenceId() != reference[id]) {
                            findings.violation("Dialed names another node, link or ReferenceID than the one that received it",
                                    id + ": dialed on " + node[id] + "/" + LinkRole.values()[role[id]] + " ref " + reference[id] + ", received " + at);
                        }
                    }
                    default -> { }                 // written and failed: received once or not at all, both fine
                }
            }
        }
    }
}
