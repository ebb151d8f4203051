package org.dialbalance.core;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.NodeLoadView;
import org.dialbalance.api.policy.RoutingFeedback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the balancer offers policies beyond the snapshot: each node's load ({@link NodeLoadView}), the scheduler's
 * clock, and the fan-out of {@link RoutingFeedback}. Policies are created before the node connections and the
 * scheduler exist, so both are bound later ({@link #bindLoads}, {@link #bindClock}); until then every node is idle
 * and the clock is {@link System#nanoTime()}.
 *
 * <p>Reads are lock-free and allocation-free: one volatile read of the bound array, one of the node's count.
 */
final class PolicyHost implements NodeLoadView {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyHost.class);
    private static final RoutingFeedback[] NONE = new RoutingFeedback[0];

    private volatile NodeLoad[] loads;
    private volatile Scheduler clock;
    private volatile RoutingFeedback[] feedback = NONE;

    /** Binds the nodes' loads, in configured order. */
    void bindLoads(NodeLoad[] value) {
        this.loads = value;
    }

    /** Binds the scheduler whose clock policies read. */
    void bindClock(Scheduler value) {
        this.clock = value;
    }

    /** Registers the policies that want feedback (those implementing {@link RoutingFeedback}), once. */
    void bindPolicies(BalancingPolicy regular, BalancingPolicy seizing) {
        if (regular instanceof RoutingFeedback first && seizing instanceof RoutingFeedback second && first != second) {
            feedback = new RoutingFeedback[] {first, second};
        } else if (regular instanceof RoutingFeedback first) {
            feedback = new RoutingFeedback[] {first};
        } else if (seizing instanceof RoutingFeedback second) {
            feedback = new RoutingFeedback[] {second};
        }
    }

    long nanoTime() {
        Scheduler bound = clock;
        return bound == null ? System.nanoTime() : bound.nanoTime();
    }

    @Override
    public int callsInProgress(int nodeIndex) {
        NodeLoad[] bound = loads;
        return bound == null ? 0 : bound[nodeIndex].callsInProgress();
    }

    @Override
    public int requestsAwaitingReply(int nodeIndex) {
        NodeLoad[] bound = loads;
        return bound == null ? 0 : bound[nodeIndex].requestsAwaitingReply();
    }

    /** A call in progress on a node ended: every policy that wants feedback hears of it. */
    void released(int nodeIndex) {
        for (RoutingFeedback policy : feedback) {
            try {
                policy.released(nodeIndex);
            } catch (RuntimeException e) {
                LOG.error("Policy {} threw from RoutingFeedback.released; ignored", policy, e);
            }
        }
    }

    static void dialed(RoutingFeedback policy, DialRequest request, int nodeIndex) {
        try {
            policy.dialed(request, nodeIndex);
        } catch (RuntimeException e) {
            LOG.error("Policy {} threw from RoutingFeedback.dialed; ignored", policy, e);
        }
    }

    static void failed(RoutingFeedback policy, DialRequest request, int nodeIndex, FailureReason reason) {
        try {
            policy.failed(request, nodeIndex, reason);
        } catch (RuntimeException e) {
            LOG.error("Policy {} threw from RoutingFeedback.failed; ignored", policy, e);
        }
    }
}
