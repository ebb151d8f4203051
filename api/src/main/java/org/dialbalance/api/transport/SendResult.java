package org.dialbalance.api.transport;

import java.util.Objects;

import org.dialbalance.api.Stable;

/**
 * How one request on one link ended, as the transport saw it. The distinction that matters most is
 * between {@link NotWritten} (nothing left this process: the request may go elsewhere) and every other
 * failure (it was written and may have reached the server: it must never be sent again). {@link PendingLimit}
 * and {@link Refused} were not written either, but are not re-routed.
 */
@Stable(since = "0.1")
public sealed interface SendResult permits SendResult.Accepted, SendResult.Rejected, SendResult.NotWritten,
        SendResult.LostAfterWrite, SendResult.TimedOut, SendResult.PendingLimit, SendResult.Refused {

    /**
     * The server answered EventDialing.
     *
     * @param referenceId the ReferenceID the request carried
     * @param connId      the ConnID of the new call
     */
    record Accepted(long referenceId, String connId) implements SendResult {
        /** Requires a ConnID. */
        public Accepted {
            Objects.requireNonNull(connId, "connId");
        }
    }

    /**
     * The server answered EventError.
     *
     * @param referenceId the ReferenceID the request carried
     * @param errorCode   the server's error code
     * @param message     the server's error message, or empty
     */
    record Rejected(long referenceId, int errorCode, String message) implements SendResult {
        /** Requires a message. */
        public Rejected {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Nothing was written: the link was closed or closing before the request could be written.
     * The request may safely be routed elsewhere.
     *
     * @param reason why
     */
    record NotWritten(String reason) implements SendResult {
        /** Requires a reason. */
        public NotWritten {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The request was written (or its write was in progress), then the link closed before a reply.
     *
     * @param reason why the link closed
     */
    record LostAfterWrite(String reason) implements SendResult {
        /** Requires a reason. */
        public LostAfterWrite {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The request was written and no reply came in time.
     *
     * @param timeoutMillis the timeout that expired
     */
    record TimedOut(long timeoutMillis) implements SendResult {
    }

    /**
     * The link already had its maximum of pending requests; nothing was written.
     *
     * @param limit the configured limit
     */
    record PendingLimit(int limit) implements SendResult {
    }

    /**
     * Nothing was written: the transport cannot send this request as it is on any link, for example because
     * its encoded frame is larger than the protocol allows ({@code max-frame-size}) or a value cannot be
     * encoded. Unlike {@link NotWritten} it must not be routed elsewhere: it would be refused there too.
     *
     * @param reason why, naming the limit or value
     */
    record Refused(String reason) implements SendResult {
        /** Requires a reason. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
