package org.dialbalance.harness.property;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;

/**
 * What happened at one step of a run: the action, the snapshot the system saw before it, and for a
 * request, one routing decision: where it went. A request the core routes twice (its first link found gone
 * before the write) makes two steps with the same index, each with the snapshot it was routed on.
 *
 * @param index    position in the sequence
 * @param action   the action
 * @param before   the snapshot before the action
 * @param group    for requests, the group; otherwise {@code null}
 * @param node     for a request routed to a node, the position of its node; otherwise -1
 * @param via      for a request routed to a node, its link; otherwise {@code null}
 * @param hold     for a held request, the reason; otherwise {@code null}
 * @param failure  for a request that was not routed (the policy failed) or that failed after its route
 *                 (a transport fault), why; otherwise {@code null}
 */
public record Step(int index, Action action, ClusterSnapshot before, CampaignGroup group, int node, LinkRole via,
                   HoldReason hold, String failure) {

    /** A step that was not a request. */
    static Step link(int index, Action action, ClusterSnapshot before) {
        return new Step(index, action, before, null, -1, null, null, null);
    }

    /** Whether this step was a request. */
    public boolean isRequest() {
        return group != null;
    }

    /** Whether the request was routed to a node (it may still have failed after, see {@link #failure()}). */
    public boolean dialed() {
        return node >= 0;
    }

    /** What happened, for reports. */
    public String outcome() {
        if (!isRequest()) {
            return "";
        }
        if (dialed()) {
            return (failure == null ? "dialed" : "routed") + " on node #" + node + " via " + via + (failure == null ? "" : ", then " + failure);
        }
        return hold != null ? "held " + hold : "failed: " + failure;
    }
}
