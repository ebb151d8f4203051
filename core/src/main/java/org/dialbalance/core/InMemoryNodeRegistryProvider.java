package org.dialbalance.core;

import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.registry.NodeRegistry;
import org.dialbalance.api.registry.NodeRegistryProvider;

/** Provides the {@code in-memory} node registry: the snapshot lives in this process only. */
public final class InMemoryNodeRegistryProvider implements NodeRegistryProvider {

    /** The name {@code node-registry} selects. */
    public static final String NAME = "in-memory";

    /** Used by {@link java.util.ServiceLoader}. */
    public InMemoryNodeRegistryProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeRegistry create(ClusterTopology topology) {
        return new InMemoryNodeRegistry(topology);
    }
}
