package org.dialbalance.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable view of the cluster at one moment: the topology, each node's {@link NodeStatus},
 * and a version that grows by one with every change.
 *
 * <p>Snapshots are what policies route on. Every accessor is O(1) and allocation-free, so a policy
 * can read a snapshot on its hot path; a snapshot never changes after construction, so it can be
 * shared between threads freely. A change produces a new snapshot through {@link #with(NodeStatus)}.
 *
 * <p><strong>Active</strong> means <em>eligible for new requests</em>: a node is active when one of its links
 * serves it ({@link NodeStatus#isActive()}) and an operator is not draining it ({@link #isDraining(NodeId)},
 * since 0.2). {@link #isActive}, {@link #activeNodes()}, {@link #activeCount()} and {@link #activeIndex(int)}
 * all follow that rule, so a policy that routes to active nodes never picks a draining one, while
 * {@link #status(NodeId)} and {@link #servingLink(NodeId)} keep telling the links' truth of every node,
 * draining or not. The prime can never be draining.
 */
@Stable(since = "0.1")
public final class ClusterSnapshot {

    private final long version;
    private final ClusterTopology topology;
    private final NodeStatus[] statuses;
    // shared between snapshots that differ in link states only; never written after construction
    private final boolean[] draining;
    private final List<NodeId> activeNodes;
    private final int[] activeIndexes;
    // isActive and isPrimeActive are on every request's path: one array read instead of three dependent
    // reads (status, its Optional, its value); see benchmarks/RouteCost
    private final boolean[] activeFlags;
    private final boolean primeActive;

    private ClusterSnapshot(long version, ClusterTopology topology, NodeStatus[] statuses, boolean[] draining) {
        this.version = version;
        this.topology = topology;
        this.statuses = statuses;
        this.draining = draining;
        List<NodeId> active = new ArrayList<>();
        int[] indexes = new int[statuses.length];
        boolean[] flags = new boolean[statuses.length];
        int count = 0;
        for (int i = 0; i < statuses.length; i++) {
            if (statuses[i].isActive() && !draining[i]) {
                active.add(statuses[i].node());
                indexes[count++] = i;
                flags[i] = true;
            }
        }
        this.activeNodes = Collections.unmodifiableList(active);
        this.activeIndexes = Arrays.copyOf(indexes, count);
        this.activeFlags = flags;
        this.primeActive = flags[topology.primeIndex()];
    }

    /** Version 0 of a cluster: every node inactive, as before any link has connected. */
    public static ClusterSnapshot initial(ClusterTopology topology) {
        Objects.requireNonNull(topology, "topology");
        NodeStatus[] statuses = new NodeStatus[topology.size()];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = NodeStatus.down(topology.node(i).id());
        }
        return new ClusterSnapshot(0, topology, statuses, new boolean[statuses.length]);
    }

    /**
     * A snapshot with one node's status replaced and the version increased by one, or this very
     * snapshot if the status is unchanged.
     *
     * @throws IllegalArgumentException if the node is not part of the topology, or the status
     *                                  claims a backup link is up on a node that has no backup
     */
    public ClusterSnapshot with(NodeStatus status) {
        Objects.requireNonNull(status, "status");
        int index = topology.indexOf(status.node());
        if (index < 0) {
            throw new IllegalArgumentException("node " + status.node() + " is not part of " + topology);
        }
        if (status.backupUp() && topology.node(index).backup().isEmpty()) {
            throw new IllegalArgumentException("node " + status.node() + " has no backup, so its backup link cannot be up");
        }
        if (statuses[index].equals(status)) {
            return this;
        }
        NodeStatus[] next = statuses.clone();
        next[index] = status;
        return new ClusterSnapshot(version + 1, topology, next, draining);
    }

    /**
     * A snapshot in which a node is draining (out of the rotation: not active, whatever its links) or not,
     * with the version increased by one, or this very snapshot if that is already so. Link states are kept.
     *
     * @throws IllegalArgumentException if the node is not part of the topology, or is the prime and
     *                                  {@code draining} is true (the prime carries the DN-level events)
     * @since 0.2
     */
    public ClusterSnapshot withDraining(NodeId node, boolean value) {
        Objects.requireNonNull(node, "node");
        int index = topology.indexOf(node);
        if (index < 0) {
            throw new IllegalArgumentException("node " + node + " is not part of " + topology);
        }
        if (value && index == topology.primeIndex()) {
            throw new IllegalArgumentException("node " + node + " is the prime node and cannot be drained: it carries the"
                    + " DN-level events");
        }
        if (draining[index] == value) {
            return this;
        }
        boolean[] next = draining.clone();
        next[index] = value;
        return new ClusterSnapshot(version + 1, topology, statuses, next);
    }

    /**
     * A snapshot of a reconfigured cluster, with the version increased by one: the nodes and prime of
     * {@code newTopology}. A node keeps its status when the new topology has a node of the same DBID with the same
     * primary and backup endpoints (its links were kept); any other node starts inactive, as before its links
     * connect. A node keeps its draining flag when the new topology still has its DBID. Nodes that are not in the new
     * topology are gone from the result.
     *
     * @throws IllegalArgumentException if the new prime is draining here (the prime carries the DN-level events)
     * @since 0.3
     */
    public ClusterSnapshot withTopology(ClusterTopology newTopology) {
        Objects.requireNonNull(newTopology, "newTopology");
        NodeStatus[] next = new NodeStatus[newTopology.size()];
        boolean[] nextDraining = new boolean[newTopology.size()];
        for (int i = 0; i < next.length; i++) {
            NodeSpec spec = newTopology.node(i);
            int old = topology.indexOf(spec.id());
            boolean sameLinks = old >= 0 && topology.node(old).primary().equals(spec.primary())
                    && topology.node(old).backup().equals(spec.backup());
            next[i] = sameLinks ? statuses[old] : NodeStatus.down(spec.id());
            nextDraining[i] = old >= 0 && draining[old];
        }
        if (nextDraining[newTopology.primeIndex()]) {
            throw new IllegalArgumentException("node " + newTopology.prime() + " is draining and cannot become the prime node:"
                    + " it carries the DN-level events");
        }
        return new ClusterSnapshot(version + 1, newTopology, next, nextDraining);
    }

    /** Grows by one with each change; two snapshots of one registry with equal versions are equal. */
    public long version() {
        return version;
    }

    /** The configured nodes and prime. */
    public ClusterTopology topology() {
        return topology;
    }

    /** The prime node. */
    public NodeId prime() {
        return topology.prime();
    }

    /** Whether the prime node is active; when it is not, no dialing may happen at all. */
    public boolean isPrimeActive() {
        return primeActive;
    }

    /** How many nodes are configured, active or not. */
    public int nodeCount() {
        return statuses.length;
    }

    /** Status of the node at a position in configured order. */
    public NodeStatus status(int index) {
        return statuses[index];
    }

    /**
     * Status of a node.
     *
     * @throws IllegalArgumentException if the node is not configured
     */
    public NodeStatus status(NodeId node) {
        int index = topology.indexOf(node);
        if (index < 0) {
            throw new IllegalArgumentException("node " + node + " is not part of " + topology);
        }
        return statuses[index];
    }

    /**
     * Whether an operator is draining the node at a position in configured order (it is then not active).
     *
     * @since 0.2
     */
    public boolean isDraining(int index) {
        return draining[index];
    }

    /**
     * Whether an operator is draining a node (it is then not active); {@code false} for an unknown node.
     *
     * @since 0.2
     */
    public boolean isDraining(NodeId node) {
        int index = topology.indexOf(node);
        return index >= 0 && draining[index];
    }

    /** Whether the node at a position in configured order is active: a link serves it and it is not draining. */
    public boolean isActive(int index) {
        return activeFlags[index];
    }

    /** Whether a node is configured and active (a link serves it, not draining); {@code false} for an unknown node. */
    public boolean isActive(NodeId node) {
        int index = topology.indexOf(node);
        return index >= 0 && activeFlags[index];
    }

    /** The link that serves a node, empty if both its links are down or the node is unknown (draining or not). */
    public Optional<LinkRole> servingLink(NodeId node) {
        int index = topology.indexOf(node);
        return index < 0 ? Optional.empty() : statuses[index].serving();
    }

    /** The active nodes (a link serves them, not draining), in configured order. */
    public List<NodeId> activeNodes() {
        return activeNodes;
    }

    /** How many nodes are active. */
    public int activeCount() {
        return activeIndexes.length;
    }

    /**
     * Position in configured order of the {@code n}-th active node ({@code 0 <= n < activeCount()}),
     * for allocation-free iteration over active nodes.
     */
    public int activeIndex(int n) {
        return activeIndexes[n];
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ClusterSnapshot[v").append(version).append(", prime=")
                .append(topology.prime()).append(", nodes=");
        for (int i = 0; i < statuses.length; i++) {
            NodeStatus status = statuses[i];
            text.append(i == 0 ? "" : " ").append(status.node()).append(':')
                    .append(status.serving().map(role -> role == LinkRole.PRIMARY ? "P" : "B").orElse("-"))
                    .append(draining[i] ? "(draining)" : "");
        }
        return text.append(']').toString();
    }
}
