package org.dialbalance.api.registry;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.Stable;

/**
 * Holds the current {@link ClusterSnapshot} and turns node status changes into new snapshots.
 *
 * <p>Thread-safe. {@link #snapshot()} is called on every dial request and must be a cheap read that
 * never blocks. {@link #update(NodeStatus)} is called by the framework's node connections whenever a
 * link goes up or down; updates of one registry are applied atomically and in a single total order,
 * and every snapshot's version is one more than its predecessor's.
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
}
