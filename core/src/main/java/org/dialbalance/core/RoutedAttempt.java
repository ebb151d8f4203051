package org.dialbalance.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.policy.RoutingFeedback;

/**
 * One route to a node whose policy wants {@link RoutingFeedback}: reports its fate exactly once. Either the
 * request was not written there ({@link #notSent()}: gone before the write, drained, or at capacity — the request
 * may go on to a second route, which has its own attempt), or the request's outcome is this route's
 * ({@link #accept}). Whichever comes first wins; the other is ignored.
 */
final class RoutedAttempt extends AtomicBoolean implements BiConsumer<DialOutcome, Throwable> {

    private static final long serialVersionUID = 1L;

    private final transient RoutingFeedback policy;
    private final transient DialRequest request;
    private final transient NodeId node;
    private final int nodeIndex;

    RoutedAttempt(RoutingFeedback policy, DialRequest request, NodeId node, int nodeIndex) {
        this.policy = policy;
        this.request = request;
        this.node = node;
        this.nodeIndex = nodeIndex;
    }

    /** Nothing was written to this route's node. */
    void notSent() {
        if (compareAndSet(false, true)) {
            PolicyHost.failed(policy, request, nodeIndex, FailureReason.NOT_SENT);
        }
    }

    /** The request's outcome, once it was written (or about to be) to this route's node. */
    @Override
    public void accept(DialOutcome outcome, Throwable error) {
        if (!compareAndSet(false, true)) {
            return;
        }
        if (outcome instanceof DialOutcome.Dialed dialed && dialed.node().equals(node)) {
            PolicyHost.dialed(policy, request, nodeIndex);
        } else if (outcome instanceof DialOutcome.Failed failed) {
            PolicyHost.failed(policy, request, nodeIndex, failed.reason());
        } else {
            PolicyHost.failed(policy, request, nodeIndex, FailureReason.NOT_SENT);
        }
    }
}
