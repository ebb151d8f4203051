package org.dialbalance.core;

import java.util.HashMap;
import java.util.Map;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.NodeId;
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
 * <p>One host per configuration: its policies name nodes by their index in that configuration's topology. A
 * reconfiguration creates the next host ({@link #successor()}, same clock) and binds it to the loads in the new
 * configured order, so that a policy of the old configuration routing a last request still reads its own indexes.
 *
 * <p>Reads are lock-free and allocation-free: one volatile read of the bound array, one of the node's count. Every
 * change of a bound node's counts is reported to the policies that {@link #watch} (by the node's index in this
 * configuration), and binding reports every node once, since the loads bound may not be idle.
 */
final class PolicyHost implements NodeLoadView {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyHost.class);
    private static final RoutingFeedback[] NONE = new RoutingFeedback[0];
    private static final LoadWatcher[] NO_WATCHERS = new LoadWatcher[0];

    private volatile NodeLoad[] loads;
    /** Node index by id, for {@link #released}; read under the cluster lock only. */
    private Map<NodeId, Integer> indexes = Map.of();
    private volatile Scheduler clock;
    private volatile RoutingFeedback[] feedback = NONE;
    private volatile LoadWatcher[] watchers = NO_WATCHERS;

    /** Binds the nodes' loads, in configured order. Call under the cluster lock. */
    void bindLoads(NodeLoad[] value) {
        Map<NodeId, Integer> byId = new HashMap<>();
        for (int i = 0; i < value.length; i++) {
            byId.put(value[i].node(), i);
        }
        this.indexes = byId;
        for (int i = 0; i < value.length; i++) {
            int nodeIndex = i;
            value[i].onChange(() -> changed(nodeIndex));
        }
        this.loads = value;
        for (int i = 0; i < value.length; i++) {
            changed(i);
        }
    }

    /** Every policy of this configuration that asks hears of every change of a bound node's counts. */
    @Override
    public synchronized boolean watch(LoadWatcher watcher) {
        java.util.Objects.requireNonNull(watcher, "watcher");
        LoadWatcher[] next = java.util.Arrays.copyOf(watchers, watchers.length + 1);
        next[watchers.length] = watcher;
        watchers = next;
        return true;
    }

    private void changed(int nodeIndex) {
        for (LoadWatcher watcher : watchers) {
            try {
                watcher.loadChanged(nodeIndex);
            } catch (RuntimeException e) {
                LOG.error("Policy load watcher {} threw from loadChanged; ignored", watcher, e);
            }
        }
    }

    /** A host for the next configuration's policies: the same clock, loads bound later. */
    PolicyHost successor() {
        PolicyHost next = new PolicyHost();
        next.clock = clock;
        return next;
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

    /**
     * A call in progress on a node ended: every policy that wants feedback hears of it, by the node's index in this
     * configuration (not at all for a node that left the configuration: its policies never saw it). Call under the
     * cluster lock.
     */
    void released(NodeId node) {
        Integer nodeIndex = indexes.get(node);
        if (nodeIndex == null) {
            return;
        }
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
