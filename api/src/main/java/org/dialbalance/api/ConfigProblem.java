package org.dialbalance.api;

import java.util.Objects;

/**
 * One thing wrong with a configuration: which option, what value it had, what was expected.
 * Configuration is validated as a whole and every problem is reported at once.
 *
 * @param option   the option's path, for example {@code sip-cluster-prime-node} or
 *                 {@code nodes[2].primary.port}
 * @param value    the offending value as written, or {@code "(missing)"}
 * @param expected what would have been accepted
 */
@Stable(since = "0.1")
public record ConfigProblem(String option, String value, String expected) {

    /** Requires every field. */
    public ConfigProblem {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expected, "expected");
    }

    /** {@code option = value: expected ...}, one line for people. */
    public String message() {
        return option + " = " + value + ": expected " + expected;
    }

    @Override
    public String toString() {
        return message();
    }
}
