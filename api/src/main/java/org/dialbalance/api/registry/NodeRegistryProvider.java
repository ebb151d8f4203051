package org.dialbalance.api.registry;

import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.ExtensionProvider;
import org.dialbalance.api.Stable;

/**
 * Creates a {@link NodeRegistry}. The built-in provider {@code in-memory} keeps the snapshot in this
 * process; another provider could share node state between two balancer instances.
 */
@Stable(since = "0.1")
public interface NodeRegistryProvider extends ExtensionProvider {

    /**
     * Creates a registry whose first snapshot shows every node of the topology inactive.
     *
     * @param topology the configured cluster
     */
    NodeRegistry create(ClusterTopology topology);
}
