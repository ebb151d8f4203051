package org.dialbalance.core;

import java.util.Iterator;
import java.util.LinkedHashSet;

import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one node has in progress: requests sent to it that await their outcome, and calls dialed on it that
 * have not been released.
 *
 * <ul>
 *   <li>A request counts from the moment the dispatcher sends it on the node's link until its outcome, whatever
 *       the outcome (a request that was not written and went on to another node counts here until that other
 *       node's outcome: a little long, never too short).</li>
 *   <li>A {@link DialOutcome.Dialed} outcome on this node adds its ConnID as a call in progress; an
 *       {@code EventReleased} with that ConnID from either link of the node removes it. When both links of the node
 *       are down its calls are forgotten: their EventReleased can no longer reach this client.</li>
 *   <li>At most {@code max-calls-in-progress} calls are remembered: past it the oldest is forgotten, with one
 *       warning per node (a server that never sends EventReleased must not grow memory without limit).</li>
 * </ul>
 *
 * <p>It also holds the node's drain: draining from {@code drain} until {@code enable}, finished once nothing is
 * in progress. A finished drain refuses new requests ({@link #sent()} returns false), which closes the race with a
 * request routed on a snapshot taken just before the drain began: either that request is counted first and the
 * drain waits for it, or the drain finished first and the request is not written here.
 *
 * <p>Concurrency: every change is made under this object's monitor, which is taken after the cluster lock when
 * both are held and never the other way round; the counts are also kept in volatile fields, so that
 * {@link #callsInProgress()} and {@link #requestsAwaitingReply()} are lock-free, allocation-free reads.
 */
final class NodeLoad {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLoad.class);

    private final NodeId node;
    private final int maxCalls;
    /** The node's {@code max-calls}; changed by a reconfiguration, read under the monitor or lock-free. */
    private volatile int capacity;
    private final LinkedHashSet<String> calls = new LinkedHashSet<>();
    private int awaiting;
    private boolean warnedFull;
    private boolean drainFinished;
    private volatile int callCount;
    private volatile int awaitingCount;
    private volatile boolean draining;
    /** Told after every change of the counts, under the monitor: the policy host's watchers ({@link #onChange}). */
    private volatile Runnable changed = () -> { };

    /** Whether a request may be written to the node: {@link #sent()}'s answer. */
    enum Admission {
        /** Counted as awaiting a reply: write it. */
        SENT,
        /** The node's drain has finished: nothing must be written to it. */
        DRAINED,
        /** The node has its {@code max-calls} in progress (calls plus requests awaiting replies). */
        FULL
    }

    NodeLoad(NodeId node, int maxCalls) {
        this(node, maxCalls, Integer.MAX_VALUE);
    }

    /**
     * @param maxCalls calls remembered until their EventReleased ({@code max-calls-in-progress}); a node's
     *                 {@code max-calls} is validated to be at most this, so a capped node never forgets a call
     * @param capacity the node's {@code max-calls}: calls plus requests awaiting replies never exceed it
     */
    NodeLoad(NodeId node, int maxCalls, int capacity) {
        this.node = node;
        this.maxCalls = maxCalls;
        this.capacity = capacity;
    }

    /**
     * What to tell after every change of the counts, from now on: the policy host of the configuration in force binds
     * it ({@link PolicyHost#bindLoads}). It runs under this object's monitor, right after the change.
     */
    void onChange(Runnable value) {
        changed = value;
    }

    /** The node's {@code max-calls}; {@link Integer#MAX_VALUE} when unlimited. */
    int capacity() {
        return capacity;
    }

    /**
     * A reconfiguration's new {@code max-calls} for this node, applied to the next request: what is in progress goes
     * on (a cap lowered below it admits nothing new until the load is under it).
     */
    synchronized void capacity(int value) {
        capacity = value;
    }

    /** Whether calls plus requests awaiting replies have reached {@code max-calls}. Lock-free, allocation-free. */
    boolean atCapacity() {
        return (long) callCount + awaitingCount >= capacity;
    }

    NodeId node() {
        return node;
    }

    /** Calls dialed on the node and not released. Lock-free, allocation-free. */
    int callsInProgress() {
        return callCount;
    }

    /** Requests sent to the node that have no outcome yet. Lock-free, allocation-free. */
    int requestsAwaitingReply() {
        return awaitingCount;
    }

    /** Whether the node is draining (finished or not). Lock-free. */
    boolean draining() {
        return draining;
    }

    /** Whether the node is draining and its drain has finished. */
    synchronized boolean drained() {
        return draining && drainFinished;
    }

    /**
     * A request is about to be sent to the node: counts it, unless the node's drain has finished or the node has
     * its {@code max-calls} in progress. Counting and the capacity check are one step under the monitor, so
     * calls plus requests awaiting replies never exceed {@code max-calls}, however many threads send at once.
     *
     * @return whether it may be sent
     */
    synchronized Admission sent() {
        if (draining && drainFinished) {
            return Admission.DRAINED;
        }
        if ((long) awaiting + calls.size() >= capacity) {
            return Admission.FULL;
        }
        awaitingCount = ++awaiting;
        changed.run();
        return Admission.SENT;
    }

    /** @return whether the node was not draining before */
    synchronized boolean startDraining() {
        if (draining) {
            return false;
        }
        draining = true;
        drainFinished = false;
        return true;
    }

    /** @return whether the node was draining before */
    synchronized boolean stopDraining() {
        if (!draining) {
            return false;
        }
        draining = false;
        drainFinished = false;
        return true;
    }

    /** @return whether the drain has just finished: draining, not reported yet, and nothing in progress */
    synchronized boolean finishDrainIfIdle() {
        if (!draining || drainFinished || !idle()) {
            return false;
        }
        drainFinished = true;
        return true;
    }

    /**
     * A request sent to this node has its outcome; a dialed call on this node is remembered.
     *
     * @return whether the node has nothing in progress now
     */
    synchronized boolean ended(DialOutcome outcome) {
        awaitingCount = --awaiting;
        if (outcome instanceof DialOutcome.Dialed dialed && dialed.node().equals(node) && !dialed.connId().isEmpty()) {
            add(dialed.connId());
        }
        changed.run();
        return idle();
    }

    private void add(String connId) {
        if (!calls.add(connId)) {
            return;
        }
        if (calls.size() > maxCalls) {
            Iterator<String> oldest = calls.iterator();
            oldest.next();
            oldest.remove();
            if (!warnedFull) {
                warnedFull = true;
                LOG.warn("Node {} has {} calls in progress without their EventReleased; forgetting the oldest from now on"
                        + " (raise max-calls-in-progress if calls really last that long)", node, maxCalls);
            }
        }
        callCount = calls.size();
    }

    /**
     * An EventReleased came from the node.
     *
     * @return whether it released a call this node had in progress
     */
    synchronized boolean released(String connId) {
        if (!calls.remove(connId)) {
            return false;
        }
        callCount = calls.size();
        changed.run();
        return true;
    }

    /**
     * Both links of the node are down: forgets its calls, whose EventReleased cannot reach us any more.
     *
     * @return how many were forgotten
     */
    synchronized int forgetCalls() {
        int forgotten = calls.size();
        calls.clear();
        callCount = 0;
        if (forgotten > 0) {
            changed.run();
        }
        return forgotten;
    }

    /** Whether nothing is in progress: no request awaits a reply and no call is in progress. */
    synchronized boolean idle() {
        return awaiting == 0 && calls.isEmpty();
    }
}
