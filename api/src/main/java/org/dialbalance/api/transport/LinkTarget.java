package org.dialbalance.api.transport;

import java.util.Objects;

import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Stable;

/**
 * What one link connects to: a node's primary or backup application at an endpoint.
 *
 * @param node     the node
 * @param role     primary or backup
 * @param endpoint where that application listens
 */
@Stable(since = "0.1")
public record LinkTarget(NodeId node, LinkRole role, Endpoint endpoint) {
    /** Requires every field. */
    public LinkTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** {@code node 101 primary at host:port (TCport)}. */
    @Override
    public String toString() {
        return "node " + node + " " + role.name().toLowerCase(java.util.Locale.ROOT) + " at " + endpoint;
    }
}
