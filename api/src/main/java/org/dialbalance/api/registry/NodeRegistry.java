package org.dialbalance.api.registry;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.Stable;

/**
 * Holds the current {@link ClusterSnapshot} and turns node status changes into new snapshots.
 *
 * <p>Thread-safe. {@link #snapshot()} is called on every dial request and must be a cheap read that
 * never blocks. {@link #update(NodeStatus)} is called by the framework's node connections whenever a
 * link goes up or down; updates of one registry are applied atomically and in a single total order,
 * and every snapshot's version is one more than its predecessor's.
 *
 * <p>Since 0.2 a registry may also hold which nodes an operator is draining
 * ({@link #updateDraining(NodeId, boolean)}); one that does not refuses {@code DialBalancer.drain}.
 */
@Stable(since = "0.1")
public interface NodeRegistry {

    /** The newest snapshot. */
    ClusterSnapshot snapshot();

    /**
     * Applies one node's new status.
     *
     * @param status the node's status now
     * @return the snapshot that includes it (the current one, unchanged, if nothing changed)
     */
    ClusterSnapshot update(NodeStatus status);

    /**
     * Marks a node as draining (out of the rotation) or not, in the same total order as
     * {@link #update(NodeStatus)}: the result is {@link ClusterSnapshot#withDraining(NodeId, boolean)} applied
     * to the newest snapshot. The default refuses, for registries written before 0.2.
     *
     * @param node     the node
     * @param draining whether it is draining from now on
     * @return the snapshot that includes it (the current one, unchanged, if nothing changed)
     * @throws UnsupportedOperationException if this registry cannot hold draining nodes
     * @throws IllegalArgumentException      as {@link ClusterSnapshot#withDraining(NodeId, boolean)}
     * @since 0.2
     */
    default ClusterSnapshot updateDraining(NodeId node, boolean draining) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot mark nodes as draining");
    }

    /**
     * Replaces the cluster's topology after a reconfiguration, in the same total order as
     * {@link #update(NodeStatus)}: the result is {@link ClusterSnapshot#withTopology(ClusterTopology)} applied to the
     * newest snapshot. The default refuses, for registries written before 0.3; {@code DialBalancer.reconfigure} then
     * refuses a reload that changes the nodes or the prime.
     *
     * @param topology the new nodes, in configured order, and prime
     * @return the snapshot that includes it
     * @throws UnsupportedOperationException if this registry cannot change its topology
     * @since 0.3
     */
    default ClusterSnapshot replaceTopology(ClusterTopology topology) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot change its topology");
    }
}
