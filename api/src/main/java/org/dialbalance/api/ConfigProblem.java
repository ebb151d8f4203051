package org.dialbalance.api;

import java.util.Objects;

/**
 * One thing wrong with a configuration: which option, what value it had, what was expected.
 * Configuration is validated as a whole and every problem is reported at once.
 *
 * @param option   the option's path, for example {@code sip-cluster-prime-node} or
 *                 {@code nodes[2].primary.port}
 * <p>Whatever a file holds, a problem stays one short line: the option and the value are cut to
 * {@value #MAX_OPTION_CHARS} and {@value #MAX_VALUE_CHARS} characters (followed by {@code "… (N chars)"}),
 * the expectation to {@value #MAX_EXPECTED_CHARS}, and control characters are shown as Unicode
 * escapes (<code>&#92;u001B</code>).
 *
 * @param value    the offending value as written, or {@code "(missing)"}
 * @param expected what would have been accepted
 */
@Stable(since = "0.1")
public record ConfigProblem(String option, String value, String expected) {

    /** How many characters of a value a problem shows. */
    public static final int MAX_VALUE_CHARS = 60;
    /** How many characters of an option's path a problem shows. */
    public static final int MAX_OPTION_CHARS = 120;
    /** How many characters of an expectation a problem shows. */
    public static final int MAX_EXPECTED_CHARS = 1000;

    /** Requires every field; cuts long ones and escapes control characters. */
    public ConfigProblem {
        option = excerpt(Objects.requireNonNull(option, "option"), MAX_OPTION_CHARS);
        value = excerpt(Objects.requireNonNull(value, "value"), MAX_VALUE_CHARS);
        expected = excerpt(Objects.requireNonNull(expected, "expected"), MAX_EXPECTED_CHARS);
    }

    /**
     * A text as a problem shows it: control characters escaped (<code>&#92;u000A</code>), and when longer than
     * {@code max} characters, its first {@code max} followed by {@code "… (N chars)"}, N its full length.
     */
    public static String excerpt(String text, int max) {
        boolean clean = text.length() <= max;
        for (int i = 0; clean && i < text.length(); i++) {
            clean = !Character.isISOControl(text.charAt(i));
        }
        if (clean) {
            return text;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 24);
        int shown = Math.min(text.length(), max);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > max) {
            out.append("\u2026 (").append(text.length()).append(" chars)");
        }
        return out.toString();
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
