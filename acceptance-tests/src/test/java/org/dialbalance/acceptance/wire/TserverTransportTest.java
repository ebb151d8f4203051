package org.dialbalance.acceptance.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.AddpTrace;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.api.transport.TransportSettings;
import org.dialbalance.simcluster.SimulatedCluster;
import org.dialbalance.transport.tserver.TlsContexts;
import org.dialbalance.transport.tserver.TserverTransportProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tserver client against real sockets: its Link contract, its limits, TLS, and its threads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)   // sockets: a hang fails fast instead of stalling CI
class TserverTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final DialRequest REQUEST = DialRequest.PredictiveCall.of(CampaignGroup.of("g", DialingMode.PREDICTIVE, "ag"),
            "7000", "5551234", Duration.ofSeconds(20));

    private final ExecutorService rawServerThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopRawServer() {
        rawServerThread.shutdownNow();
    }

    /** Records onClosed; completes {@link #closed} with the reason. */
    private static final class Recorder implements LinkListener {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final List<TelephonyEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile int closedCalls;

        @Override
        public void onEvent(TelephonyEvent event) {
            events.add(event);
        }

        @Override
        public void onClosed(String reason) {
            closedCalls++;
            closed.complete(reason);
        }
    }

    @Test
    void anOversizedFrameClosesTheLinkWithAReasonAndNothingIsThrown() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Transport transport = transport(Map.of("max-frame-size", "1024"), 100)) {
            rawServer(server, out -> {
                out.writeInt(10 * 1024 * 1024);    // a 10 MiB frame announced
                out.write(new byte[64]);
            });
            Recorder recorder = new Recorder();
            Link link = transport.connect(target(server.getLocalPort()), recorder).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).contains("frame larger than max-frame-size");
            assertThat(link.isOpen()).isFalse();
            assertThat(link.send(REQUEST).toCompletableFuture().join()).isInstanceOf(SendResult.NotWritten.class);
        }
    }

    @Test
    void aMalformedFrameClosesTheLinkNamingTheViolation() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Transport transport = transport(Map.of(), 100)) {
            rawServer(server, out -> {
                out.writeInt(4);
                out.writeShort(0x7777);            // an unknown message type
                out.writeShort(0);
            });
            Recorder recorder = new Recorder();
            transport.connect(target(server.getLocalPort()), recorder).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).contains("protocol violation").contains("unknown message type 30583");
            assertThat(recorder.closedCalls).isEqualTo(1);
        }
    }

    @Test
    void pendingRequestsAreBoundedAndARequestBeyondTheLimitFailsAtOnce() throws Exception {
        try (SimulatedCluster cluster = SimulatedCluster.builder().node(101, false).build();
             Transport transport = transport(Map.of(), 5)) {
            cluster.server(NodeId.of(101), LinkRole.PRIMARY).latency(Duration.ofSeconds(30));
            Link link = connect(transport, cluster);
            List<CompletableFuture<SendResult>> pending = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                pending.add(link.send(REQUEST).toCompletableFuture());
            }

            assertThat(link.send(REQUEST).toCompletableFuture().getNow(null)).isEqualTo(new SendResult.PendingLimit(5));
            assertThat(pending).noneMatch(CompletableFuture::isDone);

            link.close();
            for (CompletableFuture<SendResult> result : pending) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isInstanceOf(SendResult.LostAfterWrite.class);
            }
        }
    }

    @Test
    void aReplyThatNeverComesTimesOut() throws Exception {
        try (SimulatedCluster cluster = SimulatedCluster.builder().node(101, false).build();
             Transport transport = transport(Map.of(), 100)) {
            Link link = connect(transport, cluster);
            cluster.server(NodeId.of(101), LinkRole.PRIMARY).latency(Duration.ofSeconds(30));

            assertThat(link.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(new SendResult.TimedOut(300));
            assertThat(link.isOpen()).as("a timeout does not close the link").isTrue();
        }
    }

    @Test
    void aRejectedRequestCarriesTheServersErrorAndAnAcceptedOneItsConnId() throws Exception {
        try (SimulatedCluster cluster = SimulatedCluster.builder().node(101, false).build();
             Transport transport = transport(Map.of(), 100)) {
            Link link = connect(transport, cluster);

            assertThat(link.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(SendResult.Accepted.class, accepted -> assertThat(accepted.connId()).startsWith("101A-"));
            cluster.server(NodeId.of(101), LinkRole.PRIMARY).reject(true);
            assertThat(link.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> assertThat(rejected.errorCode()).isEqualTo(56));
            assertThat(link.registerAddress("7001").toCompletableFuture().get(10, TimeUnit.SECONDS).registered()).isTrue();
        }
    }

    @Test
    void mutualTlsWithCertificatesMadeForThisTest(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        var serverTls = TlsContexts.server(certificates.serverKeys(), TestCertificates.PASSWORD, certificates.serverTrust(),
                TestCertificates.PASSWORD);
        try (SimulatedCluster cluster = SimulatedCluster.builder().node(101, false).tls(serverTls).build()) {
            Map<String, String> tls = Map.of("tls.enabled", "true", "tls.trust-store", certificates.clientTrust().toString(),
                    "tls.trust-store-password", TestCertificates.PASSWORD, "tls.key-store", certificates.clientKeys().toString(),
                    "tls.key-store-password", TestCertificates.PASSWORD);
            try (Transport transport = transport(tls, 100)) {
                Link link = connect(transport, cluster);
                assertThat(link.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(SendResult.Accepted.class);
            }
            Map<String, String> noClientCertificate = Map.of("tls.enabled", "true", "tls.trust-store", certificates.clientTrust().toString(),
                    "tls.trust-store-password", TestCertificates.PASSWORD);
            try (Transport transport = transport(noClientCertificate, 100)) {
                assertThatThrownBy(() -> connect(transport, cluster)).hasMessageContaining("101");
            }
        }
    }

    @Test
    void badTransportOptionsAreReportedTogether() {
        ConfigResult<Transport> result = new TserverTransportProvider().create(settings(Map.of("max-frame-size", "12",
                "tls.enabled", "yes", "tls.trust-store", "/no/such.p12", "mtu", "9000"), 10));

        assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
        assertThat(((ConfigResult.Invalid<Transport>) result).problems()).extracting(ConfigProblem::option).containsExactlyInAnyOrder(
                "transport-options.tserver.max-frame-size", "transport-options.tserver.tls.enabled",
                "transport-options.tserver.tls.trust-store", "transport-options.tserver.mtu");
    }

    @Test
    void closingTheTransportClosesItsLinksAndEndsItsThreads() throws Exception {
        try (SimulatedCluster cluster = SimulatedCluster.builder().node(101, false).build()) {
            Transport transport = transport(Map.of(), 100);
            Recorder recorder = new Recorder();
            transport.connect(target(cluster.nodeSpecs().get(0).primary().port()), recorder).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(threads()).isNotEmpty();

            transport.close();

            assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isEqualTo("closed by the client");
            for (Thread thread : threads()) {
                thread.join(5_000);
            }
            assertThat(threads()).isEmpty();
            assertThatThrownBy(() -> transport.connect(target(1), new Recorder()).toCompletableFuture().join())
                    .hasMessageContaining("closed");
        }
    }

    private static List<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("dialbalance-tserver")).toList();
    }

    private interface RawScript {
        void play(DataOutputStream out) throws IOException;
    }

    /** A bare server: accepts one client, reads its registration, answers EventLinkConnected, then plays a script. */
    private void rawServer(ServerSocket server, RawScript script) {
        rawServerThread.submit(() -> {
            try (Socket client = server.accept()) {
                DataInputStream in = new DataInputStream(client.getInputStream());
                in.readFully(new byte[in.readInt()]);
                DataOutputStream out = new DataOutputStream(client.getOutputStream());
                byte[] version = {0x03, (byte) 0xe8, 0x01, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1};   // ProtocolVersion = 1
                out.writeInt(4 + version.length);
                out.writeShort(95);     // EventLinkConnected
                out.writeShort(1);
                out.write(version);
                script.play(out);
                out.flush();
                in.read();              // hold the connection until the client closes it
            }
            return null;
        });
    }

    private static Link connect(Transport transport, SimulatedCluster cluster) throws Exception {
        return transport.connect(target(cluster.nodeSpecs().get(0).primary().port()), new Recorder()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static LinkTarget target(int port) {
        return new LinkTarget(NodeId.of(101), LinkRole.PRIMARY, new Endpoint("127.0.0.1", port, PortKind.TC_PORT));
    }

    private static Transport transport(Map<String, String> options, int maxPending) {
        ConfigResult<Transport> result = new TserverTransportProvider().create(settings(options, maxPending));
        assertThat(result).as("%s", result).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid<Transport>) result).value();
    }

    private static TransportSettings settings(Map<String, String> options, int maxPending) {
        return new TransportSettings("transport-test", WAIT, Duration.ofMillis(300), Duration.ZERO, Duration.ZERO, AddpTrace.OFF,
                maxPending, options);
    }
}
