package org.dialbalance.api;

import java.util.Objects;

/**
 * A change in the cluster that a host application may want to know about. Delivered to
 * {@link ClusterListener#onClusterEvent(ClusterEvent)} in the order the changes happened.
 */
@Stable(since = "0.1")
public sealed interface ClusterEvent permits ClusterEvent.NodeActivated, ClusterEvent.NodeDeactivated,
        ClusterEvent.LinkSwitched, ClusterEvent.DialingSuspended, ClusterEvent.DialingResumed {

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
}
