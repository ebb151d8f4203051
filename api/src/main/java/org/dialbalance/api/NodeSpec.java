package org.dialbalance.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The configured shape of one SIP Cluster node: its id, a name for people, the endpoint of its
 * primary server application and, optionally, of its backup.
 *
 * @param id      DBID of the primary server application
 * @param name    a human-readable name, never blank (defaults to {@code node-<dbid>} in configuration)
 * @param primary endpoint of the primary application
 * @param backup  endpoint of the backup application, if the node has one
 */
@Stable(since = "0.1")
public record NodeSpec(NodeId id, String name, Endpoint primary, Optional<Endpoint> backup) {

    /** @throws IllegalArgumentException on a blank name */
    public NodeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(backup, "backup");
        if (name.isBlank()) {
            throw new IllegalArgumentException("node " + id + " needs a non-blank name");
        }
    }

    /** A node without a backup application. */
    public static NodeSpec of(NodeId id, String name, Endpoint primary) {
        return new NodeSpec(id, name, primary, Optional.empty());
    }

    /** A node with a primary and a backup application. */
    public static NodeSpec of(NodeId id, String name, Endpoint primary, Endpoint backup) {
        return new NodeSpec(id, name, primary, Optional.of(backup));
    }

    /** The endpoint for a role; empty for {@link LinkRole#BACKUP} when the node has no backup. */
    public Optional<Endpoint> endpoint(LinkRole role) {
        return role == LinkRole.PRIMARY ? Optional.of(primary) : backup;
    }
}
