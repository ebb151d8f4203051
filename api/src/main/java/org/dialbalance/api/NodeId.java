package org.dialbalance.api;

/**
 * Identity of a SIP Cluster node: the DBID of the node's <em>primary</em> SIP Server application,
 * exactly as the outbound server's configuration names it (for example in
 * {@code sip-cluster-prime-node} and {@code sip-cluster-asm-dial-node}).
 *
 * <p>A DBID is a positive integer. Two ids are equal when their DBIDs are equal.
 *
 * @param dbid the configuration DBID of the node's primary server application, {@code > 0}
 */
@Stable(since = "0.1")
public record NodeId(int dbid) implements Comparable<NodeId> {

    /** @throws IllegalArgumentException if {@code dbid} is not positive */
    public NodeId {
        if (dbid <= 0) {
            throw new IllegalArgumentException("a node DBID must be a positive integer, got " + dbid);
        }
    }

    /** Same as {@code new NodeId(dbid)}. */
    public static NodeId of(int dbid) {
        return new NodeId(dbid);
    }

    @Override
    public int compareTo(NodeId other) {
        return Integer.compare(dbid, other.dbid);
    }

    /** The DBID alone, as it appears in configuration, for example {@code 101}. */
    @Override
    public String toString() {
        return Integer.toString(dbid);
    }
}
