package org.dialbalance.acceptance.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tserver client against hostile or sloppy servers over loopback (issue 11, items 2, 3, 7, 8 and 10):
 * what a server can make the client keep, what one bad request can do to its link, frames that break
 * PROTOCOL.md, call events after a switch-over, and the exact keep-alive rule.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)   // sockets: a hang fails fast instead of stalling CI
class TserverHardeningTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final CampaignGroup GROUP = CampaignGroup.of("g", DialingMode.PREDICTIVE, "ag");
    private static final DialRequest REQUEST = DialRequest.PredictiveCall.of(GROUP, "7000", "5551234", Duration.ofSeconds(20));

    /** Records events and onClosed. */
    private static final class Recorder implements LinkListener {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final BlockingQueue<TelephonyEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(TelephonyEvent event) {
            events.add(event);
        }

        TelephonyEvent nextEvent() throws InterruptedException {
            TelephonyEvent next = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("an event within %s", WAIT).isNotNull();
            return next;
        }

        @Override
        public void onClosed(String reason) {
            closed.complete(reason);
        }
    }

    // ---- item 3: one oversized request must not kill its link ----

    @Test
    void aRequestLargerThanMaxFrameSizeIsRefusedUnwrittenAndTheOthersInFlightOnItsLinkCarryOn() throws Exception {
        // the server records dials without answering them until the test does
        try (FakeTserver server = new FakeTserver((fake, message) -> {
                if (message.type() == MessageType.REQUEST_REGISTER_CLIENT) {
                    fake.send(FakeTserver.linkConnected());
                }
            });
             Transport transport = transport(Duration.ZERO, Map.of())) {
            Recorder recorder = new Recorder();
            Link link = connect(transport, server.endpoint(), LinkRole.PRIMARY, recorder);
            List<CompletableFuture<SendResult>> inFlight = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                inFlight.add(link.send(REQUEST).toCompletableFuture());
            }
            List<Message> written = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                written.add(server.next(MessageType.REQUEST_MAKE_PREDICTIVE_CALL, WAIT).message());
            }

            SendResult oversized = link.send(withUserData(Map.of("notes", "x".repeat(40_000), "more", "y".repeat(40_000)))).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            Map<String, String> manyPairs = new LinkedHashMap<>();
            IntStream.range(0, 70_000).forEach(i -> manyPairs.put("k" + i, ""));
            SendResult tooManyPairs = link.send(withUserData(manyPairs)).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(oversized).isInstanceOfSatisfying(SendResult.Refused.class,
                    refused -> assertThat(refused.reason()).contains("max-frame-size").contains("65536"));
            assertThat(tooManyPairs).isInstanceOfSatisfying(SendResult.Refused.class,
                    refused -> assertThat(refused.reason()).contains("65535"));
            for (Message request : written) {
                server.send(FakeTserver.dialing(request, "C-" + request.number(Attribute.REFERENCE_ID).orElseThrow()));
            }
            for (CompletableFuture<SendResult> result : inFlight) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isInstanceOf(SendResult.Accepted.class);
            }
            assertThat(link.isOpen()).isTrue();
            assertThat(recorder.closed).isNotDone();
        }
    }

    @Test
    void aUserDataEntryTheCodecCannotEncodeIsRefusedNotReportedWritten() throws Exception {
        try (FakeTserver server = new FakeTserver(FakeTserver::standard);
             Transport transport = transport(Duration.ZERO, Map.of("max-frame-size", Integer.toString(1024 * 1024)))) {
            Link link = connect(transport, server.endpoint(), LinkRole.PRIMARY, new Recorder());

            SendResult result = link.send(withUserData(Map.of("notes", "x".repeat(70_000)))).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(result).isInstanceOfSatisfying(SendResult.Refused.class,
                    refused -> assertThat(refused.reason()).contains("limited to 65535 bytes"));
            assertThat(link.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(SendResult.Accepted.class);
        }
    }

    // ---- item 2: what a server can make the client keep ----

    @Test
    void aConnIdLongerThan64BytesIsAProtocolViolationThatClosesTheLink() throws Exception {
        try (FakeTserver server = new FakeTserver((fake, message) -> {
                if (message.type() == MessageType.REQUEST_MAKE_PREDICTIVE_CALL) {
                    String connId = message.number(Attribute.REFERENCE_ID).orElseThrow() == 1 ? "c".repeat(64) : "c".repeat(60_000);
                    fake.send(FakeTserver.dialing(message, connId));
                } else {
                    FakeTserver.standard(fake, message);
                }
            });
             Transport transport = transport(Duration.ZERO, Map.of())) {
            Recorder recorder = new Recorder();
            Link link = connect(transport, server.endpoint(), LinkRole.PRIMARY, recorder);

            assertThat(link.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS)).as("64 bytes is the limit, inclusive")
                    .isEqualTo(new SendResult.Accepted(1, "c".repeat(64)));
            SendResult second = link.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(second).as("written, so never re-sent").isInstanceOfSatisfying(SendResult.LostAfterWrite.class,
                    lost -> assertThat(lost.reason()).contains("protocol violation").contains("ConnID of at least 60000 bytes"));
            assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).contains("protocol violation").contains("longer than the protocol's 64");
        }
    }

    // ---- item 7: tolerance and strictness ----

    @Test
    void keepAlivePingsBeforeRegistrationAreAnsweredAndTheLinkOpens() throws Exception {
        try (FakeTserver server = new FakeTserver((fake, message) -> {
                if (message.type() == MessageType.REQUEST_REGISTER_CLIENT) {
                    fake.send(Message.of(MessageType.KEEP_ALIVE_PING).build());
                    fake.send(Message.of(MessageType.KEEP_ALIVE_PONG).build());
                    fake.send(FakeTserver.linkConnected());
                } else {
                    FakeTserver.standard(fake, message);
                }
            });
             Transport transport = transport(Duration.ZERO, Map.of())) {
            Link link = connect(transport, server.endpoint(), LinkRole.PRIMARY, new Recorder());

            server.next(MessageType.KEEP_ALIVE_PONG, WAIT);
            assertThat(link.isOpen()).isTrue();
            assertThat(link.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(SendResult.Accepted.class);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"REQUEST_MAKE_CALL", "REQUEST_MAKE_PREDICTIVE_CALL", "REQUEST_REGISTER_CLIENT",
            "REQUEST_REGISTER_ADDRESS", "EVENT_LINK_CONNECTED"})
    void aFrameInTheWrongDirectionClosesTheLinkAndIsNeverDeliveredAsAnEvent(MessageType type) throws Exception {
        Message wrong = type == MessageType.EVENT_LINK_CONNECTED ? FakeTserver.linkConnected()
                : Message.of(type).number(Attribute.REFERENCE_ID, 1).text(Attribute.THIS_DN, "7000").text(Attribute.OTHER_DN, "555")
                        .text(Attribute.CONN_ID, "X-1").build();
        try (FakeTserver server = new FakeTserver(FakeTserver::standard);
             Transport transport = transport(Duration.ZERO, Map.of())) {
            Recorder recorder = new Recorder();
            connect(transport, server.endpoint(), LinkRole.PRIMARY, recorder);

            server.send(wrong);

            assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).startsWith("protocol violation: ")
                    .contains(type == MessageType.EVENT_LINK_CONNECTED ? "a second EventLinkConnected" : "is a client-to-server message");
            assertThat(recorder.events).isEmpty();
        }
    }

    @Test
    void anEventDialingWithoutItsConnIdIsAProtocolViolationNotADialedCall() throws Exception {
        try (FakeTserver server = new FakeTserver((fake, message) -> {
                if (message.type() == MessageType.REQUEST_MAKE_PREDICTIVE_CALL) {
                    fake.send(Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID,
                            message.number(Attribute.REFERENCE_ID).orElseThrow()).build());
                } else {
                    FakeTserver.standard(fake, message);
                }
            });
             Transport transport = transport(Duration.ZERO, Map.of())) {
            Recorder recorder = new Recorder();
            Link link = connect(transport, server.endpoint(), LinkRole.PRIMARY, recorder);

            SendResult result = link.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(result).isInstanceOfSatisfying(SendResult.LostAfterWrite.class, lost -> assertThat(lost.reason())
                    .isEqualTo("protocol violation: EventDialing for ReferenceID 1 without its required ConnID (a non-empty string)"));
            assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isEqualTo(
                    "protocol violation: EventDialing for ReferenceID 1 without its required ConnID (a non-empty string)");
        }
    }

    // ---- item 8: call ownership is per node ----

    @Test
    void aCallDialedThroughThePrimaryIsStillACallOfTheNodeWhenItsEventsComeFromTheBackup() throws Exception {
        try (FakeTserver primary = new FakeTserver(FakeTserver::standard);
             FakeTserver backup = new FakeTserver(FakeTserver::standard);
             Transport transport = transport(Duration.ZERO, Map.of())) {
            Recorder onPrimary = new Recorder();
            Recorder onBackup = new Recorder();
            Link primaryLink = connect(transport, primary.endpoint(), LinkRole.PRIMARY, onPrimary);
            connect(transport, backup.endpoint(), LinkRole.BACKUP, onBackup);
            SendResult.Accepted dialed = (SendResult.Accepted) primaryLink.send(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS);

            primary.kill();
            onPrimary.closed.get(10, TimeUnit.SECONDS);
            backup.send(Message.of(MessageType.EVENT_RELEASED).text(Attribute.CONN_ID, dialed.connId()).text(Attribute.THIS_DN, "7000")
                    .number(Attribute.CALL_STATE, 3).build());

            TelephonyEvent released = onBackup.nextEvent();
            assertThat(released.scope()).isEqualTo(TelephonyEvent.Scope.CALL);
            assertThat(released.node()).isEqualTo(NodeId.of(102));
            assertThat(released.via()).isEqualTo(LinkRole.BACKUP);
            assertThat(released.connId()).isEqualTo(dialed.connId());

            backup.send(Message.of(MessageType.EVENT_RELEASED).text(Attribute.CONN_ID, dialed.connId()).build());
            backup.send(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7001").build());
            assertThat(onBackup.nextEvent().scope()).as("a released call is forgotten by the node").isEqualTo(TelephonyEvent.Scope.DN);
            assertThat(onBackup.nextEvent().name()).isEqualTo("EventRinging");
        }
    }

    // ---- item 10: the keep-alive rule ----

    @Test
    void aSilentServerIsPolledAfterAddpTimeoutAndDeclaredDownOneAddpTimeoutAfterThePollNotBefore() throws Exception {
        Duration addp = Duration.ofMillis(400);
        CompletableFuture<Long> lastWrite = new CompletableFuture<>();
        // registers the client, then reads everything and writes nothing: a blackhole
        try (FakeTserver server = new FakeTserver((fake, message) -> {
                if (message.type() == MessageType.REQUEST_REGISTER_CLIENT) {
                    lastWrite.complete(System.nanoTime());
                    fake.send(FakeTserver.linkConnected());
                }
            });
             Transport transport = transport(addp, Map.of())) {
            Recorder recorder = new Recorder();
            Link link = connect(transport, server.endpoint(), LinkRole.PRIMARY, recorder);

            String reason = recorder.closed.get(30, TimeUnit.SECONDS);
            long closedAt = server.clientClosedAtNanos.get(10, TimeUnit.SECONDS);

            assertThat(reason).isEqualTo("no reply to the keep-alive ping within 400 ms (addp-timeout), after 400 ms without traffic:"
                    + " link declared down");
            List<FakeTserver.Received> received = new ArrayList<>(server.received);
            assertThat(received).extracting(r -> r.message().type()).as("exactly one poll, then down")
                    .containsExactly(MessageType.REQUEST_REGISTER_CLIENT, MessageType.KEEP_ALIVE_PING);
            long silentBeforePoll = received.get(1).atNanos() - lastWrite.get();
            long silentBeforeDown = closedAt - lastWrite.get();
            assertThat(silentBeforePoll).as("the poll comes after addp-timeout of silence").isGreaterThanOrEqualTo(addp.toNanos());
            assertThat(silentBeforeDown).as("the link is not declared down before twice addp-timeout of silence")
                    .isGreaterThanOrEqualTo(addp.multipliedBy(2).toNanos());
            assertThat(closedAt - received.get(1).atNanos()).as("nor before addp-timeout after the poll").isGreaterThan(0);
            assertThat(link.isOpen()).isFalse();
        }
    }

    @Test
    void aServerThatAnswersEachPollKeepsAQuietLinkUp() throws Exception {
        Duration addp = Duration.ofMillis(300);
        try (FakeTserver server = new FakeTserver(FakeTserver::standard);
             Transport transport = transport(addp, Map.of())) {
            Recorder recorder = new Recorder();
            Link link = connect(transport, server.endpoint(), LinkRole.PRIMARY, recorder);

            for (int poll = 0; poll < 3; poll++) {
                server.next(MessageType.KEEP_ALIVE_PING, WAIT);
            }

            assertThat(recorder.closed).as("three polls answered: never declared down").isNotDone();
            assertThat(link.isOpen()).isTrue();
        }
    }

    // ---- helpers ----

    private static DialRequest withUserData(Map<String, String> userData) {
        return new DialRequest.PredictiveCall(GROUP, "7000", "5551234", Duration.ofSeconds(20), userData, Map.of());
    }

    private static Link connect(Transport transport, Endpoint endpoint, LinkRole role, LinkListener listener) throws Exception {
        return transport.connect(new LinkTarget(NodeId.of(102), role, endpoint), listener).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Transport transport(Duration addp, Map<String, String> options) {
        ConfigResult<Transport> result = new TserverTransportProvider().create(new TransportSettings("hardening-test", WAIT,
                Duration.ofSeconds(10), addp, Duration.ZERO, AddpTrace.FULL, 1000, options));
        assertThat(result).as("%s", result).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid<Transport>) result).value();
    }
}
