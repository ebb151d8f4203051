package org.dialbalance.api;

import java.util.Objects;

/**
 * A change in the cluster that a host application may want to know about. Delivered to
 * {@link ClusterListener#onClusterEvent(ClusterEvent)} in the order the changes happened.
 *
 * <p><strong>New subtypes are added in minor releases</strong> (0.2 added {@link RedundancyLost},
 * {@link RedundancyRestored}, {@link DrainStarted}, {@link DrainFinished} and {@link NodeEnabled}; 0.3 added {@link ConfigurationApplied}; 0.4 added {@link OwnershipChanged}). Adding a
 * permitted subtype is an additive change here: code that handles events must keep a default branch (an
 * {@code else} after its {@code instanceof} tests, a {@code default} in a {@code switch}) and ignore or log
 * the events it does not know, rather than assume the list below is complete.
 */
@Stable(since = "0.1")
public sealed interface ClusterEvent permits ClusterEvent.NodeActivated, ClusterEvent.NodeDeactivated,
        ClusterEvent.LinkSwitched, ClusterEvent.DialingSuspended, ClusterEvent.DialingResumed,
        ClusterEvent.RedundancyLost, ClusterEvent.RedundancyRestored, ClusterEvent.DrainStarted,
        ClusterEvent.DrainFinished, ClusterEvent.NodeEnabled, ClusterEvent.ConfigurationApplied,
        ClusterEvent.OwnershipChanged {

    /** The snapshot version that includes the change. */
    long snapshotVersion();

    /**
     * A node became active: one of its links came up while both were down.
     *
     * @param snapshotVersion version that includes the change
     * @param node            the node
     * @param via             the link that now serves it
     */
    record NodeActivated(long snapshotVersion, NodeId node, LinkRole via) implements ClusterEvent {
        /** Requires every field. */
        public NodeActivated {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(via, "via");
        }
    }

    /**
     * A node became inactive: both its links are down. It is skipped until one comes back.
     *
     * @param snapshotVersion version that includes the change
     * @param node            the node
     */
    record NodeDeactivated(long snapshotVersion, NodeId node) implements ClusterEvent {
        /** Requires every field. */
        public NodeDeactivated {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * A node's serving link changed while the node stayed active, for example from primary to backup
     * when the primary link dropped.
     *
     * @param snapshotVersion version that includes the change
     * @param node            the node
     * @param from            the link that served before
     * @param to              the link that serves now
     */
    record LinkSwitched(long snapshotVersion, NodeId node, LinkRole from, LinkRole to) implements ClusterEvent {
        /** Requires every field. */
        public LinkSwitched {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * The prime node became inactive: all dialing stops, every request is held with
     * {@link HoldReason#PRIME_NODE_DOWN} until {@link DialingResumed}.
     *
     * @param snapshotVersion version that includes the change
     * @param prime           the prime node
     * @param detail          explanation
     */
    record DialingSuspended(long snapshotVersion, NodeId prime, String detail) implements ClusterEvent {
        /** Requires every field. */
        public DialingSuspended {
            Objects.requireNonNull(prime, "prime");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The prime node is active again and dialing goes on, with no action by the host application.
     *
     * @param snapshotVersion version that includes the change
     * @param prime           the prime node
     * @param via             the prime's serving link
     */
    record DialingResumed(long snapshotVersion, NodeId prime, LinkRole via) implements ClusterEvent {
        /** Requires every field. */
        public DialingResumed {
            Objects.requireNonNull(prime, "prime");
            Objects.requireNonNull(via, "via");
        }
    }

    /**
     * An active node lost one of its two links and stays active through the other: it has no redundancy
     * left, and one more loss makes it inactive. Published when the lost link was the serving one too,
     * right after the {@link LinkSwitched} of the same change. Only nodes with a backup configured publish it.
     *
     * @param snapshotVersion version that includes the change
     * @param node            the node
     * @param lost            the link that went down
     * @param reason          why it went down, as the transport reported it (may be empty)
     */
    @Experimental(reason = "new in 0.2: the fields may grow (for example the time the link was lost)")
    record RedundancyLost(long snapshotVersion, NodeId node, LinkRole lost, String reason) implements ClusterEvent {
        /** Requires every field. */
        public RedundancyLost {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(lost, "lost");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * An active node's second link came up: both its links are up again, so it survives the loss of either.
     * Also published when a node's second link first connects after start (the node became active through
     * the first one, with {@link NodeActivated}), and when a node becomes active with both links up in one
     * change (right after its {@link NodeActivated}, in the same snapshot, naming the link that does not
     * serve): each link that comes up is in exactly one {@link NodeActivated} or {@code RedundancyRestored}.
     *
     * @param snapshotVersion version that includes the change
     * @param node            the node
     * @param restored        the link that came up
     */
    @Experimental(reason = "new in 0.2: the fields may grow")
    record RedundancyRestored(long snapshotVersion, NodeId node, LinkRole restored) implements ClusterEvent {
        /** Requires every field. */
        public RedundancyRestored {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(restored, "restored");
        }
    }

    /**
     * An operator began draining a node: from this snapshot on, policies see it as inactive and route no new
     * request to it; requests awaiting replies and calls in progress on it go on.
     *
     * @param snapshotVersion version that takes the node out of the rotation
     * @param node            the node
     */
    @Experimental(reason = "new in 0.2: draining may gain a deadline")
    record DrainStarted(long snapshotVersion, NodeId node) implements ClusterEvent {
        /** Requires every field. */
        public DrainStarted {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * A draining node has nothing left in progress: no request awaits a reply from it and every call dialed
     * on it has been released (or forgotten, see {@code DialBalancer.drain}). It may be stopped now. It stays
     * out of the rotation until {@link NodeEnabled}.
     *
     * @param snapshotVersion the newest snapshot version when the drain finished (finishing changes no snapshot)
     * @param node            the node
     */
    @Experimental(reason = "new in 0.2: draining may gain a deadline")
    record DrainFinished(long snapshotVersion, NodeId node) implements ClusterEvent {
        /** Requires every field. */
        public DrainFinished {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * An operator put a drained (or draining) node back into the rotation: from this snapshot on, policies see
     * it as active again whenever one of its links is up.
     *
     * @param snapshotVersion version that puts the node back
     * @param node            the node
     */
    @Experimental(reason = "new in 0.2")
    record NodeEnabled(long snapshotVersion, NodeId node) implements ClusterEvent {
        /** Requires every field. */
        public NodeEnabled {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * A reconfiguration ({@code DialBalancer.reconfigure}) was applied: from this snapshot on, requests are routed
     * with the new configuration.
     *
     * @param snapshotVersion      the newest snapshot's version once it was applied: a new snapshot when the nodes or the
     *                             prime changed, else the one before (routing pairs each snapshot with the policies of
     *                             the configuration it belongs to)
     * @param configurationVersion the new configuration's version (1 at start, one more per applied reload)
     * @param summary              every change, {@code "; "} between them
     */
    @Experimental(reason = "new in 0.3: reconfiguration may gain changes it can apply")
    record ConfigurationApplied(long snapshotVersion, long configurationVersion, String summary) implements ClusterEvent {
        /** Requires every field. */
        public ConfigurationApplied {
            Objects.requireNonNull(summary, "summary");
        }
    }

    /**
     * This dialer took or gave up a campaign group (only with {@code coordination} configured): from now on its
     * requests of that group are dialed with the new fencing token, or held with {@link HoldReason#NOT_OWNER}.
     * Published in the order the coordinator reported the changes.
     *
     * @param snapshotVersion the version of the newest snapshot when the change was reported (ownership changes no
     *                        snapshot)
     * @param campaignGroup   the group
     * @param owned           whether this dialer owns it from now on
     * @param fencingToken    the group's new fencing token when owned (it increases on every change of owner);
     *                        negative when not owned
     * @param detail          why, for people
     * @since 0.4
     */
    @Experimental(reason = "new in 0.4: several dialers over one cluster")
    record OwnershipChanged(long snapshotVersion, String campaignGroup, boolean owned, long fencingToken, String detail)
            implements ClusterEvent {
        /** Requires every field. */
        public OwnershipChanged {
            Objects.requireNonNull(campaignGroup, "campaignGroup");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
