package org.dialbalance.metrics.micrometer;

import java.util.Locale;

/**
 * Why a link went down, in a few bounded kinds: the {@code reason} tag of {@code dialbalance.link.disconnects}.
 * Transports report the reason as free text (which may hold addresses and numbers, so it is never a tag); it is
 * sorted here by the words the {@code tserver} transport uses. The full text stays in the logs and in
 * {@code DialBalancer.health()} ({@code lastError} of the link).
 */
public enum LinkDownReason {
    /** No reply to the keep-alive ping within {@code addp-timeout}. */
    ADDP_TIMEOUT,
    /** The server announced EventLinkDisconnected. */
    LINK_DISCONNECTED,
    /** A protocol violation, an oversized frame or a protocol version mismatch. */
    PROTOCOL_ERROR,
    /** An I/O error on the connection. */
    IO_ERROR,
    /** The server closed the connection. */
    CLOSED_BY_SERVER,
    /** This client closed the link. */
    CLOSED_BY_CLIENT,
    /** Any other text, or none. */
    OTHER;

    /** Sorts a transport's reason text into a kind; never throws. */
    public static LinkDownReason classify(String reason) {
        if (reason == null || reason.isEmpty()) {
            return OTHER;
        }
        String text = reason.toLowerCase(Locale.ROOT);
        if (text.contains("addp-timeout") || text.contains("keep-alive")) {
            return ADDP_TIMEOUT;
        }
        if (text.contains("eventlinkdisconnected")) {
            return LINK_DISCONNECTED;
        }
        if (text.contains("protocol violation") || text.contains("max-frame-size") || text.contains("protocol version")) {
            return PROTOCOL_ERROR;
        }
        if (text.contains("i/o error")) {
            return IO_ERROR;
        }
        if (text.contains("closed by the server")) {
            return CLOSED_BY_SERVER;
        }
        if (text.contains("closed by the client")) {
            return CLOSED_BY_CLIENT;
        }
        return OTHER;
    }
}
