package org.dialbalance.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator (or a readiness probe) needs to know about a running balancer at one moment: one overall
 * {@link Status} with the reason for it, the prime, and the state of every node. Immutable.
 *
 * <p>The overall status follows one rule, checked in this order:
 * <ol>
 *   <li>{@link Status#DOWN} when the balancer is not running, or the prime node has no link up: nothing can
 *       be dialed (every request fails with {@code NOT_RUNNING} or is held with {@code PRIME_NODE_DOWN}).</li>
 *   <li>{@link Status#DEGRADED} when dialing goes on with less than the whole cluster: a node has no link up,
 *       a node with a configured backup has one of its two links down (no redundancy), or a node is draining
 *       (drain finished or not), or (with {@code coordination} configured) the coordination service is out of reach,
 *       so this dialer owns no campaign group and holds every request with {@code NOT_OWNER}.</li>
 *   <li>{@link Status#UP} otherwise: every node active with every configured link up, none draining.</li>
 * </ol>
 * For a readiness probe, {@link #isReady()} (not {@code DOWN}) says whether requests can be dialed at all;
 * {@code DEGRADED} is worth an alert, not a restart.
 *
 * <p>The link states and draining flags come from one snapshot ({@link #snapshotVersion()}); the counts of
 * requests and calls are read at about the same moment, node by node, and may be a step apart from it.
 *
 * @param status          the overall status
 * @param reason          why: for {@code UP} a short confirmation, otherwise every problem found, separated by
 *                        {@code "; "} (never empty)
 * @param snapshotVersion the version of the snapshot the link states were taken from
 * @param prime           the prime node
 * @param nodes           every configured node, in configured order
 * @param coordination    the coordinator's state (which campaign groups this dialer owns, with their fencing tokens),
 *                        empty without {@code coordination} (since 0.4)
 */
@Experimental(reason = "new in 0.2: fields may be added (metrics, weights, reconfiguration state)")
public record ClusterHealth(Status status, String reason, long snapshotVersion, NodeId prime, List<NodeHealth> nodes,
                            Optional<CoordinationStatus> coordination) {

    /** The overall status of the balancer. */
    public enum Status {
        /** Every node active, every configured link up, none draining. */
        UP,
        /** Dialing goes on, with less than the whole cluster: see the reason. */
        DEGRADED,
        /** Nothing can be dialed: not running, or the prime node has no link up. */
        DOWN
    }

    /** Requires every field; copies the node list. */
    public ClusterHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(prime, "prime");
        Objects.requireNonNull(coordination, "coordination");
        nodes = List.copyOf(nodes);
    }

    /** The health of a balancer without coordination (as before 0.4). */
    public ClusterHealth(Status status, String reason, long snapshotVersion, NodeId prime, List<NodeHealth> nodes) {
        this(status, reason, snapshotVersion, prime, nodes, Optional.empty());
    }

    /** Whether requests can be dialed: the status is not {@link Status#DOWN}. The answer for a readiness probe. */
    public boolean isReady() {
        return status != Status.DOWN;
    }

    /** The health of one node, or empty if it is not configured. */
    public Optional<NodeHealth> node(NodeId node) {
        for (NodeHealth health : nodes) {
            if (health.node().equals(node)) {
                return Optional.of(health);
            }
        }
        return Optional.empty();
    }

    /**
     * The state of one node.
     *
     * @param node                  the node
     * @param name                  its configured name
     * @param active                whether one of its links is up (its links' truth: a draining node with a link up is
     *                              active here, though policies do not route to it)
     * @param serving               the link that serves it, empty when both are down
     * @param primary               its primary link
     * @param backup                its backup link, empty when no backup is configured
     * @param requestsAwaitingReply requests sent to it that have no outcome yet
     * @param callsInProgress       calls dialed on it whose EventReleased has not come yet (bounded by
     *                              {@code max-calls-in-progress})
     * @param draining              whether an operator is draining it (out of the rotation), until it is enabled again
     * @param drained               whether its drain has finished: draining, and nothing left in progress
     */
    @Experimental(reason = "new in 0.2: fields may be added")
    public record NodeHealth(NodeId node, String name, boolean active, Optional<LinkRole> serving, LinkHealth primary,
                             Optional<LinkHealth> backup, int requestsAwaitingReply, int callsInProgress, boolean draining,
                             boolean drained) {

        /** Requires every field. */
        public NodeHealth {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(serving, "serving");
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(backup, "backup");
        }

        /** Whether every configured link of the node is up: it survives the loss of one. */
        public boolean redundant() {
            return primary.up() && backup.map(LinkHealth::up).orElse(true);
        }
    }

    /**
     * The state of one link.
     *
     * @param role      primary or backup
     * @param up        whether it is up (a backup that waits at start for its primary's first attempt counts as down)
     * @param lastError why it last went down or last failed to connect, as the transport said; kept after it comes
     *                  back up; empty if it never failed
     */
    @Experimental(reason = "new in 0.2: fields may be added (for example since when the link is up or down)")
    public record LinkHealth(LinkRole role, boolean up, String lastError) {

        /** Requires every field. */
        public LinkHealth {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(lastError, "lastError");
        }
    }
}
