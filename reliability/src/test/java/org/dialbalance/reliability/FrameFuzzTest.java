package org.dialbalance.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.AddpTrace;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.RegisterResult;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.api.transport.TransportSettings;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.transport.tserver.TserverTransportProvider;
import org.junit.jupiter.api.Test;

/**
 * The frame fuzzer: a hostile server on loopback accepts the tserver client's links and sends it valid,
 * meaningless, malformed, flooded and one-byte-at-a-time frames (see {@link FuzzCampaign} and {@link Frames}).
 * Sized by {@code -Dreliability.frames} (default 100,000; nine tenths through the transport's {@link Link}s, one
 * tenth through a whole {@link DialBalancer}); {@code -Dreliability.seed} replays the server's frames.
 */
class FrameFuzzTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    private static final int IO_THREADS = 2;
    private static final CampaignGroup SALES = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");
    private static final DialRequest REQUEST = DialRequest.PredictiveCall.of(SALES, "7000", "5551234", Duration.ofSeconds(20));
    /** Generous: a leak of a few hundred bytes per connection over thousands of connections shows well above noise. */
    private static final long HEAP_GROWTH_LIMIT = 64L << 20;

    @Test
    void theTransportSurvivesAHostileServer() throws Exception {
        long seed = Knobs.seed();
        long target = Knobs.frames() - Knobs.frames() / 10;
        Findings findings = new Findings(seed);
        System.out.printf("frame fuzzer, transport links: %,d frames, seed %d (-Dreliability.seed=%d replays the frames)%n", target, seed, seed);

        ExecutorService readers = Executors.newFixedThreadPool(2);
        ((ThreadPoolExecutor) readers).prestartAllCoreThreads();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) CONNECT_TIMEOUT.plus(FuzzCampaign.MARGIN).toMillis());
            LinkTarget linkTarget = new LinkTarget(NodeId.of(101), LinkRole.PRIMARY, new Endpoint("127.0.0.1", server.getLocalPort(), PortKind.TC_PORT));
            long heapBefore = Jvm.usedHeapAfterGc();
            int threadsBefore = Jvm.liveThreads();
            Transport transport = transport();
            FuzzCampaign campaign = new FuzzCampaign(findings, CONNECT_TIMEOUT);
            LinkStats stats = new LinkStats();
            long start = System.nanoTime();
            long heapWarm = -1;
            int maxIoThreads = 0;
            try {
                while (campaign.frames < target) {
                    String where = "connection " + campaign.connections + " (seed " + seed + ")";
                    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + campaign.connections);
                    LinkClient client = new LinkClient(transport, linkTarget, findings, stats, where);
                    try (Socket socket = server.accept()) {
                        HostileSession session = new HostileSession(socket, readers, findings, where);
                        campaign.play(session, random, client, where);
                    }
                    if (heapWarm < 0 && campaign.frames >= target / 10) {
                        heapWarm = Jvm.usedHeapAfterGc();
                    }
                    maxIoThreads = Math.max(maxIoThreads, Jvm.threads("dialbalance-tserver").size());
                }
                long heapEnd = Jvm.usedHeapAfterGc();
                if (heapEnd - heapWarm > HEAP_GROWTH_LIMIT) {
                    findings.violation("heap grew during the run", Jvm.mib(heapWarm) + " MiB after a tenth of the frames, " + Jvm.mib(heapEnd)
                            + " MiB at the end");
                }
                System.out.printf("heap after GC: %d MiB before the transport, %d MiB after a tenth of the frames, %d MiB at the end%n",
                        Jvm.mib(heapBefore), Jvm.mib(heapWarm), Jvm.mib(heapEnd));
            } finally {
                transport.close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!Jvm.await(() -> Jvm.threads("dialbalance-").isEmpty(), Duration.ofSeconds(10))) {
                findings.violation("transport threads left after close()", Jvm.threads("dialbalance-").toString());
            }
            // Netty's GlobalEventExecutor thread is shared and lazy and ends by itself after a second idle: wait for quiescence
            Jvm.await(() -> Jvm.liveThreads() <= threadsBefore, Duration.ofSeconds(10));
            int threadsAfter = Jvm.liveThreads();
            if (threadsAfter > threadsBefore) {
                findings.violation("more threads after close() than before the transport", threadsBefore + " before, " + threadsAfter + " after: "
                        + Jvm.threads(""));
            }
            if (maxIoThreads > IO_THREADS) {
                findings.violation("more I/O threads than io-threads", maxIoThreads + " > " + IO_THREADS);
            }
            long heapAfter = Jvm.usedHeapAfterGc();
            if (heapAfter - heapBefore > HEAP_GROWTH_LIMIT) {
                findings.violation("heap grew across the run", Jvm.mib(heapBefore) + " MiB before, " + Jvm.mib(heapAfter) + " MiB after");
            }
            System.out.printf("%,d frames over %,d connections (%,d hostile handshakes) in %.1f s, %d threads before and %d after, heap %d -> %d MiB%n",
                    campaign.frames, campaign.connections, campaign.refusedHandshakes, seconds, threadsBefore, threadsAfter,
                    Jvm.mib(heapBefore), Jvm.mib(heapAfter));
            System.out.printf("the client closed first %,d times; %,d handshakes came after the client's connect-timeout%n",
                    campaign.peerClosedFirst, campaign.gaveUp);
            System.out.println("sends: " + stats);
            System.out.println("frames by kind: " + campaign.kinds);
            System.out.println("close reasons: " + campaign.closeReasons);
            System.out.println(findings.report());
            assertThat(campaign.frames).as("frames sent (seed %d)", seed).isGreaterThanOrEqualTo(target);
            assertThat(stats.accepted.get()).as("dials accepted over the whole run (seed %d)", seed).isPositive();
            assertThat(findings.failing()).as("%s", findings.report()).isEmpty();
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aBalancerOnAHostilePrimeKeepsComingBackAndEveryDialEnds() throws Exception {
        long seed = Knobs.seed() + 1;
        long target = Knobs.frames() / 10;
        Findings findings = new Findings(seed);
        System.out.printf("frame fuzzer, whole balancer: %,d frames, seed %d (-Dreliability.seed=%d replays the frames)%n", target, seed, seed - 1);
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) CONNECT_TIMEOUT.plus(FuzzCampaign.MARGIN).plusSeconds(1).toMillis());
            BalancerConfig config = BalancerConfig.builder().primeNode(NodeId.of(101)).lbMode("round-robin")
                    .node(new NodeSpec(NodeId.of(101), "hostile", new Endpoint("127.0.0.1", server.getLocalPort(), PortKind.TC_PORT),
                            java.util.Optional.empty()))
                    .campaignGroup(SALES).reconnectTimeout(Duration.ofMillis(10)).connectTimeout(CONNECT_TIMEOUT).requestTimeout(REQUEST_TIMEOUT)
                    .transportOption("max-frame-size", Integer.toString(Frames.MAX_FRAME)).applicationName("fuzz").build();
            BalancerClient client = new BalancerClient(findings);
            DialBalancer balancer = DialBalancer.builder(config).listener(client).build();
            client.balancer = balancer;
            FuzzCampaign campaign = new FuzzCampaign(findings, CONNECT_TIMEOUT);
            balancer.start();
            try {
                while (campaign.frames < target) {
                    String where = "balancer connection " + campaign.connections + " (seed " + seed + ")";
                    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + campaign.connections);
                    try (Socket socket = server.accept()) {
                        campaign.play(new HostileSession(socket, readers, findings, where), random, client, where);
                    }
                }
            } finally {
                balancer.stop();
            }
            client.awaitAll("after stop (seed " + seed + ")");
            if (!Jvm.await(() -> Jvm.threads("dialbalance-").isEmpty(), Duration.ofSeconds(10))) {
                findings.violation("balancer threads left after stop()", Jvm.threads("dialbalance-").toString());
            }
            System.out.printf("%,d frames over %,d connections; %,d dials: %s; dialing resumed %d times%n", campaign.frames, campaign.connections,
                    client.dials.get(), client.outcomes, client.resumed.get());
            System.out.printf("the balancer closed first %,d times; it gave up %,d connections before their handshake reached it%n",
                    campaign.peerClosedFirst, campaign.gaveUp);
            System.out.println("frames by kind: " + campaign.kinds);
            System.out.println(findings.report());
            assertThat(client.resumed.get()).as("the balancer came back after closes (seed %d)", seed)
                    .isGreaterThanOrEqualTo((int) Math.min(campaign.connections - campaign.refusedHandshakes, 1));
            assertThat(findings.failing()).as("%s", findings.report()).isEmpty();
        } finally {
            readers.shutdownNow();
        }
    }

    private static Transport transport() {
        TransportSettings settings = new TransportSettings("fuzz", CONNECT_TIMEOUT, REQUEST_TIMEOUT, Duration.ZERO, Duration.ZERO, AddpTrace.OFF,
                1000, Map.of("max-frame-size", Integer.toString(Frames.MAX_FRAME), "io-threads", Integer.toString(IO_THREADS)));
        ConfigResult<Transport> result = new TserverTransportProvider().create(settings);
        assertThat(result).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid<Transport>) result).value();
    }

    /** Totals over every link of the run. */
    static final class LinkStats {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong notWritten = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong timedOut = new AtomicLong();
        final AtomicLong registrations = new AtomicLong();
        final AtomicLong events = new AtomicLong();

        @Override
        public String toString() {
            return String.format("%,d dials: %,d accepted, %,d rejected, %,d not written, %,d lost after write, %,d timed out; %,d registrations; %,d events",
                    sent.get(), accepted.get(), rejected.get(), notWritten.get(), lost.get(), timedOut.get(), registrations.get(), events.get());
        }
    }

    /** One link of the transport under test, with the checks of the Link and LinkListener contracts. */
    private static final class LinkClient implements FuzzCampaign.Client, LinkListener {
        private final CompletableFuture<Link> opening;
        private final CompletableFuture<String> closed = new CompletableFuture<>();
        private final AtomicInteger closedCalls = new AtomicInteger();
        private final List<Pending<SendResult>> sends = new ArrayList<>();
        private final List<Pending<RegisterResult>> registrations = new ArrayList<>();
        private final Findings findings;
        private final LinkStats stats;
        private final String where;
        private final long connectStart = System.nanoTime();

        LinkClient(Transport transport, LinkTarget target, Findings findings, LinkStats stats, String where) {
            this.findings = findings;
            this.stats = stats;
            this.where = where;
            this.opening = transport.connect(target, this).toCompletableFuture();
        }

        @Override
        public void dial() {
            Link link = opening.getNow(null);
            if (link != null) {
                synchronized (sends) {
                    sends.add(new Pending<>(link.send(REQUEST).toCompletableFuture()));
                }
                stats.sent.incrementAndGet();
            }
        }

        @Override
        public void register() {
            Link link = opening.getNow(null);
            if (link != null) {
                registrations.add(new Pending<>(link.registerAddress("7001").toCompletableFuture()));
                stats.registrations.incrementAndGet();
            }
        }

        /**
         * The link must open, unless the handshake's write ended after {@code connect-timeout} had run out since
         * {@code connect()} was called (the server was late: the client may have given up first, which is its rule).
         * A handshake written before that reached the client before its timeout could fire.
         */
        @Override
        public FuzzCampaign.Opened awaitOpened(HostileSession session, long handshakeWritten, Duration timeout) throws InterruptedException {
            try {
                opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return FuzzCampaign.Opened.OPENED;
            } catch (ExecutionException e) {
                boolean late = handshakeWritten - connectStart >= CONNECT_TIMEOUT.toNanos();
                if (late && e.getCause() instanceof TimeoutException) {
                    return FuzzCampaign.Opened.GAVE_UP;
                }
                findings.violation("a valid handshake ended in a failed connect", where + ": " + e.getCause() + " (handshake written "
                        + (handshakeWritten - connectStart) / 1_000_000 + " ms after connect())");
                return FuzzCampaign.Opened.FAILED;
            } catch (TimeoutException e) {
                findings.violation("connect() hung", where + ": not complete " + timeout.toMillis() + " ms after a valid EventLinkConnected");
                return FuzzCampaign.Opened.FAILED;
            }
        }

        @Override
        public Boolean refused(Duration timeout) throws InterruptedException {
            try {
                opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return false;
            } catch (ExecutionException e) {
                if (e.getCause() == null || String.valueOf(e.getCause().getMessage()).isBlank()) {
                    findings.violation("a refused connect carries no reason", where + ": " + e.getCause());
                }
                return true;
            } catch (TimeoutException e) {
                findings.violation("connect() hung", where + ": not complete " + (System.nanoTime() - connectStart) / 1_000_000
                        + " ms after it began (connect-timeout " + CONNECT_TIMEOUT.toMillis() + " ms)");
                return true;
            }
        }

        @Override
        public String awaitClosed(Duration timeout) throws InterruptedException, ExecutionException {
            try {
                return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return null;
            }
        }

        @Override
        public boolean seesReasons() {
            return true;
        }

        @Override
        public void onEvent(TelephonyEvent event) {
            stats.events.incrementAndGet();
            if (closed.isDone()) {
                findings.violation("an event after onClosed", where + ": " + event);
            }
            if (!event.node().equals(NodeId.of(101)) || event.via() != LinkRole.PRIMARY) {
                findings.violation("an event names another link", where + ": " + event);
            }
            FuzzCampaign.checkEvent(event, findings, where);
        }

        @Override
        public void onClosed(String reason) {
            if (closedCalls.incrementAndGet() > 1) {
                findings.violation("onClosed called more than once", where + ": " + reason);
            }
            if (!opening.isDone() || opening.isCompletedExceptionally()) {
                findings.violation("onClosed on a link that never opened", where + ": " + reason);
            }
            synchronized (sends) {
                for (Pending<SendResult> send : sends) {
                    if (!send.future.isDone()) {
                        findings.violation("a send still pending when onClosed was called", where + ": " + reason);
                        break;
                    }
                }
            }
            closed.complete(reason == null ? "" : reason);
        }

        @Override
        public void connectionEnded(String where) throws Exception {
            if (opening.isDone() && !opening.isCompletedExceptionally()) {
                Link link = opening.join();
                if (link.isOpen()) {
                    findings.violation("isOpen() after onClosed", where);
                }
                if (!(link.send(REQUEST).toCompletableFuture().getNow(null) instanceof SendResult.NotWritten)) {
                    findings.violation("a send after onClosed was not NotWritten at once", where);
                }
            } else if (closedCalls.get() > 0) {
                findings.violation("the listener of a refused link was called", where);
            }
            List<Pending<SendResult>> all;
            synchronized (sends) {
                all = List.copyOf(sends);
            }
            for (Pending<SendResult> send : all) {
                SendResult result = send.await(REQUEST_TIMEOUT.plus(FuzzCampaign.MARGIN), findings, where + " dial");
                if (result instanceof SendResult.Accepted accepted) {
                    stats.accepted.incrementAndGet();
                    if (!FuzzCampaign.connIdOk(accepted.connId())) {
                        findings.violation("a dial accepted without a ConnID of 1 to 64 bytes", where + ": " + accepted);
                    }
                } else if (result instanceof SendResult.Rejected) {
                    stats.rejected.incrementAndGet();
                } else if (result instanceof SendResult.NotWritten) {
                    stats.notWritten.incrementAndGet();
                } else if (result instanceof SendResult.LostAfterWrite) {
                    stats.lost.incrementAndGet();
                } else if (result instanceof SendResult.TimedOut) {
                    stats.timedOut.incrementAndGet();
                } else if (result != null) {
                    findings.violation("unexpected send result", where + ": " + result);
                }
            }
            for (Pending<RegisterResult> registration : registrations) {
                registration.await(REQUEST_TIMEOUT.plus(FuzzCampaign.MARGIN), findings, where + " registration");
            }
        }
    }

    /** A request and when it was made; a stage that never completes, or completes exceptionally, is a finding. */
    private static final class Pending<T> {
        final CompletableFuture<T> future;
        final long start = System.nanoTime();

        Pending(CompletableFuture<T> future) {
            this.future = future;
        }

        T await(Duration limit, Findings findings, String what) throws InterruptedException {
            long left = start + limit.toNanos() - System.nanoTime();
            try {
                return future.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                findings.violation("a stage completed exceptionally", what + ": " + e.getCause());
            } catch (TimeoutException e) {
                findings.violation("a stage did not complete within request-timeout + " + FuzzCampaign.MARGIN.toSeconds() + " s", what);
            }
            return null;
        }
    }

    /** A whole balancer with its one (prime) node on the hostile server. */
    private static final class BalancerClient implements FuzzCampaign.Client, ClusterListener {
        private final Findings findings;
        private final Semaphore resumes = new Semaphore(0);
        private final Semaphore suspends = new Semaphore(0);
        private final List<Pending<DialOutcome>> pending = new ArrayList<>();
        final AtomicInteger resumed = new AtomicInteger();
        final AtomicLong dials = new AtomicLong();
        final Map<String, Long> outcomes = new java.util.concurrent.ConcurrentSkipListMap<>();
        volatile DialBalancer balancer;

        BalancerClient(Findings findings) {
            this.findings = findings;
        }

        @Override
        public void dial() {
            dials.incrementAndGet();
            pending.add(new Pending<>(balancer.dial(REQUEST).toCompletableFuture()));
        }

        @Override
        public void register() {
            balancer.monitor("7001");
        }

        /**
         * DialingResumed, or the balancer ended the connection first: it gave the connection up before the handshake
         * reached it (its connect-timeout runs from the TCP connect, and the connection may have waited in the
         * server's accept queue while the previous one was played); it then retries, which the next connection plays.
         * An open link cannot end before the server sends something more, so an end without DialingResumed is that.
         */
        @Override
        public FuzzCampaign.Opened awaitOpened(HostileSession session, long handshakeWritten, Duration timeout) throws InterruptedException {
            if (Jvm.await(() -> resumes.availablePermits() > 0 || session.ended(), timeout) && resumes.tryAcquire()) {
                return FuzzCampaign.Opened.OPENED;
            }
            if (session.ended()) {
                return FuzzCampaign.Opened.GAVE_UP;
            }
            findings.violation("a valid EventLinkConnected did not resume dialing", "balancer: within " + timeout.toMillis() + " ms");
            return FuzzCampaign.Opened.FAILED;
        }

        @Override
        public Boolean refused(Duration timeout) {
            return null;
        }

        @Override
        public String awaitClosed(Duration timeout) throws InterruptedException {
            return suspends.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS) ? "suspended" : null;
        }

        @Override
        public boolean seesReasons() {
            return false;
        }

        @Override
        public void onClusterEvent(ClusterEvent event) {
            if (event instanceof ClusterEvent.DialingResumed) {
                resumed.incrementAndGet();
                resumes.release();
            } else if (event instanceof ClusterEvent.DialingSuspended suspended) {
                if (suspended.detail().isBlank()) {
                    findings.violation("DialingSuspended without a detail", suspended.toString());
                }
                suspends.release();
            }
        }

        @Override
        public void onTelephonyEvent(TelephonyEvent event) {
            FuzzCampaign.checkEvent(event, findings, "balancer");
        }

        @Override
        public void connectionEnded(String where) throws Exception {
            awaitAll(where);
        }

        void awaitAll(String where) throws InterruptedException {
            for (Pending<DialOutcome> dial : pending) {
                DialOutcome outcome = dial.await(REQUEST_TIMEOUT.plus(FuzzCampaign.MARGIN), findings, where + " dial");
                if (outcome == null) {
                    continue;
                }
                String kind = outcome instanceof DialOutcome.Dialed ? "Dialed"
                        : outcome instanceof DialOutcome.Held held ? "Held " + held.reason() : "Failed " + ((DialOutcome.Failed) outcome).reason();
                outcomes.merge(kind, 1L, Long::sum);
                if (outcome instanceof DialOutcome.Dialed dialed && !FuzzCampaign.connIdOk(dialed.connId())) {
                    findings.violation("a dial Dialed without a ConnID of 1 to 64 bytes", where + ": " + dialed);
                }
            }
            pending.clear();
        }
    }
}
