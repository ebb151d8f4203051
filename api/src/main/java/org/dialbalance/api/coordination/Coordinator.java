package org.dialbalance.api.coordination;

import org.dialbalance.api.CoordinationStatus;
import org.dialbalance.api.Experimental;

/**
 * Decides, together with the coordinators of the other dialers of one cluster, which dialer owns each campaign
 * group. Created by a {@link CoordinatorProvider}; started once when the balancer starts and closed when it stops.
 *
 * <p>The promises a coordinator makes:
 * <ul>
 *   <li>at no moment do two dialers both see a positive {@link #fencingToken} for one group while the coordination
 *       service considers both valid: a dialer gives a group up (answers {@link GroupOwnership#NOT_OWNER}) as soon
 *       as it can no longer be sure it owns it — before any other dialer can take it over;</li>
 *   <li>the token of a group increases on every change of owner, so a server that remembers the highest token it
 *       has seen per group can refuse a request of a former owner that was sent late;</li>
 *   <li>every change of this dialer's ownership is reported to the {@link OwnershipListener}, in order, never
 *       while a lock of the balancer is held.</li>
 * </ul>
 * Thread-safe.
 */
@Experimental(reason = "new in 0.4: several dialers over one cluster; the life cycle may gain steps")
public interface Coordinator extends GroupOwnership, AutoCloseable {

    /**
     * Starts taking part: connects to the coordination service (in the background; never blocks for long) and
     * contends for the campaign groups. Until this dialer owns a group, its requests are held.
     *
     * @param listener told of every change of this dialer's ownership
     */
    void start(OwnershipListener listener);

    /**
     * Starts taking part, with a handle on the balancer: what {@link #start(OwnershipListener)} does, and whatever the
     * coordinator offers beyond ownership through the host (publishing this dialer's view of the links, applying a
     * cluster configuration shared by the dialers). The balancer calls this one; the default ignores the host and
     * calls {@link #start(OwnershipListener)}.
     *
     * @param listener told of every change of this dialer's ownership
     * @param host     the balancer this coordinator runs in
     */
    default void start(OwnershipListener listener, CoordinationHost host) {
        start(listener);
    }

    /**
     * A reconfiguration changed the campaign groups: contend for the added ones, give up the removed ones. The
     * default does nothing (the groups of the start stay the ones contended for; an added group is held with
     * {@code NOT_OWNER}).
     *
     * @param campaignGroups the names of the configured campaign groups now, in configured order
     */
    default void campaignGroupsChanged(java.util.List<String> campaignGroups) {
    }

    /** What this coordinator knows now, for {@code health()}: cheap, no I/O. */
    CoordinationStatus status();

    /** Gives every group up, leaves the coordination service and ends every thread this coordinator started. Idempotent. */
    @Override
    void close();
}
