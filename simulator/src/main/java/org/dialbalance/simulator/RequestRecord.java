package org.dialbalance.simulator;

import java.util.ArrayList;
import java.util.List;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialOutcome;

/**
 * What the simulator knows about one request: what it was, when it was issued, every routing decision the
 * balancer made for it (with the exact snapshot of each), and how it ended.
 */
final class RequestRecord {

    final int id;
    final CampaignGroup group;
    final boolean engaging;
    final long issuedNanos;
    /** The dialer it was issued to, in a scenario with several; empty with one balancer. */
    final String dialer;
    private final List<Decision> decisions = new ArrayList<>(1);
    private DialOutcome outcome;
    private long completedNanos;
    private int completions;

    RequestRecord(int id, CampaignGroup group, boolean engaging, long issuedNanos) {
        this(id, group, engaging, issuedNanos, "");
    }

    RequestRecord(int id, CampaignGroup group, boolean engaging, long issuedNanos, String dialer) {
        this.dialer = dialer;
        this.id = id;
        this.group = group;
        this.engaging = engaging;
        this.issuedNanos = issuedNanos;
    }

    synchronized void routed(Decision decision) {
        decisions.add(decision);
    }

    synchronized void complete(DialOutcome value, long nanos) {
        completions++;
        if (outcome == null) {
            outcome = value;
            completedNanos = nanos;
        }
    }

    /** The routing decisions, in the order they were made: one, or two when the first link was gone before writing. */
    synchronized List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    /** The decision that sent the request on its way (the last one), or {@code null} if none was reported. */
    synchronized Decision lastDecision() {
        return decisions.isEmpty() ? null : decisions.get(decisions.size() - 1);
    }

    synchronized DialOutcome outcome() {
        return outcome;
    }

    synchronized long completedNanos() {
        return completedNanos;
    }

    /** How many times an outcome arrived; exactly one is the guarantee. */
    synchronized int completions() {
        return completions;
    }
}
