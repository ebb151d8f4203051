package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.dialbalance.transport.tserver.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;

/**
 * A request sent with a fencing token ({@code Link.send(request, token)}): the frame on the wire carries the token and
 * the campaign group as the two fencing extensions, next to the request's own, which lose to them on the same keys; no
 * token sends the request as it is; and the two entries count in the frame's size.
 */
class TserverLinkFencingTest {

    private final LinkHarness harness = new LinkHarness();

    private static Map<String, String> fencing(String token, String group) {
        return Map.of(GroupOwnership.FENCING_TOKEN_KEY, token, GroupOwnership.CAMPAIGN_GROUP_KEY, group);
    }

    @Test
    void aPredictiveCallWithATokenCarriesTheTokenAndItsGroupOnTheWireAndIsAcceptedAsAnyOther() {
        harness.open();
        DialRequest request = new DialRequest.PredictiveCall(LinkHarness.PREDICTIVE, "8001", "5550001", Duration.ofSeconds(25),
                Map.of("campaign", "spring"), Map.of());

        CompletableFuture<SendResult> result = harness.link.send(request, 4294967338L).toCompletableFuture();

        assertThat(harness.sent()).as("the frame decoded from the bytes written").isEqualTo(Message.of(MessageType.REQUEST_MAKE_PREDICTIVE_CALL)
                .number(Attribute.TIMEOUT, 25).number(Attribute.REFERENCE_ID, 1).text(Attribute.THIS_DN, "8001")
                .text(Attribute.OTHER_DN, "5550001").list(Attribute.USER_DATA, Map.of("campaign", "spring"))
                .list(Attribute.EXTENSIONS, fencing("4294967338", "sales")).build());
        assertThat(request.extensions()).as("the host's request is left as it was").isEmpty();

        harness.receive(LinkHarness.dialing(1, "00A1"));

        assertThat(result).isCompletedWithValue(new SendResult.Accepted(1, "00A1"));
    }

    @Test
    void theRequestsOwnExtensionsAreSentTooAndTheFencingEntriesWinOverItsOwnOfTheSameKeys() throws ProtocolException {
        harness.open();

        harness.link.send(new DialRequest.PredictiveCall(LinkHarness.PREDICTIVE, "8001", "5550001", Duration.ofSeconds(25), Map.of(),
                Map.of("x-trace-id", "t1", GroupOwnership.FENCING_TOKEN_KEY, "99999", GroupOwnership.CAMPAIGN_GROUP_KEY, "other")), 7);

        ByteBuf frame = harness.channel.readOutbound();
        Message expected = Message.of(MessageType.REQUEST_MAKE_PREDICTIVE_CALL).number(Attribute.TIMEOUT, 25)
                .number(Attribute.REFERENCE_ID, 1).text(Attribute.THIS_DN, "8001").text(Attribute.OTHER_DN, "5550001")
                .list(Attribute.USER_DATA, Map.of()).list(Attribute.EXTENSIONS, Map.of("x-trace-id", "t1",
                        GroupOwnership.FENCING_TOKEN_KEY, "7", GroupOwnership.CAMPAIGN_GROUP_KEY, "sales")).build();
        ByteBuf expectedFrame = LinkHarness.frame(expected);
        try {
            assertThat(frame.readableBytes()).as("one pair per key on the wire: the replaced pairs are not written")
                    .isEqualTo(expectedFrame.readableBytes());
            frame.skipBytes(4);
            assertThat(FrameCodec.decode(frame)).isEqualTo(expected);
        } finally {
            frame.release();
            expectedFrame.release();
        }
    }

    @Test
    void anEngagingCallCarriesItsTokenToo() {
        harness.open();

        harness.link.send(DialRequest.EngagingCall.of(LinkHarness.SEIZING, "9001", "agents-queue"), 10);

        assertThat(harness.sent()).isEqualTo(Message.of(MessageType.REQUEST_MAKE_CALL).number(Attribute.REFERENCE_ID, 1)
                .text(Attribute.THIS_DN, "9001").text(Attribute.OTHER_DN, "agents-queue").list(Attribute.USER_DATA, Map.of())
                .list(Attribute.EXTENSIONS, fencing("10", "asm")).build());
    }

    @Test
    void withoutATokenTheRequestIsSentAsItIsWithItsOwnExtensionsOnly() {
        harness.open();
        Map<String, String> own = Map.of("x-trace-id", "t1", GroupOwnership.FENCING_TOKEN_KEY, "5");
        DialRequest request = new DialRequest.PredictiveCall(LinkHarness.PREDICTIVE, "8001", "5550001", Duration.ofSeconds(25),
                Map.of(), own);

        harness.link.send(request, GroupOwnership.UNFENCED);
        harness.link.send(request, -1);
        harness.link.send(request);

        assertThat(harness.allSent()).as("token 0, a negative token, and no token at all write the same extensions")
                .hasSize(3).allSatisfy(sent -> {
                    assertThat(sent.list(Attribute.EXTENSIONS)).isEqualTo(own);
                    assertThat(sent.list(Attribute.EXTENSIONS)).doesNotContainKey(GroupOwnership.CAMPAIGN_GROUP_KEY);
                });
    }

    /** 285 bytes without a token; with token 7 of group "sales", 65 more: 2+25, 2+1, 2+26 and 2+5 bytes of the two pairs. */
    private static final DialRequest REQUEST_OF_285_BYTES = new DialRequest.PredictiveCall(LinkHarness.PREDICTIVE, "8001", "5550001",
            Duration.ofSeconds(20), Map.of("note", "n".repeat(200)), Map.of());

    @Test
    void theFencingEntriesCountInTheFrameSizeCheckedBeforeTheWrite() {
        LinkHarness small = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ZERO, 10), new DialedCalls(10), 349);
        small.open();

        CompletableFuture<SendResult> unfenced = small.link.send(REQUEST_OF_285_BYTES, GroupOwnership.UNFENCED).toCompletableFuture();
        CompletableFuture<SendResult> fenced = small.link.send(REQUEST_OF_285_BYTES, 7).toCompletableFuture();

        assertThat(unfenced).as("285 bytes fit in 349").isNotDone();
        assertThat(fenced).isCompletedWithValue(new SendResult.Refused(
                "REQUEST_MAKE_PREDICTIVE_CALL would be a frame of 350 bytes, larger than max-frame-size (349 bytes)"));
        assertThat(small.allSent()).hasSize(1);
    }

    @Test
    void theSizeCheckedIsExactlyTheSizeWritten() {
        LinkHarness exact = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ZERO, 10), new DialedCalls(10), 350);
        exact.open();

        CompletableFuture<SendResult> result = exact.link.send(REQUEST_OF_285_BYTES, 7).toCompletableFuture();

        assertThat(result).isNotDone();
        ByteBuf frame = exact.channel.readOutbound();
        try {
            assertThat(frame.getInt(0)).as("the length prefix").isEqualTo(350);
            assertThat(frame.readableBytes()).isEqualTo(4 + 350);
        } finally {
            frame.release();
        }
    }
}
