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
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression tests for the tserver client's protocol strictness (PROTOCOL.md, "Protocol violations"). The first five
 * are the defects the frame fuzzer found in the old client: meaningless server frames (wrong direction, a second
 * EventLinkConnected, required attributes missing) were passed on to the host as events, or accepted a dial with an
 * empty ConnID. The transport hardening fixed them; each is now one frame from a bare server after a valid
 * registration, and asserts that the frame closes the link as a protocol violation and never reaches the host. The
 * others pin the rules added with that hardening: the ConnID bound, and keep-alives before registration.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProtocolStrictnessTest {

    private static final DialRequest REQUEST = DialRequest.PredictiveCall.of(CampaignGroup.of("g", DialingMode.PREDICTIVE, "ag"),
            "7000", "5551234", Duration.ofSeconds(20));
    private static final String OVER_64_BYTES = "C".repeat(FrameCodec.MAX_CONN_ID_BYTES + 1);
    private final ExecutorService serverThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        serverThread.shutdownNow();
    }

    // ---- found by the fuzzer (formerly KnownDefect), fixed by the transport hardening ----

    @Test
    void aClientToServerMessageFromTheServerIsNotPassedOnAsAnEvent() throws Exception {
        Outcome outcome = oneFrame(Message.of(MessageType.REQUEST_MAKE_CALL).number(Attribute.REFERENCE_ID, 1)
                .text(Attribute.THIS_DN, "7000").text(Attribute.OTHER_DN, "555").build(), false);
        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.reason()).startsWith("protocol violation:");
    }

    @Test
    void aSecondEventLinkConnectedIsNotPassedOnAsAnEvent() throws Exception {
        Outcome outcome = oneFrame(Message.of(MessageType.EVENT_LINK_CONNECTED).number(Attribute.PROTOCOL_VERSION, 1).build(), false);
        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.reason()).startsWith("protocol violation:");
    }

    @Test
    void aCallEventWithoutConnIdIsNotPassedOnWithAnEmptyConnId() throws Exception {
        Outcome outcome = oneFrame(Message.of(MessageType.EVENT_ESTABLISHED).text(Attribute.THIS_DN, "7000").build(), false);
        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.reason()).startsWith("protocol violation:");
    }

    @Test
    void aRingingEventWithoutThisDnIsNotPassedOn() throws Exception {
        Outcome outcome = oneFrame(Message.of(MessageType.EVENT_RINGING).text(Attribute.CONN_ID, "c1").build(), false);
        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.reason()).startsWith("protocol violation:");
    }

    @Test
    void anEventDialingWithoutConnIdDoesNotAcceptTheDialWithAnEmptyConnId() throws Exception {
        Outcome outcome = oneFrame(Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, 1).build(), true);
        assertThat(outcome.dial()).isInstanceOf(SendResult.LostAfterWrite.class);
        assertThat(outcome.reason()).startsWith("protocol violation:");
    }

    // ---- the rules added with the hardening ----

    @Test
    void anEventDialingWithAConnIdOver64BytesEndsItsDialLostAfterWrite() throws Exception {
        Outcome outcome = oneFrame(Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, 1)
                .text(Attribute.CONN_ID, OVER_64_BYTES).build(), true);
        assertThat(outcome.dial()).isInstanceOf(SendResult.LostAfterWrite.class);
        assertThat(outcome.reason()).startsWith("protocol violation:");
    }

    @Test
    void aCallEventWithAConnIdOver64BytesIsNotPassedOn() throws Exception {
        Outcome outcome = oneFrame(Message.of(MessageType.EVENT_RELEASED).text(Attribute.CONN_ID, OVER_64_BYTES)
                .text(Attribute.THIS_DN, "7000").build(), false);
        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.reason()).startsWith("protocol violation:");
    }

    @Test
    void aWellFormedEventIsPassedOnAndTheLinkEndsOnlyWithEventLinkDisconnected() throws Exception {
        Outcome outcome = oneFrame(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7000")
                .text(Attribute.CONN_ID, "C".repeat(FrameCodec.MAX_CONN_ID_BYTES)).build(), false);
        assertThat(outcome.events()).extracting(TelephonyEvent::name).containsExactly("EventRinging");
        assertThat(outcome.reason()).contains("EventLinkDisconnected").doesNotContain("protocol violation");
    }

    @Test
    void aKeepAlivePingBeforeRegistrationIsAnsweredAndTheLinkStillOpens() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Transport transport = transport()) {
            CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> {
                try (Socket client = server.accept()) {
                    DataInputStream in = new DataInputStream(client.getInputStream());
                    DataOutputStream out = new DataOutputStream(client.getOutputStream());
                    in.readFully(new byte[in.readInt()]);                       // RequestRegisterClient
                    out.write(Frames.valid(Frames.ping()).bytes());
                    out.flush();
                    byte[] reply = new byte[in.readInt()];
                    in.readFully(reply);
                    out.write(Frames.valid(Frames.linkConnected(1)).bytes());
                    out.write(Frames.valid(Frames.disconnected()).bytes());
                    out.flush();
                    in.read();
                    return (reply[0] & 0xff) << 8 | reply[1] & 0xff;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, serverThread);
            CompletableFuture<String> closed = new CompletableFuture<>();
            Link link = transport.connect(target(server), new LinkListener() {
                @Override
                public void onEvent(TelephonyEvent event) {
                }

                @Override
                public void onClosed(String reason) {
                    closed.complete(reason);
                }
            }).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(link).isNotNull();
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(MessageType.KEEP_ALIVE_PONG.id());
            assertThat(closed.get(10, TimeUnit.SECONDS)).contains("EventLinkDisconnected");
        }
    }

    /**
     * PROTOCOL.md: a ConnID that is not a string of 1 to 64 bytes, in any message, is a violation. Found while updating
     * the fuzzer's oracle: the client used to check the ConnID of the four call/DN events only, so an EventError with a
     * 65-byte ConnID completed the dial Rejected and the link stayed open. Fixed in TserverLink.violation; this pins it.
     */
    @Test
    void aConnIdOver64BytesInAnyMessageClosesTheLink() throws Exception {
        Outcome outcome = oneFrame(Message.of(MessageType.EVENT_ERROR).number(Attribute.REFERENCE_ID, 1).number(Attribute.ERROR_CODE, 5)
                .text(Attribute.CONN_ID, OVER_64_BYTES).build(), true);
        assertThat(outcome.reason()).startsWith("protocol violation:");
        assertThat(outcome.dial()).isInstanceOf(SendResult.LostAfterWrite.class);
    }

    /** What a link did with one frame: the events it passed on, the close reason, and the dial's result if one was made. */
    private record Outcome(List<TelephonyEvent> events, String reason, SendResult dial) {
    }

    /**
     * A bare server registers the client, waits for one dial if {@code dial} (the link sends it, ReferenceID 1), sends
     * {@code frame}, then EventLinkDisconnected; returns what the link did up to its close.
     */
    private Outcome oneFrame(Message frame, boolean dial) throws Exception {
        List<TelephonyEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<String> closed = new CompletableFuture<>();
        CompletableFuture<SendResult> result = new CompletableFuture<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Transport transport = transport()) {
            CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
                try (Socket client = server.accept()) {
                    DataInputStream in = new DataInputStream(client.getInputStream());
                    DataOutputStream out = new DataOutputStream(client.getOutputStream());
                    in.readFully(new byte[in.readInt()]);                       // RequestRegisterClient
                    out.write(Frames.valid(Frames.linkConnected(1)).bytes());
                    out.flush();
                    if (dial) {
                        in.readFully(new byte[in.readInt()]);                   // the dial, ReferenceID 1
                    }
                    out.write(Frames.frame(frame, Frames.Expect.VALID, "under test").bytes());
                    out.write(Frames.valid(Frames.disconnected()).bytes());
                    out.flush();
                    in.read();
                } catch (java.net.SocketException e) {
                    // the client closed on the frame first: the write of EventLinkDisconnected may find the socket reset
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, serverThread);
            Link link = transport.connect(target(server), new LinkListener() {
                @Override
                public void onEvent(TelephonyEvent event) {
                    events.add(event);
                }

                @Override
                public void onClosed(String reason) {
                    closed.complete(reason);
                }
            }).toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (dial) {
                link.send(REQUEST).whenComplete((sent, failure) -> result.complete(sent));
            }
            String reason = closed.get(10, TimeUnit.SECONDS);
            script.get(10, TimeUnit.SECONDS);
            return new Outcome(events, reason, dial ? result.get(10, TimeUnit.SECONDS) : null);
        }
    }

    private static LinkTarget target(ServerSocket server) {
        return new LinkTarget(NodeId.of(101), LinkRole.PRIMARY, new Endpoint("127.0.0.1", server.getLocalPort(), PortKind.TC_PORT));
    }

    private static Transport transport() {
        ConfigResult<Transport> result = new TserverTransportProvider().create(new TransportSettings("strictness", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, AddpTrace.OFF, 100, Map.of()));
        return ((ConfigResult.Valid<Transport>) result).value();
    }
}
