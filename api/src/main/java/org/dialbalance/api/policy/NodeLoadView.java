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

    /**
     * Asks to be told of every change of a node's {@link #load} from now on, so that a policy can keep its own
     * index over the loads (for example the least loaded node) instead of reading every node on each route.
     *
     * <p>A view that returns {@code true} promises: after each change of a node's count, on the thread that made it,
     * {@link LoadWatcher#loadChanged} is called with that node's index before the change is followed by anything
     * that depends on it; so a watcher that reads {@link #load} there sees the new count (or a newer one). It keeps
     * calling for as long as the policy's configuration is in force. A view that returns {@code false} (the default)
     * reports nothing, and its counts may change unseen: such a policy must read the loads as it routes.
     *
     * @param watcher called on every change; see {@link LoadWatcher} for what it may do; not null
     * @return whether this view reports changes to the watcher
     * @since 0.4
     */
    default boolean watch(LoadWatcher watcher) {
        return false;
    }

    /**
     * Hears of changes of node loads ({@link #watch}). Called on the balancer's and the transport's threads,
     * concurrently for different nodes and possibly while the balancer holds its own locks: it must be fast, must not
     * block on anything but the policy's own short critical section, must not throw, and must never call back into the
     * balancer. Reading {@link NodeLoadView} from it is allowed.
     *
     * @since 0.4
     */
    @FunctionalInterface
    interface LoadWatcher {

        /**
         * A node's calls in progress or requests awaiting replies have changed.
         *
         * @param nodeIndex position of the node in configured order
         */
        void loadChanged(int nodeIndex);
    }
}
