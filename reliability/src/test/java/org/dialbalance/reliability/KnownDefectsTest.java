package org.dialbalance.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.CampaignGroup;
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
import org.dialbalance.transport.tserver.TserverTransportProvider;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Minimal reproductions of the defects the fuzzer found ({@link KnownDefect}), each one frame from a bare server after
 * a valid registration. They assert what PROTOCOL.md and the Link contract ask for, so they fail until the tserver
 * client is fixed; they are disabled with the reason, and reported to the lead. Enable one when its fix lands (and
 * delete its {@link KnownDefect} constant so the fuzzer fails on it again).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KnownDefectsTest {

    private static final DialRequest REQUEST = DialRequest.PredictiveCall.of(CampaignGroup.of("g", DialingMode.PREDICTIVE, "ag"),
            "7000", "5551234", Duration.ofSeconds(20));
    private final ExecutorService serverThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        serverThread.shutdownNow();
    }

    @Test
    void aClientToServerMessageFromTheServerIsNotPassedOnAsAnEvent() throws Exception {
        List<TelephonyEvent> events = oneFrame(Message.of(MessageType.REQUEST_MAKE_CALL).number(Attribute.REFERENCE_ID, 1)
                .text(Attribute.THIS_DN, "7000").text(Attribute.OTHER_DN, "555").build(), null);
        assertThat(events).isEmpty();
    }

    @Test
    void aSecondEventLinkConnectedIsNotPassedOnAsAnEvent() throws Exception {
        List<TelephonyEvent> events = oneFrame(Message.of(MessageType.EVENT_LINK_CONNECTED).number(Attribute.PROTOCOL_VERSION, 1).build(), null);
        assertThat(events).isEmpty();
    }

    @Test
    void aCallEventWithoutConnIdIsNotPassedOnWithAnEmptyConnId() throws Exception {
        List<TelephonyEvent> events = oneFrame(Message.of(MessageType.EVENT_ESTABLISHED).text(Attribute.THIS_DN, "7000").build(), null);
        assertThat(events).noneMatch(event -> event.connId().isEmpty());
    }

    @Test
    void aRingingEventWithoutThisDnIsNotPassedOn() throws Exception {
        List<TelephonyEvent> events = oneFrame(Message.of(MessageType.EVENT_RINGING).text(Attribute.CONN_ID, "c1").build(), null);
        assertThat(events).noneMatch(event -> event.thisDn().isEmpty());
    }

    @Test
    void anEventDialingWithoutConnIdDoesNotAcceptTheDialWithAnEmptyConnId() throws Exception {
        CompletableFuture<SendResult> result = new CompletableFuture<>();
        oneFrame(Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, 1).build(), result);
        SendResult sent = result.get(10, TimeUnit.SECONDS);
        assertThat(sent instanceof SendResult.Accepted accepted && accepted.connId().isEmpty()).as("%s", sent).isFalse();
    }

    /**
     * A bare server registers the client, waits for one dial if {@code dial} is given (the link sends it), sends
     * {@code frame}, then EventLinkDisconnected, and the events the listener got up to its close are returned.
     */
    private List<TelephonyEvent> oneFrame(Message frame, CompletableFuture<SendResult> dial) throws Exception {
        List<TelephonyEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<String> closed = new CompletableFuture<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Transport transport = transport()) {
            CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
                try (Socket client = server.accept()) {
                    DataInputStream in = new DataInputStream(client.getInputStream());
                    DataOutputStream out = new DataOutputStream(client.getOutputStream());
                    in.readFully(new byte[in.readInt()]);                       // RequestRegisterClient
                    out.write(Frames.valid(Frames.linkConnected(1)).bytes());
                    if (dial != null) {
                        in.readFully(new byte[in.readInt()]);                   // the dial, ReferenceID 1
                    }
                    out.write(Frames.valid(frame).bytes());
                    out.write(Frames.valid(Frames.disconnected()).bytes());
                    out.flush();
                    in.read();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, serverThread);
            Link link = transport.connect(new LinkTarget(NodeId.of(101), LinkRole.PRIMARY, new Endpoint("127.0.0.1", server.getLocalPort(),
                    PortKind.TC_PORT)), new LinkListener() {
                        @Override
                        public void onEvent(TelephonyEvent event) {
                            events.add(event);
                        }

                        @Override
                        public void onClosed(String reason) {
                            closed.complete(reason);
                        }
                    }).toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (dial != null) {
                link.send(REQUEST).whenComplete((result, failure) -> dial.complete(result));
            }
            closed.get(10, TimeUnit.SECONDS);
            script.get(10, TimeUnit.SECONDS);
        }
        return events;
    }

    private static Transport transport() {
        ConfigResult<Transport> result = new TserverTransportProvider().create(new TransportSettings("defects", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, AddpTrace.OFF, 100, Map.of()));
        return ((ConfigResult.Valid<Transport>) result).value();
    }
}
