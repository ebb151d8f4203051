package org.dialbalance.simulator;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;

/**
 * What the simulator knows about one request: what it was, when it was issued, the snapshot around the
 * {@code dial} call, and how it ended. {@code snapshotBefore} is the snapshot the dispatcher routed on
 * whenever {@link #routedOnKnownSnapshot()} holds (routing happens inside {@code dial}).
 */
final class RequestRecord {

    final int id;
    final CampaignGroup group;
    final boolean engaging;
    final long issuedNanos;
    final ClusterSnapshot snapshotBefore;
    final long versionAfter;
    private volatile DialOutcome outcome;
    private volatile long completedNanos;
    private volatile int completions;

    RequestRecord(int id, CampaignGroup group, boolean engaging, long issuedNanos, ClusterSnapshot snapshotBefore, long versionAfter) {
        this.id = id;
        this.group = group;
        this.engaging = engaging;
        this.issuedNanos = issuedNanos;
        this.snapshotBefore = snapshotBefore;
        this.versionAfter = versionAfter;
    }

    synchronized void complete(DialOutcome value, long nanos) {
        completions++;
        if (outcome == null) {
            outcome = value;
            completedNanos = nanos;
        }
    }

    DialOutcome outcome() {
        return outcome;
    }

    long completedNanos() {
        return completedNanos;
    }

    /** How many times an outcome arrived; exactly one is the guarantee. */
    int completions() {
        return completions;
    }

    /** Whether the snapshot did not change during {@code dial}, so the route was decided on {@link #snapshotBefore}. */
    boolean routedOnKnownSnapshot() {
        return snapshotBefore.version() == versionAfter;
    }
}
