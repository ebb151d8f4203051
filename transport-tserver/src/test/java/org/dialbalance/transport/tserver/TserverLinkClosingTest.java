package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.dialbalance.api.transport.RegisterResult;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderException;

/**
 * How a link ends: whoever closes it, every request in flight completes once (lost after write if its write had begun),
 * every registration waiting completes, then the listener hears {@code onClosed} once with the reason. Frames that break
 * PROTOCOL.md close the link with a logged reason and are not acted on.
 */
class TserverLinkClosingTest {

    private static final String TARGET = LinkHarness.TARGET.toString();

    private final LinkHarness harness = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ZERO, 10));

    @Test
    void whenTheServerClosesEveryPendingRequestIsLostThenTheListenerHearsItOnce() {
        harness.open();
        CompletableFuture<SendResult> first = harness.dial("5550001");
        CompletableFuture<SendResult> second = harness.dial("5550002");
        CompletableFuture<RegisterResult> registration = harness.link.registerAddress("7001").toCompletableFuture();
        List<Boolean> completeWhenClosed = new ArrayList<>();
        harness.onClosed = () -> completeWhenClosed.addAll(List.of(first.isDone(), second.isDone(), registration.isDone()));

        harness.channel.close();

        String reason = "connection closed by the server";
        assertThat(first).isCompletedWithValue(new SendResult.LostAfterWrite(reason));
        assertThat(second).isCompletedWithValue(new SendResult.LostAfterWrite(reason));
        assertThat(registration).isCompletedWithValue(new RegisterResult("7001", false, reason));
        assertThat(completeWhenClosed).as("all complete before onClosed").containsExactly(true, true, true);
        assertThat(harness.closes).containsExactly(reason);
        harness.assertClosed();

        harness.link.close();
        harness.channel.pipeline().fireChannelInactive();
        assertThat(harness.closes).as("onClosed once").hasSize(1);
        assertThat(harness.dial("5550003")).isCompletedWithValue(new SendResult.NotWritten("link to " + TARGET + " is closed"));
        assertThat(harness.link.registerAddress("7002").toCompletableFuture()).isCompletedWithValue(
                new RegisterResult("7002", false, "link to " + TARGET + " is closed"));
    }

    @Test
    void closingTheLinkGivesTheClientsReasonAndEachRequestKeepsItsOneOutcome() {
        harness.open();
        CompletableFuture<SendResult> dial = harness.dial("5550001");

        harness.link.close();

        assertThat(dial).isCompletedWithValue(new SendResult.LostAfterWrite("closed by the client"));
        assertThat(harness.closes).containsExactly("closed by the client");
        harness.assertClosed();
        harness.advance(Duration.ofSeconds(2));
        assertThat(dial).isCompletedWithValue(new SendResult.LostAfterWrite("closed by the client"));
    }

    @Test
    void aRequestWhoseLinkClosesWhileItIsBeingSentIsNotWrittenAndNothingWaits() {
        harness.open();
        harness.onClockRead = () -> harness.channel.close();    // the link closes between the checks and the write

        CompletableFuture<SendResult> dial = harness.dial("5550001");

        assertThat(dial).isCompletedWithValue(new SendResult.NotWritten("link to " + TARGET + " closed before the write"));
        assertThat(harness.allSent()).isEmpty();
        assertThat(harness.closes).containsExactly("connection closed by the server");
    }

    @Test
    void eventLinkDisconnectedClosesTheLink() {
        harness.open();
        CompletableFuture<SendResult> dial = harness.dial("5550001");

        harness.receive(Message.of(MessageType.EVENT_LINK_DISCONNECTED).build());

        harness.assertClosed();
        assertThat(dial).isCompletedWithValue(new SendResult.LostAfterWrite("the server announced EventLinkDisconnected"));
        assertThat(harness.closes).containsExactly("the server announced EventLinkDisconnected");
    }

    @Test
    void aClientToServerMessageFromTheServerClosesTheLinkAndIsLogged() {
        assertViolationCloses(Message.of(MessageType.REQUEST_MAKE_CALL).number(Attribute.REFERENCE_ID, 1).build(),
                "protocol violation: RequestMakeCall is a client-to-server message");
    }

    @Test
    void aSecondEventLinkConnectedClosesTheLink() {
        assertViolationCloses(LinkHarness.linkConnected(1), "protocol violation: a second EventLinkConnected on a registered link");
    }

    @Test
    void anEventDialingWithAConnIdOver64BytesClosesTheLinkAndIsNotTakenForACall() {
        String connId = "x".repeat(65);
        assertViolationCloses(LinkHarness.dialing(1, connId),
                "protocol violation: EventDialing for ReferenceID 1 with a ConnID of at least 65 bytes, longer than the protocol's 64");
        assertThat(harness.calls.contains(connId)).isFalse();
    }

    @Test
    void aConnIdOfAnotherTypeInAnyEventClosesTheLink() {
        assertViolationCloses(Message.of(MessageType.KEEP_ALIVE_PING).number(Attribute.CONN_ID, 5).build(),
                "protocol violation: KeepAlivePing with a ConnID that is not a non-empty string");
        assertThat(harness.allSent()).as("the ping is not answered").isEmpty();
    }

    @Test
    void framesAfterAViolationInTheSameReadAreNotActedOn() {
        harness.open();
        CompletableFuture<SendResult> dial = harness.dial("5550001");
        harness.sent();
        ByteBuf frames = Unpooled.wrappedBuffer(LinkHarness.frame(Message.of(MessageType.EVENT_RELEASED).build()),
                LinkHarness.frame(LinkHarness.dialing(1, "00A1")),
                LinkHarness.frame(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7001").build()),
                LinkHarness.frame(Message.of(MessageType.KEEP_ALIVE_PING).build()));

        harness.outbound.holdClose = true;

        harness.receiveBytes(frames);

        assertThat(harness.outbound.heldCloses()).as("the violation asked for the close").isEqualTo(1);
        harness.outbound.releaseClose();
        String reason = "protocol violation: EventReleased without its required ConnID (a non-empty string)";
        assertThat(dial).isCompletedWithValue(new SendResult.LostAfterWrite(reason));
        assertThat(harness.calls.contains("00A1")).isFalse();
        assertThat(harness.events).isEmpty();
        assertThat(harness.allSent()).isEmpty();
        assertThat(harness.closes).containsExactly(reason);
    }

    @Test
    void aMalformedFrameClosesTheLinkAsAProtocolViolation() {
        harness.open();
        CompletableFuture<SendResult> dial = harness.dial("5550001");

        try (LogCapture log = new LogCapture()) {
            harness.receiveBytes(Unpooled.buffer().writeInt(4).writeShort(4242).writeShort(0));

            assertThat(harness.closes).singleElement().asString().startsWith("protocol violation: ").contains("4242");
            assertThat(log.lines(Level.WARN)).containsExactly("Closing the link to " + TARGET + ": " + harness.closes.get(0));
        }
        harness.assertClosed();
        assertThat(dial).isCompletedWithValue(new SendResult.LostAfterWrite(harness.closes.get(0)));
    }

    @Test
    void aFrameLargerThanMaxFrameSizeClosesTheLink() {
        LinkHarness small = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ZERO, 10), new DialedCalls(10), 100);
        small.open();

        small.receiveBytes(Unpooled.buffer().writeInt(101).writeZero(101));

        small.assertClosed();
        assertThat(small.closes).singleElement().asString().startsWith("frame larger than max-frame-size: ");
    }

    @Test
    void anIoErrorClosesTheLinkNamingTheError() {
        harness.open();

        harness.channel.pipeline().fireExceptionCaught(new IOException("connection reset by peer"));
        harness.channel.runPendingTasks();

        harness.assertClosed();
        assertThat(harness.closes).containsExactly("I/O error: java.io.IOException: connection reset by peer");
    }

    @Test
    void aDecoderErrorWithoutCauseIsReportedAsItself() {
        harness.open();

        harness.channel.pipeline().fireExceptionCaught(new DecoderException("bad bytes"));
        harness.channel.runPendingTasks();

        assertThat(harness.closes).containsExactly("I/O error: io.netty.handler.codec.DecoderException: bad bytes");
    }

    @Test
    void theFirstReasonToCloseIsTheOneReported() {
        harness.open();
        harness.outbound.holdClose = true;

        harness.receive(Message.of(MessageType.EVENT_LINK_DISCONNECTED).build());
        harness.link.close();
        harness.outbound.releaseClose();

        harness.assertClosed();
        assertThat(harness.closes).containsExactly("the server announced EventLinkDisconnected");
    }

    @Test
    void aMalformedFrameAfterAViolationDoesNotChangeTheReason() {
        harness.open();
        harness.outbound.holdClose = true;

        harness.receive(Message.of(MessageType.EVENT_DIALING).build());
        harness.receiveBytes(Unpooled.buffer().writeInt(4).writeShort(4242).writeShort(0));
        harness.outbound.releaseClose();

        assertThat(harness.closes).containsExactly("protocol violation: EventDialing without its required ReferenceID (an int64)");
    }

    private void assertViolationCloses(Message message, String reason) {
        harness.open();
        CompletableFuture<SendResult> dial = harness.dial("5550001");
        harness.sent();

        try (LogCapture log = new LogCapture()) {
            harness.receive(message);

            assertThat(log.lines(Level.WARN)).containsExactly("Closing the link to " + TARGET + ": " + reason);
        }
        harness.assertClosed();
        assertThat(dial).isCompletedWithValue(new SendResult.LostAfterWrite(reason));
        assertThat(harness.closes).containsExactly(reason);
    }
}
