package org.dialbalance.api.policy;

import java.util.Map;
import java.util.Objects;

import org.dialbalance.api.Experimental;

/**
 * One entry of a policy's options as written, nested blocks kept: {@code capacity { 101 = 300 }} is a
 * {@link Block} {@code capacity} holding the {@link Value} {@code 300} under {@code 101}. See
 * {@link PolicyContext#optionTree()}.
 */
@Experimental(reason = "new in 0.3: nested policy options; lists may be added")
public sealed interface PolicyOption permits PolicyOption.Value, PolicyOption.Block {

    /**
     * A scalar option, as text.
     *
     * @param text the value as written (numbers and booleans as their text)
     */
    record Value(String text) implements PolicyOption {
        /** Requires the text. */
        public Value {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A nested block of options.
     *
     * @param entries the block's entries by key, in the order written
     */
    record Block(Map<String, PolicyOption> entries) implements PolicyOption {
        /** Copies the entries. */
        public Block {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
        }
    }
}
