package org.dialbalance.harness.property;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;

/**
 * What happened at one step of a run: the action, the snapshot the system saw before it, and for a
 * request, where it went.
 *
 * @param index    position in the sequence
 * @param action   the action
 * @param before   the snapshot before the action
 * @param group    for requests, the group; otherwise {@code null}
 * @param node     for a dialed request, the position of its node; otherwise -1
 * @param via      for a dialed request, its link; otherwise {@code null}
 * @param hold     for a held request, the reason; otherwise {@code null}
 * @param failure  for a request that neither dialed nor was held, why; otherwise {@code null}
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

    /** Whether the request was dialed. */
    public boolean dialed() {
        return node >= 0;
    }

    /** What happened, for reports. */
    public String outcome() {
        if (!isRequest()) {
            return "";
        }
        return dialed() ? "dialed on node #" + node + " via " + via : hold != null ? "held " + hold : "failed: " + failure;
    }
}
