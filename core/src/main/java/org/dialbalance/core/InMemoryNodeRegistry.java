package org.dialbalance.core;

import java.util.concurrent.atomic.AtomicReference;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.registry.NodeRegistry;

/** The default registry: the current snapshot in one atomic reference, replaced on each change. */
final class InMemoryNodeRegistry implements NodeRegistry {

    private final AtomicReference<ClusterSnapshot> current;

    InMemoryNodeRegistry(ClusterTopology topology) {
        this.current = new AtomicReference<>(ClusterSnapshot.initial(topology));
    }

    @Override
    public ClusterSnapshot snapshot() {
        return current.get();
    }

    @Override
    public ClusterSnapshot update(NodeStatus status) {
        return current.updateAndGet(snapshot -> snapshot.with(status));
    }

    @Override
    public ClusterSnapshot updateDraining(NodeId node, boolean draining) {
        return current.updateAndGet(snapshot -> snapshot.withDraining(node, draining));
    }

    @Override
    public ClusterSnapshot replaceTopology(ClusterTopology topology) {
        return current.updateAndGet(snapshot -> snapshot.withTopology(topology));
    }
}
