package org.dialbalance.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The configured cluster: its nodes in configured order (the round-robin order) and which one is
 * the prime node. Immutable and validated on construction; lookups by id or position are O(1)
 * and allocate nothing.
 */
@Stable(since = "0.1")
public final class ClusterTopology {

    private final List<NodeSpec> nodes;
    private final NodeId prime;
    private final int primeIndex;
    private final Map<NodeId, Integer> indexById;
    private final Route.To[] routes;

    /**
     * @param nodes the nodes in configured order; at least one, DBIDs unique
     * @param prime the prime node, one of {@code nodes}
     * @throws IllegalArgumentException if the list is empty, has duplicate DBIDs, or lacks the prime
     */
    public ClusterTopology(List<NodeSpec> nodes, NodeId prime) {
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(prime, "prime");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one node");
        }
        this.nodes = List.copyOf(nodes);
        Map<NodeId, Integer> index = new HashMap<>();
        List<Route.To> routeList = new ArrayList<>(nodes.size());
        for (int i = 0; i < this.nodes.size(); i++) {
            NodeId id = this.nodes.get(i).id();
            if (index.putIfAbsent(id, i) != null) {
                throw new IllegalArgumentException("node DBID " + id + " appears more than once");
            }
            routeList.add(new Route.To(id));
        }
        Integer primePosition = index.get(prime);
        if (primePosition == null) {
            throw new IllegalArgumentException("prime node " + prime + " is not among the nodes " + index.keySet());
        }
        this.prime = prime;
        this.primeIndex = primePosition;
        this.indexById = Map.copyOf(index);
        this.routes = routeList.toArray(new Route.To[0]);
    }

    /** The nodes in configured order. */
    public List<NodeSpec> nodes() {
        return nodes;
    }

    /** How many nodes are configured. */
    public int size() {
        return nodes.size();
    }

    /** The prime node: the one that carries DN-level events. */
    public NodeId prime() {
        return prime;
    }

    /** Position of the prime node in configured order. */
    public int primeIndex() {
        return primeIndex;
    }

    /** The node at a position in configured order. */
    public NodeSpec node(int index) {
        return nodes.get(index);
    }

    /** Position of a node in configured order, or {@code -1} if it is not configured. */
    public int indexOf(NodeId id) {
        Integer index = indexById.get(id);
        return index == null ? -1 : index;
    }

    /** Whether a node with this id is configured. */
    public boolean contains(NodeId id) {
        return indexById.containsKey(id);
    }

    /**
     * A shared, preallocated {@link Route.To} for the node at {@code index}, so policies can route
     * without allocating.
     */
    public Route.To routeTo(int index) {
        return routes[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterTopology that && nodes.equals(that.nodes) && prime.equals(that.prime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodes, prime);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ClusterTopology[prime=").append(prime).append(", nodes=");
        for (int i = 0; i < nodes.size(); i++) {
            text.append(i == 0 ? "" : ",").append(nodes.get(i).id());
        }
        return text.append(']').toString();
    }
}
