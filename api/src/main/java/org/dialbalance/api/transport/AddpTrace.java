package org.dialbalance.api.transport;

import java.util.Locale;
import java.util.Optional;

import org.dialbalance.api.Stable;

/**
 * The {@code addp-trace} option: which side's keep-alive messages are logged.
 */
@Stable(since = "0.1")
public enum AddpTrace {
    /** No keep-alive tracing ({@code off}, {@code false}, {@code no}). */
    OFF,
    /** This client's keep-alive messages ({@code local}, {@code on}, {@code true}, {@code yes}). */
    LOCAL,
    /** The server's keep-alive messages ({@code remote}). */
    REMOTE,
    /** Both sides ({@code full}, {@code both}). */
    FULL;

    /** The accepted spellings, for error messages. */
    public static final String ACCEPTED = "off|false|no|local|on|true|yes|remote|full|both";

    /**
     * Parses the outbound server's spellings, ignoring case.
     *
     * @return the value, or empty if {@code value} is none of {@link #ACCEPTED}
     */
    public static Optional<AddpTrace> parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "off": case "false": case "no": return Optional.of(OFF);
            case "local": case "on": case "true": case "yes": return Optional.of(LOCAL);
            case "remote": return Optional.of(REMOTE);
            case "full": case "both": return Optional.of(FULL);
            default: return Optional.empty();
        }
    }
}
