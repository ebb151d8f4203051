package org.dialbalance.transport.tserver.protocol;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of the tserver protocol: a type and its attributes, each a long, a string or a key-value
 * list (an ordered {@code Map<String, String>}). Immutable.
 *
 * <p>A message has a handful of attributes, so they are kept in insertion order in two parallel arrays and
 * found by a linear scan: no hashing, no boxed keys (see BENCHMARKS.md, end to end).
 */
public final class Message {

    private final MessageType type;
    private final int[] ids;
    private final Object[] values;
    private final int size;

    private Message(MessageType type, int[] ids, Object[] values, int size) {
        this.type = type;
        this.ids = ids;
        this.values = values;
        this.size = size;
    }

    /** Starts a message of a type. */
    public static Builder of(MessageType type) {
        return new Builder(type);
    }

    /** The type. */
    public MessageType type() {
        return type;
    }

    /** Every attribute by number, in insertion order; values are {@code Long}, {@code String} or {@code Map<String,String>}. A copy. */
    public Map<Integer, Object> attributes() {
        Map<Integer, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            attributes.put(ids[i], values[i]);
        }
        return Collections.unmodifiableMap(attributes);
    }

    /** How many attributes. */
    public int size() {
        return size;
    }

    /** The number of the attribute at a position, in insertion order. */
    public int idAt(int position) {
        return ids[Objects.checkIndex(position, size)];
    }

    /** The value of the attribute at a position: a {@code Long}, a {@code String} or a {@code Map<String,String>}. */
    public Object valueAt(int position) {
        return values[Objects.checkIndex(position, size)];
    }

    /** A long attribute, if present. */
    public Optional<Long> number(int attribute) {
        return value(attribute) instanceof Long number ? Optional.of(number) : Optional.empty();
    }

    /** A string attribute, or the empty string. */
    public String text(int attribute) {
        return value(attribute) instanceof String text ? text : "";
    }

    /** A key-value list attribute, or an empty map. */
    @SuppressWarnings("unchecked") // only the codec and the builder put maps here, always Map<String, String>
    public Map<String, String> list(int attribute) {
        return value(attribute) instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
    }

    /** The value of an attribute: a {@code Long}, a {@code String}, a {@code Map<String,String>}, or {@code null} if absent. */
    public Object value(int attribute) {
        int position = indexOf(ids, size, attribute);
        return position < 0 ? null : values[position];
    }

    private static int indexOf(int[] ids, int size, int attribute) {
        for (int i = 0; i < size; i++) {
            if (ids[i] == attribute) {
                return i;
            }
        }
        return -1;
    }

    /** Equal when the type and the attributes (number and value, whatever their order) are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Message that && type == that.type && attributes().equals(that.attributes());
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, attributes());
    }

    @Override
    public String toString() {
        return type + attributes().toString();
    }

    /** Builds a {@link Message}; used once: {@link #build()} hands its arrays over to the message without a copy. */
    public static final class Builder {
        private final MessageType type;
        private int[] ids = new int[8];
        private Object[] values = new Object[8];
        private int size;
        private boolean built;

        private Builder(MessageType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Sets a long attribute. */
        public Builder number(int attribute, long value) {
            return put(attribute, value);
        }

        /** Sets a string attribute. */
        public Builder text(int attribute, String value) {
            return put(attribute, Objects.requireNonNull(value, "value"));
        }

        /** Sets a key-value list attribute (copied, order kept). */
        public Builder list(int attribute, Map<String, String> value) {
            return ownedList(attribute, new LinkedHashMap<>(value));
        }

        /**
         * Sets a key-value list attribute of {@code value}'s pairs and two more: {@code numberKey} = the decimal digits of
         * {@code number}, then {@code textKey} = {@code text}, which replace any pairs of {@code value} with those keys.
         * Nothing is copied or merged here: the codec writes {@code value}'s pairs and then the two as it encodes the
         * message, so {@code value} must not change afterwards (an immutable map). How a request carries its fencing
         * token without a map built for it.
         *
         * @throws IllegalArgumentException if {@code number} is negative or the two keys are equal
         */
        public Builder list(int attribute, Map<String, String> value, String numberKey, long number, String textKey, String text) {
            return put(attribute, new ExtendedList(value, numberKey, number, textKey, text));
        }

        /** Sets a key-value list attribute from a map nobody else holds (the codec's freshly decoded lists). */
        Builder ownedList(int attribute, Map<String, String> value) {
            return put(attribute, Collections.unmodifiableMap(value));
        }

        /** Whether an attribute is set. */
        boolean has(int attribute) {
            checkOpen();
            return indexOf(ids, size, attribute) >= 0;
        }

        /**
         * The message.
         *
         * @throws IllegalStateException if this builder already built one
         */
        public Message build() {
            checkOpen();
            built = true;
            return new Message(type, ids, values, size);
        }

        private Builder put(int attribute, Object value) {
            checkOpen();
            int position = indexOf(ids, size, attribute);
            if (position >= 0) {
                values[position] = value;
                return this;
            }
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            ids[size] = attribute;
            values[size++] = value;
            return this;
        }

        private void checkOpen() {
            if (built) {
                throw new IllegalStateException("this " + type + " builder already built its message; start a new one with Message.of");
            }
        }
    }
}
