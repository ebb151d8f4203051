package org.dialbalance.api;

/**
 * Why a request failed. {@link #written()} says whether the request had been written to a link:
 * a written request may have reached the server and placed a call, so it must not be re-sent blindly
 * (the framework itself never re-sends it).
 */
@Stable(since = "0.1")
public enum FailureReason {
    /** The request was written, then the link died before the reply came. It is not re-sent anywhere. */
    LINK_LOST_AFTER_WRITE(true),
    /** The request was written and no reply came within the request timeout. */
    TIMEOUT(true),
    /** The server answered with EventError; the detail carries its error code and message. */
    REJECTED(true),
    /** The chosen link was down before anything was written, and the one re-route could not send either. */
    NOT_SENT(false),
    /** The link already had its maximum of pending requests; nothing was queued. */
    PENDING_LIMIT(false),
    /**
     * The transport refused the request before writing anything because it cannot be sent as it is on any
     * link (for example, once encoded it is larger than the transport's frame limit). It is not re-routed:
     * the request itself must change.
     */
    INVALID_REQUEST(false),
    /** The policy threw, returned nothing, or chose a node that is not active; the request was refused. */
    POLICY_ERROR(false),
    /** The balancer was not running when the request arrived. */
    NOT_RUNNING(false);

    private final boolean written;

    FailureReason(boolean written) {
        this.written = written;
    }

    /** Whether the request had been written to a link, so it may have reached a server. */
    public boolean written() {
        return written;
    }
}
