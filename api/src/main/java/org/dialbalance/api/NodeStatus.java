package org.dialbalance.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The link state of one node at one moment: which of its two links are up, and which one serves
 * (carries the node's requests and, for the prime, its DN registrations).
 *
 * <p>Invariant, enforced here: a node is <em>active</em> exactly when at least one link is up, and
 * then {@code serving} names a link that is up; when both are down, {@code serving} is empty.
 *
 * @param node      the node
 * @param primaryUp whether the link to the primary application is up
 * @param backupUp  whether the link to the backup application is up
 * @param serving   the link that serves the node, empty when the node is inactive
 */
@Stable(since = "0.1")
public record NodeStatus(NodeId node, boolean primaryUp, boolean backupUp, Optional<LinkRole> serving) {

    /** @throws IllegalArgumentException if {@code serving} contradicts the link flags */
    public NodeStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(serving, "serving");
        boolean anyUp = primaryUp || backupUp;
        if (anyUp != serving.isPresent()) {
            throw new IllegalArgumentException("node " + node + ": a serving link must be named exactly when a link is up"
                    + " (primaryUp=" + primaryUp + ", backupUp=" + backupUp + ", serving=" + serving + ")");
        }
        if (serving.isPresent() && !(serving.get() == LinkRole.PRIMARY ? primaryUp : backupUp)) {
            throw new IllegalArgumentException("node " + node + ": serving link " + serving.get() + " is not up");
        }
    }

    /** Both links down: the node is inactive. */
    public static NodeStatus down(NodeId node) {
        return new NodeStatus(node, false, false, Optional.empty());
    }

    /** Whether the node can take requests: at least one of its links is up. */
    public boolean isActive() {
        return serving.isPresent();
    }

    /** Whether the link of the given role is up. */
    public boolean isUp(LinkRole role) {
        return role == LinkRole.PRIMARY ? primaryUp : backupUp;
    }
}
