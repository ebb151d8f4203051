package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.transport.RegisterResult;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameHandlers;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Requests on an open link: what is written, how replies are matched to requests by ReferenceID, and the one outcome
 * each request ends with (accepted, rejected, refused, pending limit, not written, lost after write, timed out).
 */
class TserverLinkRequestsTest {

    /** A predictive call whose frame body is 285 bytes. */
    private static final DialRequest REQUEST_OF_285_BYTES = new DialRequest.PredictiveCall(LinkHarness.PREDICTIVE, "8001", "5550001",
            Duration.ofSeconds(20), Map.of("note", "n".repeat(200)), Map.of());

    private final LinkHarness harness = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ZERO, 3));

    @Test
    void aPredictiveCallIsWrittenWithEveryFieldAndAcceptedByItsEventDialing() {
        harness.open();

        CompletableFuture<SendResult> result = harness.link.send(new DialRequest.PredictiveCall(LinkHarness.PREDICTIVE, "8001",
                "5550001", Duration.ofSeconds(25), Map.of("campaign", "spring"), Map.of("record", "yes"))).toCompletableFuture();

        Message request = harness.sent();
        assertThat(request).isEqualTo(Message.of(MessageType.REQUEST_MAKE_PREDICTIVE_CALL).number(Attribute.TIMEOUT, 25)
                .number(Attribute.REFERENCE_ID, 1).text(Attribute.THIS_DN, "8001").text(Attribute.OTHER_DN, "5550001")
                .list(Attribute.USER_DATA, Map.of("campaign", "spring")).list(Attribute.EXTENSIONS, Map.of("record", "yes")).build());
        assertThat(result).isNotDone();

        harness.receive(LinkHarness.dialing(1, "00A1"));

        assertThat(result).isCompletedWithValue(new SendResult.Accepted(1, "00A1"));
        assertThat(harness.calls.contains("00A1")).as("the dialed call is tracked for its node").isTrue();
    }

    @Test
    void anEngagingCallIsATMakeCallWithoutRingTimeout() {
        harness.open();

        harness.link.send(DialRequest.EngagingCall.of(LinkHarness.SEIZING, "9001", "agents-queue"));

        assertThat(harness.sent()).isEqualTo(Message.of(MessageType.REQUEST_MAKE_CALL).number(Attribute.REFERENCE_ID, 1)
                .text(Attribute.THIS_DN, "9001").text(Attribute.OTHER_DN, "agents-queue").list(Attribute.USER_DATA, Map.of())
                .list(Attribute.EXTENSIONS, Map.of()).build());
    }

    @Test
    void repliesAreMatchedToTheirRequestsByReferenceIdInAnyOrder() {
        harness.open();
        CompletableFuture<SendResult> first = harness.dial("5550001");
        CompletableFuture<SendResult> second = harness.dial("5550002");
        CompletableFuture<SendResult> third = harness.dial("5550003");
        long[] references = harness.allSent().stream().mapToLong(LinkHarness::reference).toArray();
        assertThat(references).as("a fresh ReferenceID per request").containsExactly(1, 2, 3);

        harness.receive(LinkHarness.error(3, 56, "busy trunk"));
        harness.receive(LinkHarness.dialing(2, "c2"));
        harness.receive(LinkHarness.dialing(99, "stray"));

        assertThat(third).isCompletedWithValue(new SendResult.Rejected(3, 56, "busy trunk"));
        assertThat(second).isCompletedWithValue(new SendResult.Accepted(2, "c2"));
        assertThat(first).as("a reply for an unknown ReferenceID is ignored").isNotDone();
        assertThat(harness.calls.contains("stray")).isFalse();
        assertThat(harness.link.isOpen()).isTrue();

        harness.receive(LinkHarness.dialing(1, "c1"));
        harness.receive(LinkHarness.dialing(1, "again"));
        assertThat(first).as("the first reply counts, a second one is ignored").isCompletedWithValue(new SendResult.Accepted(1, "c1"));
        assertThat(harness.calls.contains("again")).isFalse();
    }

    @Test
    void anEventErrorWithoutMessageRejectsWithAnEmptyOneAndALongMessageIsBounded() {
        harness.open();
        CompletableFuture<SendResult> first = harness.dial("5550001");
        CompletableFuture<SendResult> second = harness.dial("5550002");

        harness.receive(Message.of(MessageType.EVENT_ERROR).number(Attribute.REFERENCE_ID, 1).number(Attribute.ERROR_CODE, 40).build());
        harness.receive(LinkHarness.error(2, 41, "y".repeat(1_000)));

        assertThat(first).isCompletedWithValue(new SendResult.Rejected(1, 40, ""));
        assertThat(second).isCompletedWithValue(new SendResult.Rejected(2, 41, TserverLink.bounded("y".repeat(1_000))));
    }

    @Test
    void beyondThePendingLimitARequestFailsAtOnceAndNothingIsWrittenUntilAReplyMakesRoom() {
        harness.open();
        harness.dial("1");
        harness.dial("2");
        harness.dial("3");
        harness.allSent();

        assertThat(harness.dial("4")).isCompletedWithValue(new SendResult.PendingLimit(3));
        assertThat(harness.allSent()).isEmpty();

        harness.receive(LinkHarness.dialing(2, "c2"));
        CompletableFuture<SendResult> fifth = harness.dial("5");
        assertThat(fifth).isNotDone();
        assertThat(harness.sent().text(Attribute.OTHER_DN)).isEqualTo("5");
    }

    @Test
    void aRequestLargerThanMaxFrameSizeIsRefusedNamingTheSizeAndTakesNoRoom() {
        LinkHarness small = openWithMaxFrameSize(200);

        CompletableFuture<SendResult> result = small.link.send(REQUEST_OF_285_BYTES).toCompletableFuture();

        assertThat(result).isCompletedWithValue(new SendResult.Refused(
                "REQUEST_MAKE_PREDICTIVE_CALL would be a frame of 285 bytes, larger than max-frame-size (200 bytes)"));
        assertThat(small.allSent()).isEmpty();
        assertThat(small.dial("5550002")).as("the refused request did not count against the pending limit of 1").isNotDone();
        assertThat(small.sent().text(Attribute.OTHER_DN)).isEqualTo("5550002");
    }

    @Test
    void aRequestOfExactlyMaxFrameSizeIsWrittenAsAPeerWithTheSameLimitAcceptsIt() {
        LinkHarness exact = openWithMaxFrameSize(285);

        CompletableFuture<SendResult> result = exact.link.send(REQUEST_OF_285_BYTES).toCompletableFuture();

        assertThat(result).isNotDone();
        ByteBuf frame = exact.channel.readOutbound();
        assertThat(frame.getInt(0)).as("the length prefix").isEqualTo(285);
        EmbeddedChannel peer = new EmbeddedChannel();
        FrameHandlers.install(peer.pipeline(), 285);
        peer.writeInbound(frame);
        assertThat(peer.<Message>readInbound().text(Attribute.OTHER_DN)).isEqualTo("5550001");
    }

    /** An open link with this max-frame-size and a pending limit of 1. */
    private static LinkHarness openWithMaxFrameSize(int maxFrameSize) {
        LinkHarness limited = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ZERO, 1), new DialedCalls(10),
                maxFrameSize);
        limited.open();
        return limited;
    }

    @Test
    void aRequestWithAValueThatCannotBeEncodedIsRefused() {
        harness.open();

        CompletableFuture<SendResult> result = harness.link.send(new DialRequest.PredictiveCall(LinkHarness.PREDICTIVE, "8001",
                "5550001", Duration.ofSeconds(20), Map.of("huge", "h".repeat(70_000)), Map.of())).toCompletableFuture();

        assertThat(result).isCompletedWithValue(new SendResult.Refused("a key-value list entry is limited to 65535 bytes, got 70000"));
        assertThat(harness.allSent()).isEmpty();
    }

    @Test
    void aWriteOnAClosingChannelIsNotWrittenAndAnyOtherWriteFailureIsLostAfterWrite() {
        harness.open();

        harness.outbound.failWith = new ClosedChannelException();
        CompletableFuture<SendResult> closing = harness.dial("1");
        harness.outbound.failWith = new IOException("connection reset");
        CompletableFuture<SendResult> broken = harness.dial("2");
        harness.outbound.failWith = null;

        assertThat(closing).isCompletedWithValue(new SendResult.NotWritten("link to " + LinkHarness.TARGET + " closed before the write"));
        assertThat(broken).isCompletedWithValue(new SendResult.LostAfterWrite("write to " + LinkHarness.TARGET
                + " failed: java.io.IOException: connection reset"));
        harness.receive(LinkHarness.dialing(2, "late"));
        assertThat(harness.calls.contains("late")).as("a reply to a failed write is not taken for a dialed call").isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(harness.dial("again " + i)).as("failed writes free their room").isNotDone();
        }
    }

    @Test
    void aRequestWithoutReplyTimesOutAtItsDeadlineAndItsLateReplyIsIgnored() {
        harness.open();
        harness.advance(Duration.ofMillis(30));
        CompletableFuture<SendResult> result = harness.dial("5550001");

        harness.advance(Duration.ofMillis(990));
        assertThat(result).as("1020 ms: 10 ms before the deadline").isNotDone();
        harness.advance(Duration.ofMillis(40));
        assertThat(result).as("1060 ms: timed out by the first sweep (every 50 ms) after the 1030 ms deadline")
                .isCompletedWithValue(new SendResult.TimedOut(1_000));

        harness.receive(LinkHarness.dialing(1, "late"));
        assertThat(result).isCompletedWithValue(new SendResult.TimedOut(1_000));
        assertThat(harness.calls.contains("late")).isFalse();
        assertThat(harness.link.isOpen()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(harness.dial("again " + i)).as("timed-out requests free their room").isNotDone();
        }
    }

    @Test
    void aLongTimeoutIsStillSweptEvery100Ms() {
        LinkHarness slow = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(10), Duration.ZERO, 10));
        slow.open();
        slow.advance(Duration.ofMillis(30));
        CompletableFuture<SendResult> result = slow.dial("5550001");

        slow.advance(Duration.ofMillis(9_900));
        assertThat(result).isNotDone();
        CompletableFuture<SendResult> later = slow.dial("5550002");
        slow.advance(Duration.ofMillis(170));
        assertThat(result).as("10.1 s: the first sweep after the 10.03 s deadline").isCompletedWithValue(new SendResult.TimedOut(10_000));
        assertThat(later).as("sent at 9.93 s: its deadline has not come").isNotDone();
    }

    @Test
    void aShortTimeoutIsSweptEveryMillisecondAtLeast() {
        LinkHarness fast = new LinkHarness(LinkHarness.settings(Duration.ofMillis(10), Duration.ZERO, 10));
        fast.open();
        CompletableFuture<SendResult> result = fast.dial("5550001");

        fast.advance(Duration.ofMillis(9));
        assertThat(result).isNotDone();
        fast.advance(Duration.ofMillis(1));
        assertThat(result).isCompletedWithValue(new SendResult.TimedOut(10));
    }

    @Test
    void aRegisteredAddressIsConfirmedByItsEventRegistered() {
        harness.open();

        CompletableFuture<RegisterResult> result = harness.link.registerAddress("7001").toCompletableFuture();

        assertThat(harness.sent()).isEqualTo(Message.of(MessageType.REQUEST_REGISTER_ADDRESS).number(Attribute.REFERENCE_ID, 1)
                .text(Attribute.THIS_DN, "7001").build());
        harness.receive(Message.of(MessageType.EVENT_REGISTERED).number(Attribute.REFERENCE_ID, 7).text(Attribute.THIS_DN, "7001").build());
        assertThat(result).as("another ReferenceID").isNotDone();
        harness.receive(Message.of(MessageType.EVENT_REGISTERED).number(Attribute.REFERENCE_ID, 1).text(Attribute.THIS_DN, "7001").build());
        assertThat(result).isCompletedWithValue(new RegisterResult("7001", true, ""));
    }

    @Test
    void aRefusedRegistrationCarriesTheServersErrorAndLeavesDialsAlone() {
        harness.open();
        CompletableFuture<SendResult> dial = harness.dial("5550001");
        CompletableFuture<RegisterResult> result = harness.link.registerAddress("7001").toCompletableFuture();

        harness.receive(LinkHarness.error(2, 31, "unknown DN"));
        harness.receive(Message.of(MessageType.EVENT_REGISTERED).number(Attribute.REFERENCE_ID, 2).text(Attribute.THIS_DN, "7001").build());

        assertThat(result).isCompletedWithValue(new RegisterResult("7001", false, "EventError 31 unknown DN"));
        assertThat(dial).isNotDone();
        harness.receive(LinkHarness.error(1, 32, "no trunk"));
        assertThat(dial).isCompletedWithValue(new SendResult.Rejected(1, 32, "no trunk"));
    }

    @Test
    void aRegistrationWithoutReplyFailsAfterTheRequestTimeoutAndItsLateReplyIsIgnored() {
        harness.open();
        CompletableFuture<RegisterResult> result = harness.link.registerAddress("7001").toCompletableFuture();

        harness.advance(Duration.ofMillis(999));
        assertThat(result).isNotDone();
        harness.advance(Duration.ofMillis(1));
        assertThat(result).isCompletedWithValue(new RegisterResult("7001", false, "no EventRegistered within 1000 ms"));

        harness.receive(Message.of(MessageType.EVENT_REGISTERED).number(Attribute.REFERENCE_ID, 1).text(Attribute.THIS_DN, "7001").build());
        assertThat(result).isCompletedWithValue(new RegisterResult("7001", false, "no EventRegistered within 1000 ms"));
        harness.channel.close();
        assertThat(result).isCompletedWithValue(new RegisterResult("7001", false, "no EventRegistered within 1000 ms"));
    }

    @Test
    void aRegistrationWhoseWriteFailsOrThatCannotBeSentFailsAtOnce() {
        harness.open();

        harness.outbound.failWith = new IOException("connection reset");
        CompletableFuture<RegisterResult> failed = harness.link.registerAddress("7001").toCompletableFuture();
        harness.outbound.failWith = null;
        CompletableFuture<RegisterResult> huge = harness.link.registerAddress("7".repeat(70_000)).toCompletableFuture();

        assertThat(failed).isCompletedWithValue(new RegisterResult("7001", false, "write failed: java.io.IOException: connection reset"));
        assertThat(huge.join().registered()).isFalse();
        assertThat(huge.join().detail()).startsWith("not sent: REQUEST_REGISTER_ADDRESS would be a frame of 70")
                .endsWith("bytes, larger than max-frame-size (65536 bytes)");
        assertThat(harness.allSent()).isEmpty();

        harness.advance(Duration.ofSeconds(2));
        harness.channel.close();
        assertThat(failed).as("one outcome only").isCompletedWithValue(new RegisterResult("7001", false,
                "write failed: java.io.IOException: connection reset"));
    }
}
