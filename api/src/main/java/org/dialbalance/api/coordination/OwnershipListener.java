package org.dialbalance.api.coordination;

import org.dialbalance.api.Experimental;

/**
 * Told by a {@link Coordinator} of every change of this dialer's ownership of a campaign group. The balancer turns
 * each call into a {@code ClusterEvent.OwnershipChanged}.
 */
@Experimental(reason = "new in 0.4: several dialers over one cluster")
@FunctionalInterface
public interface OwnershipListener {

    /**
     * One group was taken or given up.
     *
     * @param campaignGroup the group
     * @param owned         whether this dialer owns it from now on
     * @param fencingToken  the new token when {@code owned}; {@link GroupOwnership#NOT_OWNER} otherwise
     * @param detail        why, for people: "leadership acquired", "connection SUSPENDED", "session expired", …
     */
    void onOwnershipChanged(String campaignGroup, boolean owned, long fencingToken, String detail);
}
