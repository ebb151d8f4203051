package org.dialbalance.harness;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.dialbalance.api.policy.NodeLoadView;

/**
 * A {@link NodeLoadView} a test sets by hand: calls in progress and requests awaiting replies per node position.
 * It reports every change to its watchers ({@link #watch}), on the thread that made it, as the balancer's own view
 * does. Thread-safe.
 */
public final class CountingNodeLoad implements NodeLoadView {

    private final AtomicIntegerArray calls;
    private final AtomicIntegerArray awaiting;
    private volatile LoadWatcher[] watchers = new LoadWatcher[0];

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

    @Override
    public synchronized boolean watch(LoadWatcher watcher) {
        java.util.Objects.requireNonNull(watcher, "watcher");
        LoadWatcher[] next = Arrays.copyOf(watchers, watchers.length + 1);
        next[watchers.length] = watcher;
        watchers = next;
        return true;
    }

    /**
     * The same counts through a view that reports no changes ({@link NodeLoadView#watch} returns false), as a host
     * other than the balancer may give: a policy must then read the loads as it routes.
     */
    public NodeLoadView unwatched() {
        CountingNodeLoad counts = this;
        return new NodeLoadView() {
            @Override
            public int callsInProgress(int nodeIndex) {
                return counts.callsInProgress(nodeIndex);
            }

            @Override
            public int requestsAwaitingReply(int nodeIndex) {
                return counts.requestsAwaitingReply(nodeIndex);
            }
        };
    }

    /** Sets a node's calls in progress. */
    public void setCalls(int nodeIndex, int value) {
        calls.set(nodeIndex, value);
        changed(nodeIndex);
    }

    /** Adds to a node's calls in progress (a negative delta releases). */
    public void addCalls(int nodeIndex, int delta) {
        calls.addAndGet(nodeIndex, delta);
        changed(nodeIndex);
    }

    /** Sets a node's requests awaiting replies. */
    public void setAwaiting(int nodeIndex, int value) {
        awaiting.set(nodeIndex, value);
        changed(nodeIndex);
    }

    private void changed(int nodeIndex) {
        for (LoadWatcher watcher : watchers) {
            watcher.loadChanged(nodeIndex);
        }
    }
}
