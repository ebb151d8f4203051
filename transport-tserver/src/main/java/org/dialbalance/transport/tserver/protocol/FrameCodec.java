package org.dialbalance.transport.tserver.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes and decodes the body of a tserver frame (everything after the 4-byte length prefix), as
 * specified in PROTOCOL.md:
 *
 * <pre>
 * u16 message type | u16 attribute count | count × ( u16 attribute | u8 value type | u32 value length | value )
 * value type 1 = int64 (8 bytes), 2 = UTF-8 string, 3 = key-value list: u16 pairs × (u16 len, key, u16 len, value)
 * </pre>
 * All integers big-endian. Decoding is strict: unknown message or value types, lengths that do not fit,
 * duplicate attributes and trailing bytes are {@link ProtocolException}s.
 */
public final class FrameCodec {

    /** Protocol version spoken by this implementation. */
    public static final int PROTOCOL_VERSION = 1;
    /** Default hard maximum of a frame body, in bytes. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024;
    /**
     * The longest ConnID a peer may send, in UTF-8 bytes. A ConnID is remembered for the life of a call, so
     * this bounds what a server can make a client keep per call; T-Library's are 16 hexadecimal digits.
     */
    public static final int MAX_CONN_ID_BYTES = 64;

    static final int TYPE_INT64 = 1;
    static final int TYPE_STRING = 2;
    static final int TYPE_KV_LIST = 3;

    private FrameCodec() {
    }

    /**
     * The length of a message's body once encoded, without encoding it, checking that every value can be
     * encoded: what {@link #encode} would write, or the exception it would throw.
     *
     * @throws IllegalArgumentException if a value cannot be encoded (a key-value list of more than 65,535 pairs or
     *         an entry longer than 65,535 bytes)
     */
    public static long bodySize(Message message) {
        long size = 4;
        for (int position = 0; position < message.size(); position++) {
            size += 7;
            Object value = message.valueAt(position);
            if (value instanceof Long) {
                size += 8;
            } else if (value instanceof String text) {
                size += ByteBufUtil.utf8Bytes(text);
            } else {
                Map<?, ?> list = (Map<?, ?>) value;
                if (list.size() > 0xFFFF) {
                    throw new IllegalArgumentException("a key-value list is limited to 65535 pairs, attribute "
                            + message.idAt(position) + " has " + list.size());
                }
                size += 2;
                if (list instanceof ExtendedList extended) {
                    size += extendedPairsSize(extended);
                } else {
                    for (Map.Entry<?, ?> pair : list.entrySet()) {
                        size += 2 + shortStringBytes(String.valueOf(pair.getKey())) + 2 + shortStringBytes(String.valueOf(pair.getValue()));
                    }
                }
            }
        }
        return size;
    }

    /** The bytes of an {@link ExtendedList}'s pairs, counted from its parts (no merged map, no digits string). */
    private static long extendedPairsSize(ExtendedList list) {
        long size = 0;
        if (!list.base().isEmpty()) {
            for (Map.Entry<String, String> pair : list.base().entrySet()) {
                if (!list.replaces(pair.getKey())) {
                    size += 2 + shortStringBytes(pair.getKey()) + 2 + shortStringBytes(pair.getValue());
                }
            }
        }
        return size + 2 + shortStringBytes(list.numberKey()) + 2 + digits(list.number())
                + 2 + shortStringBytes(list.textKey()) + 2 + shortStringBytes(list.text());
    }

    private static int shortStringBytes(String text) {
        int length = ByteBufUtil.utf8Bytes(text);
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("a key-value list entry is limited to 65535 bytes, got " + length);
        }
        return length;
    }

    /**
     * Writes a whole frame: the 4-byte length prefix, then the body.
     *
     * @return the body's length in bytes (what the prefix says)
     * @throws IllegalArgumentException if a value cannot be encoded (a key-value list of more than 65,535 pairs or
     *         an entry longer than 65,535 bytes); {@code out} may then hold part of the frame
     */
    public static int encodeFrame(Message message, ByteBuf out) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        encode(message, out);
        int length = out.writerIndex() - lengthIndex - 4;
        out.setInt(lengthIndex, length);
        return length;
    }

    /**
     * Writes a message body (without the length prefix).
     *
     * @throws IllegalArgumentException if a value cannot be encoded (a key-value list of more than 65,535 pairs or
     *         an entry longer than 65,535 bytes)
     */
    public static void encode(Message message, ByteBuf out) {
        out.writeShort(message.type().id());
        out.writeShort(message.size());
        for (int position = 0; position < message.size(); position++) {
            out.writeShort(message.idAt(position));
            Object value = message.valueAt(position);
            if (value instanceof Long number) {
                out.writeByte(TYPE_INT64);
                out.writeInt(8);
                out.writeLong(number);
            } else if (value instanceof String text) {
                out.writeByte(TYPE_STRING);
                int lengthIndex = out.writerIndex();
                out.writeInt(0);
                out.setInt(lengthIndex, out.writeCharSequence(text, StandardCharsets.UTF_8));
            } else {
                out.writeByte(TYPE_KV_LIST);
                int lengthIndex = out.writerIndex();
                out.writeInt(0);
                int start = out.writerIndex();
                Map<?, ?> list = (Map<?, ?>) value;
                if (list.size() > 0xFFFF) {
                    throw new IllegalArgumentException("a key-value list is limited to 65535 pairs, attribute "
                            + message.idAt(position) + " has " + list.size());
                }
                out.writeShort(list.size());
                if (list instanceof ExtendedList extended) {
                    writeExtendedPairs(out, extended);
                } else {
                    for (Map.Entry<?, ?> pair : list.entrySet()) {
                        writeShortString(out, String.valueOf(pair.getKey()));
                        writeShortString(out, String.valueOf(pair.getValue()));
                    }
                }
                out.setInt(lengthIndex, out.writerIndex() - start);
            }
        }
    }

    /** Reads a whole frame body; the buffer must hold exactly one body. */
    public static Message decode(ByteBuf in) throws ProtocolException {
        need(in, 4, "message header");
        int typeId = in.readUnsignedShort();
        MessageType type = MessageType.byId(typeId);
        if (type == null) {
            throw new ProtocolException("unknown message type " + typeId);
        }
        int count = in.readUnsignedShort();
        Message.Builder message = Message.of(type);
        for (int i = 0; i < count; i++) {
            need(in, 7, "attribute header");
            int attribute = in.readUnsignedShort();
            int valueType = in.readUnsignedByte();
            long length = in.readUnsignedInt();
            if (length > in.readableBytes()) {
                throw new ProtocolException("attribute " + attribute + " claims " + length + " bytes but " + in.readableBytes() + " remain");
            }
            if (message.has(attribute)) {
                throw new ProtocolException("attribute " + attribute + " appears twice");
            }
            switch (valueType) {
                case TYPE_INT64 -> {
                    if (length != 8) {
                        throw new ProtocolException("int64 attribute " + attribute + " has length " + length);
                    }
                    message.number(attribute, in.readLong());
                }
                case TYPE_STRING -> message.text(attribute, readString(in, (int) length));
                case TYPE_KV_LIST -> message.ownedList(attribute, readList(in.readSlice((int) length), attribute));
                default -> throw new ProtocolException("attribute " + attribute + " has unknown value type " + valueType);
            }
        }
        if (in.isReadable()) {
            throw new ProtocolException(in.readableBytes() + " bytes after the last attribute of " + type);
        }
        return message.build();
    }

    private static Map<String, String> readList(ByteBuf value, int attribute) throws ProtocolException {
        need(value, 2, "key-value list size of attribute " + attribute);
        int pairs = value.readUnsignedShort();
        Map<String, String> list = new LinkedHashMap<>();
        for (int i = 0; i < pairs; i++) {
            String key = readShortString(value, attribute);
            list.put(key, readShortString(value, attribute));
        }
        if (value.isReadable()) {
            throw new ProtocolException("key-value list of attribute " + attribute + " has " + value.readableBytes() + " extra bytes");
        }
        return list;
    }

    private static String readShortString(ByteBuf in, int attribute) throws ProtocolException {
        need(in, 2, "string length in attribute " + attribute);
        int length = in.readUnsignedShort();
        need(in, length, "string in attribute " + attribute);
        return readString(in, length);
    }

    /** The next {@code length} bytes as UTF-8, read without a slice (one allocation fewer per string). */
    private static String readString(ByteBuf in, int length) {
        String text = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return text;
    }

    private static void writeShortString(ByteBuf out, String text) {
        int length = ByteBufUtil.utf8Bytes(text);
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("a key-value list entry is limited to 65535 bytes, got " + length);
        }
        out.writeShort(length);
        out.writeCharSequence(text, StandardCharsets.UTF_8);
    }

    /** An {@link ExtendedList}'s pairs, written from its parts: no merged map, and the number's digits straight into {@code out}. */
    private static void writeExtendedPairs(ByteBuf out, ExtendedList list) {
        if (!list.base().isEmpty()) {
            for (Map.Entry<String, String> pair : list.base().entrySet()) {
                if (!list.replaces(pair.getKey())) {
                    writeShortString(out, pair.getKey());
                    writeShortString(out, pair.getValue());
                }
            }
        }
        writeShortString(out, list.numberKey());
        int length = digits(list.number());
        out.writeShort(length);
        out.ensureWritable(length);
        int start = out.writerIndex();
        long rest = list.number();
        for (int i = length - 1; i >= 0; i--) {
            out.setByte(start + i, '0' + (int) (rest % 10));
            rest /= 10;
        }
        out.writerIndex(start + length);
        writeShortString(out, list.textKey());
        writeShortString(out, list.text());
    }

    /** How many decimal digits a non-negative number has. */
    private static int digits(long number) {
        int digits = 1;
        for (long rest = number / 10; rest > 0; rest /= 10) {
            digits++;
        }
        return digits;
    }

    private static void need(ByteBuf in, int bytes, String what) throws ProtocolException {
        if (in.readableBytes() < bytes) {
            throw new ProtocolException("frame ends inside the " + what);
        }
    }
}
