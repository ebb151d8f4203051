package org.dialbalance.transport.tserver.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of the tserver protocol: a type and its attributes, each a long, a string or a key-value
 * list (an ordered {@code Map<String, String>}). Immutable.
 */
public final class Message {

    private final MessageType type;
    private final Map<Integer, Object> attributes;

    private Message(MessageType type, Map<Integer, Object> attributes) {
        this.type = type;
        this.attributes = Collections.unmodifiableMap(attributes);
    }

    /** Starts a message of a type. */
    public static Builder of(MessageType type) {
        return new Builder(type);
    }

    /** The type. */
    public MessageType type() {
        return type;
    }

    /** Every attribute by number, in insertion order; values are {@code Long}, {@code String} or {@code Map<String,String>}. */
    public Map<Integer, Object> attributes() {
        return attributes;
    }

    /** A long attribute, if present. */
    public Optional<Long> number(int attribute) {
        Object value = attributes.get(attribute);
        return value instanceof Long number ? Optional.of(number) : Optional.empty();
    }

    /** A string attribute, or the empty string. */
    public String text(int attribute) {
        Object value = attributes.get(attribute);
        return value instanceof String text ? text : "";
    }

    /** A key-value list attribute, or an empty map. */
    @SuppressWarnings("unchecked") // only the codec and the builder put maps here, always Map<String, String>
    public Map<String, String> list(int attribute) {
        Object value = attributes.get(attribute);
        return value instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Message that && type == that.type && attributes.equals(that.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, attributes);
    }

    @Override
    public String toString() {
        return type + attributes.toString();
    }

    /** Builds a {@link Message}; used once: {@link #build()} hands its attributes over to the message without a copy. */
    public static final class Builder {
        private final MessageType type;
        private Map<Integer, Object> attributes = new LinkedHashMap<>();

        private Builder(MessageType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Sets a long attribute. */
        public Builder number(int attribute, long value) {
            open().put(attribute, value);
            return this;
        }

        /** Sets a string attribute. */
        public Builder text(int attribute, String value) {
            open().put(attribute, Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets a key-value list attribute (copied, order kept). */
        public Builder list(int attribute, Map<String, String> value) {
            return ownedList(attribute, new LinkedHashMap<>(value));
        }

        /** Sets a key-value list attribute from a map nobody else holds (the codec's freshly decoded lists). */
        Builder ownedList(int attribute, Map<String, String> value) {
            open().put(attribute, Collections.unmodifiableMap(value));
            return this;
        }

        /** Whether an attribute is set. */
        boolean has(int attribute) {
            return open().containsKey(attribute);
        }

        /**
         * The message.
         *
         * @throws IllegalStateException if this builder already built one
         */
        public Message build() {
            Message message = new Message(type, open());
            attributes = null;
            return message;
        }

        private Map<Integer, Object> open() {
            if (attributes == null) {
                throw new IllegalStateException("this " + type + " builder already built its message; start a new one with Message.of");
            }
            return attributes;
        }
    }
}
