package org.dialbalance.harness;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.dialbalance.api.policy.NodeLoadView;

/**
 * A {@link NodeLoadView} a test sets by hand: calls in progress and requests awaiting replies per node position.
 * Thread-safe.
 */
public final class CountingNodeLoad implements NodeLoadView {

    private final AtomicIntegerArray calls;
    private final AtomicIntegerArray awaiting;

    /** @param nodeCount how many nodes, all idle at first */
    public CountingNodeLoad(int nodeCount) {
        this.calls = new AtomicIntegerArray(nodeCount);
        this.awaiting = new AtomicIntegerArray(nodeCount);
    }

    @Override
    public int callsInProgress(int nodeIndex) {
        return calls.get(nodeIndex);
    }

    @Override
    public int requestsAwaitingReply(int nodeIndex) {
        return awaiting.get(nodeIndex);
    }

    /** Sets a node's calls in progress. */
    public void setCalls(int nodeIndex, int value) {
        calls.set(nodeIndex, value);
    }

    /** Adds to a node's calls in progress (a negative delta releases). */
    public void addCalls(int nodeIndex, int delta) {
        calls.addAndGet(nodeIndex, delta);
    }

    /** Sets a node's requests awaiting replies. */
    public void setAwaiting(int nodeIndex, int value) {
        awaiting.set(nodeIndex, value);
    }
}
