package org.dialbalance.reliability;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.dialbalance.transport.tserver.protocol.ProtocolException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Server-to-client frames for the fuzzer: well-formed ones, decodable ones that break PROTOCOL.md's "Protocol
 * violations" (wrong direction, a second EventLinkConnected, required attributes missing or of the wrong type, a
 * ConnID empty or over 64 bytes), and mutations of well-formed ones (bit flips, wrong lengths, truncated TLVs, huge
 * lengths, unknown value types, bad int64 lengths, duplicate attributes, trailing bytes, unknown message types, bad
 * key-value lists, wrong attribute counts, random bytes). Each frame carries what the client must do with it, judged
 * by the reference codec ({@link FrameCodec#decode}) and PROTOCOL.md ({@link #meaning}), never by the client under
 * test.
 */
final class Frames {

    /** The client's {@code max-frame-size} in the fuzz runs: small, so that "huge" frames are cheap to announce. */
    static final int MAX_FRAME = 4096;

    /** What the client must do with a frame. */
    enum Expect {
        /** Well-formed and meaningful: handle it, keep the link; never call it a violation. */
        VALID,
        /**
         * PROTOCOL.md does not say: a known attribute the message does not require, of another value type (a CallState
         * string, an int64 ConnID on EventRinging). The client may go on or close with a protocol violation; nothing
         * it passes on may lack what PROTOCOL.md requires.
         */
        UNSPECIFIED,
        /** EventLinkDisconnected: close the link, naming it. */
        DISCONNECT,
        /**
         * A protocol violation: a malformed body (PROTOCOL.md "Body"), or a decodable frame PROTOCOL.md's "Protocol
         * violations" lists. Close the link with a "protocol violation: ..." reason; never pass it on.
         */
        VIOLATION,
        /** Longer than max-frame-size: close the link without reading it. */
        TOO_LARGE
    }

    /**
     * One frame as written to the socket.
     *
     * @param bytes  the length prefix and the body as sent
     * @param expect what the client must do
     * @param kind   how it was made, for the summary and for failure messages
     */
    record Frame(byte[] bytes, Expect expect, String kind) {
        @Override
        public String toString() {
            return kind + " (" + expect + ", " + bytes.length + " bytes: " + hex(bytes, 48) + ")";
        }
    }

    private Frames() {
    }

    // ---- well-formed messages ----

    static Message linkConnected(long version) {
        return Message.of(MessageType.EVENT_LINK_CONNECTED).text(Attribute.APPLICATION_NAME, "hostile")
                .number(Attribute.PROTOCOL_VERSION, version).build();
    }

    static Message ping() {
        return Message.of(MessageType.KEEP_ALIVE_PING).build();
    }

    static Message pong() {
        return Message.of(MessageType.KEEP_ALIVE_PONG).build();
    }

    static Message ringing(SplittableRandom random) {
        return withExtras(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, dn(random))
                .text(Attribute.CONN_ID, connId(random)), random);
    }

    static Message callEvent(SplittableRandom random, String connId) {
        MessageType type = random.nextBoolean() ? MessageType.EVENT_ESTABLISHED : MessageType.EVENT_RELEASED;
        Message.Builder message = Message.of(type).text(Attribute.CONN_ID, connId).text(Attribute.THIS_DN, dn(random))
                .number(Attribute.CALL_STATE, new long[] {0, 3, 4, 7, random.nextLong()}[random.nextInt(5)]);
        if (random.nextBoolean()) {
            message.list(Attribute.USER_DATA, keyValues(random));
        }
        return withExtras(message, random);
    }

    static Message dialing(long reference, String connId, SplittableRandom random) {
        return withExtras(Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, reference).text(Attribute.CONN_ID, connId)
                .text(Attribute.THIS_DN, "7000").text(Attribute.OTHER_DN, dn(random)), random);
    }

    static Message error(long reference, SplittableRandom random) {
        return withExtras(Message.of(MessageType.EVENT_ERROR).number(Attribute.REFERENCE_ID, reference)
                .number(Attribute.ERROR_CODE, random.nextInt(1000)).text(Attribute.ERROR_MESSAGE, text(random, 40)), random);
    }

    static Message registered(long reference, SplittableRandom random) {
        return withExtras(Message.of(MessageType.EVENT_REGISTERED).number(Attribute.REFERENCE_ID, reference)
                .text(Attribute.THIS_DN, dn(random)), random);
    }

    static Message disconnected() {
        return Message.of(MessageType.EVENT_LINK_DISCONNECTED).build();
    }

    /** Sometimes an attribute number this client does not know (PROTOCOL.md: kept and ignored). */
    private static Message withExtras(Message.Builder message, SplittableRandom random) {
        if (random.nextInt(8) == 0) {
            int unknown = 2000 + random.nextInt(60_000);
            switch (random.nextInt(3)) {
                case 0 -> message.number(unknown, random.nextLong());
                case 1 -> message.text(unknown, text(random, 30));
                default -> message.list(unknown, keyValues(random));
            }
        }
        return message.build();
    }

    // ---- decodable, but protocol violations (PROTOCOL.md "Protocol violations") ----

    /** A ConnID longer than PROTOCOL.md's 64 bytes, up to what fits in a frame of {@link #MAX_FRAME}. */
    static String longConnId(SplittableRandom random) {
        return "L".repeat(FrameCodec.MAX_CONN_ID_BYTES + 1 + random.nextInt(MAX_FRAME - 200));
    }

    /**
     * A frame the reference codec decodes but PROTOCOL.md calls a protocol violation on a registered link: the client
     * must close the link with "protocol violation: ..." and pass nothing of it on. {@code pendingReference} (-1 if
     * none) is a ReferenceID the client waits on, so that a bad reply meets a real pending dial.
     */
    static Frame violation(SplittableRandom random, long pendingReference) {
        return switch (random.nextInt(15)) {
            case 0 -> violating(Message.of(MessageType.REQUEST_MAKE_CALL).number(Attribute.REFERENCE_ID, random.nextLong())
                    .text(Attribute.THIS_DN, "7000").text(Attribute.OTHER_DN, dn(random)).build(), "wrong direction: RequestMakeCall");
            case 1 -> violating(Message.of(MessageType.REQUEST_MAKE_PREDICTIVE_CALL).number(Attribute.REFERENCE_ID, random.nextLong())
                    .text(Attribute.THIS_DN, "7000").text(Attribute.OTHER_DN, dn(random)).build(), "wrong direction: RequestMakePredictiveCall");
            case 2 -> violating(Message.of(MessageType.REQUEST_REGISTER_CLIENT).text(Attribute.APPLICATION_NAME, "x")
                    .number(Attribute.PROTOCOL_VERSION, 1).build(), "wrong direction: RequestRegisterClient");
            case 3 -> violating(Message.of(MessageType.REQUEST_REGISTER_ADDRESS).number(Attribute.REFERENCE_ID, random.nextLong())
                    .text(Attribute.THIS_DN, dn(random)).build(), "wrong direction: RequestRegisterAddress");
            case 4 -> violating(linkConnected(1), "EventLinkConnected after registration");
            case 5 -> violating(Message.of(random.nextBoolean() ? MessageType.EVENT_ESTABLISHED : MessageType.EVENT_RELEASED)
                    .text(Attribute.THIS_DN, dn(random)).build(), "call event without ConnID");
            case 6 -> violating(Message.of(MessageType.EVENT_ESTABLISHED).number(Attribute.CONN_ID, random.nextLong())
                    .text(Attribute.THIS_DN, dn(random)).build(), "call event with an int64 ConnID");
            case 7 -> violating(Message.of(MessageType.EVENT_RINGING).text(Attribute.CONN_ID, connId(random)).build(),
                    "EventRinging without ThisDN");
            case 8 -> violating(Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, pendingReference).build(),
                    "EventDialing without ConnID");
            case 9 -> violating(Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, pendingReference)
                    .text(Attribute.CONN_ID, longConnId(random)).build(), "EventDialing with a ConnID over 64 bytes");
            case 10 -> violating(Message.of(random.nextBoolean() ? MessageType.EVENT_ESTABLISHED : MessageType.EVENT_RELEASED)
                    .text(Attribute.CONN_ID, longConnId(random)).text(Attribute.THIS_DN, dn(random)).build(), "call event with a ConnID over 64 bytes");
            case 11 -> violating(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, dn(random))
                    .text(Attribute.CONN_ID, random.nextBoolean() ? "" : longConnId(random)).build(), "EventRinging with an empty or long ConnID");
            case 12 -> violating(Message.of(MessageType.EVENT_ERROR).number(Attribute.REFERENCE_ID, pendingReference)
                    .text(Attribute.ERROR_MESSAGE, text(random, 40)).build(), "EventError without ErrorCode");
            case 13 -> violating(Message.of(MessageType.EVENT_REGISTERED).number(Attribute.REFERENCE_ID, random.nextLong()).build(),
                    "EventRegistered without ThisDN");
            default -> violating(Message.of(MessageType.EVENT_DIALING).text(Attribute.CONN_ID, connId(random)).build(),
                    "EventDialing without ReferenceID");
        };
    }

    /** The frame of a message the oracle must judge a violation: a generator and oracle that disagree fail at once. */
    private static Frame violating(Message message, String kind) {
        Expect expect = meaning(message);
        if (expect != Expect.VIOLATION) {
            throw new IllegalStateException("the oracle judges " + kind + " " + expect + ": " + message);
        }
        return frame(message, expect, kind);
    }

    // ---- malformed ----

    /** A mutation of a well-formed frame; what the client must do is judged on the bytes it will actually read. */
    static Frame mutated(SplittableRandom random, Message valid) {
        byte[] body = body(valid);
        int attributes = valid.size();
        return switch (random.nextInt(13)) {
            case 0, 1 -> {                        // bit flips anywhere, length prefix included
                byte[] wire = withLength(body, body.length);
                int flips = 1 + random.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    int bit = random.nextInt(wire.length * 8);
                    wire[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                yield judged(wire, "bit flips x" + flips);
            }
            case 2 -> {                           // a length prefix that disagrees with the body
                int length;
                do {
                    length = Math.max(0, body.length + random.nextInt(-body.length, 33));
                } while (length == body.length);
                yield judged(withLength(Arrays.copyOf(body, length), length), "wrong length " + length + " for " + body.length);
            }
            case 3 -> {                           // cut inside the attributes
                int cut = body.length <= 5 ? 1 : 4 + random.nextInt(body.length - 4);
                yield judged(withLength(Arrays.copyOf(body, cut), cut), "truncated at " + cut + " of " + body.length);
            }
            case 4 -> {                           // announced longer than max-frame-size; never read
                long huge = MAX_FRAME + 1L + (random.nextBoolean() ? random.nextInt(1 << 20) : random.nextLong(0xFFFF_FFFFL - MAX_FRAME));
                byte[] wire = withLength(Arrays.copyOf(body, Math.min(body.length, 16)), 0);
                ByteBuffer.wrap(wire).putInt((int) huge);
                yield new Frame(wire, Expect.TOO_LARGE, "huge length " + huge);
            }
            case 5 -> attributes == 0 ? randomBytes(random) : judged(withLength(setByte(body, 4 + 2, pick(random, 0, 4, 255)), body.length),
                    "unknown value type");
            case 6 -> {                           // an int64 whose value length is not 8
                int length = random.nextBoolean() ? 4 : 16;
                byte[] attribute = ByteBuffer.allocate(7 + length).putShort((short) Attribute.REFERENCE_ID).put((byte) 1).putInt(length)
                        .array();
                yield judged(withLength(appendAttribute(body, attribute), -1), "int64 of length " + length);
            }
            case 7 -> attributes == 0 ? randomBytes(random) : judged(withLength(appendAttribute(body,
                    Arrays.copyOfRange(body, 4, 4 + 7 + ByteBuffer.wrap(body, 4 + 3, 4).getInt())), -1), "duplicate attribute");
            case 8 -> {
                byte[] extra = new byte[1 + random.nextInt(8)];
                random.nextBytes(extra);
                byte[] longer = Arrays.copyOf(body, body.length + extra.length);
                System.arraycopy(extra, 0, longer, body.length, extra.length);
                yield judged(withLength(longer, longer.length), "trailing bytes x" + extra.length);
            }
            case 9 -> {
                int type;
                do {
                    type = random.nextInt(0x10000);
                } while (MessageType.byId(type) != null);
                byte[] copy = body.clone();
                ByteBuffer.wrap(copy).putShort(0, (short) type);
                yield judged(withLength(copy, copy.length), "unknown message type " + type);
            }
            case 10 -> {                          // a key-value list whose bytes do not add up
                byte[] list = ByteBuffer.allocate(2 + 2 + 1 + 2 + 1).putShort((short) (2 + random.nextInt(5))).putShort((short) 1).put((byte) 'k')
                        .putShort((short) 1).put((byte) 'v').array();
                byte[] attribute = ByteBuffer.allocate(7 + list.length).putShort((short) Attribute.USER_DATA).put((byte) 3).putInt(list.length)
                        .put(list).array();
                yield judged(withLength(appendAttribute(body, attribute), -1), "key-value list with a wrong pair count");
            }
            case 11 -> {                          // an attribute count that is not the attributes' number
                byte[] copy = body.clone();
                int count = attributes + (random.nextBoolean() ? 1 + random.nextInt(3) : -Math.min(attributes, 1 + random.nextInt(3)));
                if (count == attributes) {
                    count++;
                }
                ByteBuffer.wrap(copy).putShort(2, (short) count);
                yield judged(withLength(copy, copy.length), "attribute count " + count + " for " + attributes);
            }
            default -> randomBytes(random);
        };
    }

    private static Frame randomBytes(SplittableRandom random) {
        byte[] body = new byte[random.nextInt(65)];
        random.nextBytes(body);
        return judged(withLength(body, body.length), "random bytes x" + body.length);
    }

    /** Judges a frame by the bytes the client will read: its length prefix, then that many bytes. */
    static Frame judged(byte[] wire, String kind) {
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(wire).getInt());
        if (length > MAX_FRAME) {
            return new Frame(Arrays.copyOf(wire, Math.min(wire.length, 20)), Expect.TOO_LARGE, kind);
        }
        byte[] sent = Arrays.copyOf(wire, 4 + (int) length);      // a short body is padded with zeros so the frame is complete
        byte[] body = Arrays.copyOfRange(sent, 4, sent.length);
        Message message;
        try {
            message = FrameCodec.decode(Unpooled.wrappedBuffer(body));
        } catch (ProtocolException e) {
            return new Frame(sent, Expect.VIOLATION, kind);
        }
        return new Frame(sent, meaning(message), kind);
    }

    private static final int INT64 = 1;
    private static final int STRING = 2;
    private static final int LIST = 3;

    /** PROTOCOL.md's "Attributes" table: the value type of each known attribute number. */
    private static final Map<Integer, Integer> TYPES = Map.ofEntries(Map.entry(Attribute.REFERENCE_ID, INT64),
            Map.entry(Attribute.CONN_ID, STRING), Map.entry(Attribute.CALL_STATE, INT64), Map.entry(Attribute.THIS_DN, STRING),
            Map.entry(Attribute.OTHER_DN, STRING), Map.entry(Attribute.TIMEOUT, INT64), Map.entry(Attribute.ERROR_CODE, INT64),
            Map.entry(Attribute.ERROR_MESSAGE, STRING), Map.entry(Attribute.USER_DATA, LIST), Map.entry(Attribute.EXTENSIONS, LIST),
            Map.entry(Attribute.APPLICATION_NAME, STRING), Map.entry(Attribute.PROTOCOL_VERSION, INT64),
            Map.entry(Attribute.ADDP_TIMEOUT, INT64), Map.entry(Attribute.ADDP_REMOTE_TIMEOUT, INT64));

    /** PROTOCOL.md's "Messages" table: the required (bold) attributes of each server-to-client message. */
    private static final Map<MessageType, List<Integer>> REQUIRED = Map.of(
            MessageType.EVENT_ERROR, List.of(Attribute.ERROR_CODE),
            MessageType.EVENT_REGISTERED, List.of(Attribute.REFERENCE_ID, Attribute.THIS_DN),
            MessageType.EVENT_RINGING, List.of(Attribute.THIS_DN),
            MessageType.EVENT_DIALING, List.of(Attribute.REFERENCE_ID, Attribute.CONN_ID),
            MessageType.EVENT_ESTABLISHED, List.of(Attribute.CONN_ID),
            MessageType.EVENT_RELEASED, List.of(Attribute.CONN_ID),
            MessageType.EVENT_LINK_DISCONNECTED, List.of(),
            MessageType.EVENT_LINK_CONNECTED, List.of(Attribute.PROTOCOL_VERSION),
            MessageType.KEEP_ALIVE_PING, List.of(),
            MessageType.KEEP_ALIVE_PONG, List.of());

    /**
     * What PROTOCOL.md makes of a decodable server-to-client message once the link is registered ("Protocol
     * violations"): a client-to-server message, a second EventLinkConnected, a required attribute missing or of
     * another type, or a ConnID empty or over 64 bytes in any message is a violation.
     */
    static Expect meaning(Message message) {
        MessageType type = message.type();
        List<Integer> required = REQUIRED.get(type);
        if (required == null || type == MessageType.EVENT_LINK_CONNECTED) {
            return Expect.VIOLATION;                   // client to server, or EventLinkConnected on a registered link
        }
        if (message.value(Attribute.CONN_ID) instanceof String connId && (connId.isEmpty() || utf8(connId).length > FrameCodec.MAX_CONN_ID_BYTES)) {
            return Expect.VIOLATION;
        }
        for (int attribute : required) {
            if (!TYPES.get(attribute).equals(valueType(message.value(attribute)))) {
                return Expect.VIOLATION;
            }
        }
        if (type == MessageType.EVENT_LINK_DISCONNECTED) {
            return Expect.DISCONNECT;
        }
        for (int position = 0; position < message.size(); position++) {
            Integer expected = TYPES.get(message.idAt(position));
            if (expected != null && !expected.equals(valueType(message.valueAt(position)))) {
                return Expect.UNSPECIFIED;             // an optional known attribute of another type: PROTOCOL.md does not say
            }
        }
        return Expect.VALID;
    }

    private static Integer valueType(Object value) {
        if (value instanceof Long) {
            return INT64;
        }
        if (value instanceof String) {
            return STRING;
        }
        return value instanceof Map ? Integer.valueOf(LIST) : null;
    }

    /** Whether the frame's body decodes at all (it is not malformed in PROTOCOL.md's "Body" sense). */
    static boolean decodes(Frame frame) {
        if (frame.expect() == Expect.TOO_LARGE) {
            return false;
        }
        try {
            FrameCodec.decode(Unpooled.wrappedBuffer(Arrays.copyOfRange(frame.bytes(), 4, frame.bytes().length)));
            return true;
        } catch (ProtocolException e) {
            return false;
        }
    }

    static Frame frame(Message message, Expect expect, String kind) {
        byte[] body = body(message);
        return new Frame(withLength(body, body.length), expect, kind);
    }

    static Frame valid(Message message) {
        return frame(message, meaning(message), message.type().name());
    }

    static byte[] body(Message message) {
        ByteBuf buffer = Unpooled.buffer();
        FrameCodec.encode(message, buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    /** The body behind a length prefix; {@code length} -1 means the body's own length. */
    private static byte[] withLength(byte[] body, int length) {
        return ByteBuffer.allocate(4 + body.length).putInt(length < 0 ? body.length : length).put(body).array();
    }

    /** The body with one more attribute appended and the count raised. */
    private static byte[] appendAttribute(byte[] body, byte[] attribute) {
        byte[] longer = Arrays.copyOf(body, body.length + attribute.length);
        System.arraycopy(attribute, 0, longer, body.length, attribute.length);
        ByteBuffer buffer = ByteBuffer.wrap(longer);
        buffer.putShort(2, (short) (Short.toUnsignedInt(buffer.getShort(2)) + 1));
        return longer;
    }

    private static byte[] setByte(byte[] body, int index, int value) {
        byte[] copy = body.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static int pick(SplittableRandom random, int zero, int from, int to) {
        return random.nextInt(4) == 0 ? zero : random.nextInt(from, to + 1);
    }

    static String dn(SplittableRandom random) {
        return Integer.toString(1000 + random.nextInt(9000));
    }

    static String connId(SplittableRandom random) {
        return "F-" + Long.toHexString(random.nextLong());
    }

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 -_é€😀\u0000\uFFFD";

    static String text(SplittableRandom random, int max) {
        int length = random.nextInt(max + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
        }
        return text.toString();
    }

    static Map<String, String> keyValues(SplittableRandom random) {
        Map<String, String> list = new LinkedHashMap<>();
        int pairs = random.nextInt(4);
        for (int i = 0; i < pairs; i++) {
            list.put(text(random, 12), text(random, 24));
        }
        return list;
    }

    static String hex(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            text.append(String.format("%02x", bytes[i] & 0xff));
        }
        return bytes.length > max ? text + "..." : text.toString();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
