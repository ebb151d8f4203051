package org.dialbalance.api.policy;

import org.dialbalance.api.Experimental;

/**
 * What each node has in progress now, as the balancer counts it, for policies that balance by load. Reached
 * through {@link PolicyContext#nodeLoad()}; nodes are named by their position in configured order
 * ({@link org.dialbalance.api.ClusterTopology#node(int)}, {@link org.dialbalance.api.ClusterSnapshot#activeIndex(int)}).
 *
 * <p>Every read is lock-free and allocation-free, so {@link BalancingPolicy#route} may call it on its common path.
 * The counts are live, not part of the snapshot: they move while a policy decides, and two reads may differ.
 * A policy must treat them as a good estimate, never as a reservation (the balancer itself enforces
 * {@code max-calls}; see {@link NodeOptions#maxCalls()}).
 */
@Experimental(reason = "new in 0.3 with load-aware balancing; may gain counts (by default methods)")
public interface NodeLoadView {

    /** A view in which every node has nothing in progress: what a policy sees outside a running balancer. */
    NodeLoadView IDLE = new NodeLoadView() {
        @Override
        public int callsInProgress(int nodeIndex) {
            return 0;
        }

        @Override
        public int requestsAwaitingReply(int nodeIndex) {
            return 0;
        }
    };

    /**
     * Calls dialed on the node and not released yet (a {@code Dialed} outcome until its EventReleased).
     *
     * @param nodeIndex position of the node in configured order
     */
    int callsInProgress(int nodeIndex);

    /**
     * Requests written (or about to be written) to the node that have no outcome yet: each may become a call in
     * progress in a moment.
     *
     * @param nodeIndex position of the node in configured order
     */
    int requestsAwaitingReply(int nodeIndex);

    /**
     * The node's load: calls in progress plus requests awaiting a reply. This is the count {@code max-calls}
     * caps, since every request awaiting a reply may become a call.
     *
     * @param nodeIndex position of the node in configured order
     */
    default int load(int nodeIndex) {
        return callsInProgress(nodeIndex) + requestsAwaitingReply(nodeIndex);
    }
}
