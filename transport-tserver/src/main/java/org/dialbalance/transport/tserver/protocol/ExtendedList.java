package org.dialbalance.transport.tserver.protocol;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A key-value list value made of a map and two more pairs, without merging them into a new map: {@code base}'s pairs
 * except any of key {@code numberKey} or {@code textKey}, then {@code numberKey} = the decimal digits of {@code number},
 * then {@code textKey} = {@code text}. {@link FrameCodec} writes (and sizes) it straight from these parts, without
 * building the map or the number's digits as a string: it is how a request carries its fencing token (see
 * {@link Message.Builder#list(int, Map, String, long, String, String)}).
 *
 * <p>Immutable as long as {@code base} is. As a {@link Map} it equals the merged map; the map operations build that map
 * each time (they are for tests and logs, not the codec's path).
 */
final class ExtendedList extends AbstractMap<String, String> {

    private final Map<String, String> base;
    private final String numberKey;
    private final long number;
    private final String textKey;
    private final String text;

    /** @throws IllegalArgumentException if {@code number} is negative or the two keys are equal */
    ExtendedList(Map<String, String> base, String numberKey, long number, String textKey, String text) {
        this.base = Objects.requireNonNull(base, "base");
        this.numberKey = Objects.requireNonNull(numberKey, "numberKey");
        this.textKey = Objects.requireNonNull(textKey, "textKey");
        this.text = Objects.requireNonNull(text, "text");
        if (number < 0) {
            throw new IllegalArgumentException("the number of the pair '" + numberKey + "' must not be negative, got " + number);
        }
        if (numberKey.equals(textKey)) {
            throw new IllegalArgumentException("the two added pairs must have different keys, both are '" + numberKey + "'");
        }
        this.number = number;
    }

    Map<String, String> base() {
        return base;
    }

    String numberKey() {
        return numberKey;
    }

    long number() {
        return number;
    }

    String textKey() {
        return textKey;
    }

    String text() {
        return text;
    }

    /** Whether a pair of {@code base} with this key is left out (one of the two added pairs replaces it). */
    boolean replaces(Object key) {
        return numberKey.equals(key) || textKey.equals(key);
    }

    /** How many pairs, without building them. */
    @Override
    public int size() {
        int replaced = (base.containsKey(numberKey) ? 1 : 0) + (base.containsKey(textKey) ? 1 : 0);
        return base.size() - replaced + 2;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Map<String, String> merged = new LinkedHashMap<>();
        base.forEach((key, value) -> {
            if (!replaces(key)) {
                merged.put(key, value);
            }
        });
        merged.put(numberKey, Long.toString(number));
        merged.put(textKey, text);
        return Collections.unmodifiableMap(merged).entrySet();
    }
}
