package org.dialbalance.transport.tserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

class FrameCodecTest {

    @Test
    void everyValueTypeSurvivesARoundTrip() throws ProtocolException {
        Map<String, String> userData = new LinkedHashMap<>();
        userData.put("GSW_MEDIA_SRV_ID", "MCP_1");
        userData.put("ünïcode", "ök");
        Message message = Message.of(MessageType.REQUEST_MAKE_CALL).number(Attribute.REFERENCE_ID, Long.MAX_VALUE)
                .text(Attribute.THIS_DN, "7100").number(Attribute.CALL_STATE, -1).list(Attribute.USER_DATA, userData)
                .list(Attribute.EXTENSIONS, Map.of()).number(4242, 1).text(Attribute.OTHER_DN, "sip:zoë@例え.jp").build();

        ByteBuf body = Unpooled.buffer();
        FrameCodec.encode(message, body);

        Message decoded = FrameCodec.decode(body);
        assertThat(decoded).isEqualTo(message);
        assertThat(decoded.list(Attribute.USER_DATA)).containsExactly(Map.entry("GSW_MEDIA_SRV_ID", "MCP_1"), Map.entry("ünïcode", "ök"));
        assertThat(decoded.number(4242)).as("an unknown attribute number is kept").contains(1L);
    }

    @Test
    void aBuilderBuildsOneMessageAndIsThenSpent() {
        Message.Builder builder = Message.of(MessageType.REQUEST_MAKE_CALL).text(Attribute.THIS_DN, "7100");
        Message built = builder.build();
        assertThatThrownBy(() -> builder.number(Attribute.REFERENCE_ID, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already built");
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThat(built.text(Attribute.THIS_DN)).isEqualTo("7100");
        assertThatThrownBy(() -> built.attributes().put(99, 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theExampleOfProtocolMdIsExactlyWhatTheCodecWrites() {
        Message message = Message.of(MessageType.REQUEST_MAKE_PREDICTIVE_CALL).number(Attribute.REFERENCE_ID, 7)
                .text(Attribute.THIS_DN, "7000").text(Attribute.OTHER_DN, "5551234").number(Attribute.TIMEOUT, 25)
                .list(Attribute.USER_DATA, Map.of("id", "42")).build();
        ByteBuf body = Unpooled.buffer();
        FrameCodec.encode(message, body);

        assertThat(ByteBufUtil.hexDump(body)).isEqualTo("000f0005"
                + "00020100000008" + "0000000000000007"
                + "00140200000004" + "37303030"
                + "00180200000007" + "35353531323334"
                + "002a0100000008" + "0000000000000019"
                + "0033030000000a" + "0001" + "00026964" + "00023432");
        assertThat(body.readableBytes()).isEqualTo(0x4c);
        assertThat(FrameCodec.bodySize(message)).as("sized without encoding").isEqualTo(0x4c);
    }

    @Test
    void aFrameIsItsLengthThenItsBodyAndWhatTheFormatCannotCarryIsRefused() {
        Message message = Message.of(MessageType.KEEP_ALIVE_PING).build();
        ByteBuf frame = Unpooled.buffer();
        assertThat(FrameCodec.encodeFrame(message, frame)).isEqualTo(4);
        assertThat(ByteBufUtil.hexDump(frame)).isEqualTo("00000004" + "03e80000");

        Map<String, String> tooManyPairs = new LinkedHashMap<>();
        for (int i = 0; i <= 0xFFFF; i++) {
            tooManyPairs.put(Integer.toString(i), "");
        }
        assertThatThrownBy(() -> FrameCodec.encodeFrame(Message.of(MessageType.REQUEST_MAKE_CALL).list(Attribute.USER_DATA, tooManyPairs)
                .build(), Unpooled.buffer())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535 pairs");
        assertThatThrownBy(() -> FrameCodec.bodySize(Message.of(MessageType.REQUEST_MAKE_CALL).list(Attribute.USER_DATA, tooManyPairs)
                .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535 pairs");
        assertThatThrownBy(() -> FrameCodec.encodeFrame(Message.of(MessageType.REQUEST_MAKE_CALL).list(Attribute.USER_DATA,
                Map.of("k", "v".repeat(0x10000))).build(), Unpooled.buffer())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limited to 65535 bytes");
    }

    @Test
    void aListWithTwoAddedPairsIsWrittenAsTheMergedListExactly() throws ProtocolException {
        Message message = Message.of(MessageType.REQUEST_MAKE_CALL)
                .list(Attribute.EXTENSIONS, Map.of("a", "b"), "t", 42, "g", "S").build();
        ByteBuf body = Unpooled.buffer();
        FrameCodec.encode(message, body);

        assertThat(ByteBufUtil.hexDump(body)).as("the map's pairs, then the number's digits, then the text").isEqualTo("000e0001"
                + "00350300000015" + "0003" + "000161" + "000162" + "000174" + "00023432" + "000167" + "000153");
        assertThat(FrameCodec.bodySize(message)).as("sized without encoding").isEqualTo(body.readableBytes());
        Message decoded = FrameCodec.decode(body);
        assertThat(decoded.list(Attribute.EXTENSIONS)).containsExactly(Map.entry("a", "b"), Map.entry("t", "42"), Map.entry("g", "S"));
        assertThat(decoded).as("equal to the message it was encoded from").isEqualTo(message);
    }

    @Test
    void theAddedPairsReplaceTheMapsOwnOfTheSameKeysAndAnyNumberIsSizedExactly() throws ProtocolException {
        Map<String, String> own = new LinkedHashMap<>();
        own.put("g", "old group");
        own.put("x", "y");
        own.put("t", "1");
        for (long number : new long[] {0, 9, 10, 99, 100, 4294967338L, Long.MAX_VALUE}) {
            Message message = Message.of(MessageType.REQUEST_MAKE_CALL).list(Attribute.EXTENSIONS, own, "t", number, "g", "Sales").build();
            Map<String, String> merged = Map.of("x", "y", "t", Long.toString(number), "g", "Sales");
            assertThat(message.list(Attribute.EXTENSIONS)).as("the value seen as a map").isEqualTo(merged).hasSize(3);

            ByteBuf body = Unpooled.buffer();
            FrameCodec.encode(message, body);

            assertThat(FrameCodec.bodySize(message)).as("size of %s", number).isEqualTo(body.readableBytes());
            assertThat(body.readableBytes()).as("one pair per key: as long as the merged map's body")
                    .isEqualTo(FrameCodec.bodySize(Message.of(MessageType.REQUEST_MAKE_CALL).list(Attribute.EXTENSIONS, merged).build()));
            assertThat(FrameCodec.decode(body).list(Attribute.EXTENSIONS)).isEqualTo(merged);
        }
        assertThat(own).as("the map is not changed").containsExactly(Map.entry("g", "old group"), Map.entry("x", "y"), Map.entry("t", "1"));
    }

    @Test
    void aListWithAddedPairsRefusesWhatTheFormatCannotCarry() {
        assertThatThrownBy(() -> Message.of(MessageType.REQUEST_MAKE_CALL).list(Attribute.EXTENSIONS, Map.of(), "t", -1, "g", "S"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'t' must not be negative, got -1");
        assertThatThrownBy(() -> Message.of(MessageType.REQUEST_MAKE_CALL).list(Attribute.EXTENSIONS, Map.of(), "k", 1, "k", "S"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both are 'k'");
        Message tooLong = Message.of(MessageType.REQUEST_MAKE_CALL).list(Attribute.EXTENSIONS, Map.of(), "t", 1, "g", "v".repeat(0x10000))
                .build();
        assertThatThrownBy(() -> FrameCodec.bodySize(tooLong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limited to 65535 bytes");
        assertThatThrownBy(() -> FrameCodec.encode(tooLong, Unpooled.buffer())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limited to 65535 bytes");
    }

    @Test
    void malformedBodiesAreProtocolErrorsNamingTheProblem() {
        assertMalformed("ffff0000", "unknown message type 65535");
        assertMalformed("000f0001" + "00020100000008" + "00000000", "claims 8 bytes");
        assertMalformed("000f0001" + "00020100000004" + "00000007", "int64 attribute 2 has length 4");
        assertMalformed("000f0001" + "00020900000001" + "00", "unknown value type 9");
        assertMalformed("000f0002" + "00140200000001" + "31" + "00140200000001" + "32", "appears twice");
        assertMalformed("000f0000" + "00", "1 bytes after the last attribute");
        assertMalformed("000f0001" + "00330300000003" + "000100", "ends inside the string length");
        assertMalformed("000f", "ends inside the message header");
    }

    private static void assertMalformed(String hex, String message) {
        assertThatThrownBy(() -> FrameCodec.decode(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining(message);
    }
}
