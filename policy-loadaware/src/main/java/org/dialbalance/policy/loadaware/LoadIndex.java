package org.dialbalance.policy.loadaware;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.policy.NodeLoadView;

/**
 * {@code least-busy}'s index over the nodes' loads per unit of weight, so that a decision costs the same on 2 nodes
 * as on 1,024: a tournament tree (a segment tree of minima) whose leaves are the nodes in configured order. A leaf is
 * <em>eligible</em> when its node is active in the last snapshot indexed and below its {@code max-calls}; each inner
 * node keeps its subtree's best eligible leaf: the least load per weight, and among equals the one whose load last
 * grew longest ago (each growth of a node's load takes the next stamp), then the leftmost. The root is the answer.
 *
 * <ul>
 *   <li><b>Kept current</b> by {@link NodeLoadView#watch}: every change of a node's load re-reads that node's load
 *       and recomputes its path to the root, O(log n) under this object's monitor; a snapshot of a new version
 *       re-reads the active set, O(n), once per version (node state changes are rare next to routes).</li>
 *   <li><b>Read without a lock</b> ({@link #least}): one read of the root, O(1), no allocation, no write. A read that
 *       races an update may see a mix of old and new counts: it still names a configured node (or none), and the
 *       policy checks it against its own snapshot, so a race costs precision, never correctness, as with the counts
 *       themselves.</li>
 *   <li><b>Ties rotate</b>: a request sent to a node grows its load, which stamps it, so among equally loaded nodes
 *       the next request goes to the one sent to least recently; dialing one request after another therefore goes
 *       round the equally loaded nodes in turn.</li>
 * </ul>
 * Loads compare by cross-multiplication in {@code long}, as in the scan it replaces: no division, no rounding.
 */
final class LoadIndex implements NodeLoadView.LoadWatcher {

    private static final int NONE = -1;

    private final Capacity capacity;
    private final int size;
    private final int leaves;
    /** Inner nodes at 1 .. leaves-1, leaves at leaves .. 2·leaves-1: the subtree's best eligible node, or NONE. */
    private final int[] tree;
    /** Each node's load when last indexed. */
    private final int[] loads;
    /** When each node's load last grew: a count of growths, 0 for never. */
    private final long[] stamps;
    /** Each node's activity in the snapshot last indexed. */
    private final boolean[] active;
    private long growths;
    /** The version of the snapshot whose active set is indexed; -1 before the first. Written under the monitor. */
    private volatile long indexedVersion = -1;
    /** The root, written last by every change under the monitor: a read of it sees the index at least that new. */
    private volatile int root = NONE;

    LoadIndex(Capacity capacity, int size) {
        this.capacity = capacity;
        this.size = size;
        this.leaves = Integer.highestOneBit(Math.max(1, size - 1)) << 1;
        this.tree = new int[2 * leaves];
        this.loads = new int[size];
        this.stamps = new long[size];
        this.active = new boolean[size];
        java.util.Arrays.fill(tree, NONE);
        for (int i = 0; i < size; i++) {
            loads[i] = capacity.load(i);
        }
    }

    @Override
    public synchronized void loadChanged(int nodeIndex) {
        if (nodeIndex < 0 || nodeIndex >= size) {
            return;
        }
        int load = capacity.load(nodeIndex);
        if (load > loads[nodeIndex]) {
            stamps[nodeIndex] = ++growths;
        }
        loads[nodeIndex] = load;
        int k = leaves + nodeIndex;
        tree[k] = eligible(nodeIndex) ? nodeIndex : NONE;
        for (k >>>= 1; k >= 1; k >>>= 1) {
            tree[k] = better(tree[2 * k], tree[2 * k + 1]);
        }
        root = tree[1];
    }

    /**
     * Makes the index follow a snapshot's active set, unless it already follows this version or a newer one.
     *
     * @return whether the index now follows this snapshot's version (false: it follows a newer one, or the snapshot is
     *         of another topology; the caller must decide without the index)
     */
    boolean follow(ClusterSnapshot snapshot) {
        long version = snapshot.version();
        if (version == indexedVersion) {
            return true;
        }
        if (snapshot.nodeCount() != size) {
            return false;
        }
        synchronized (this) {
            if (version < indexedVersion) {
                return false;
            }
            if (version > indexedVersion) {
                for (int i = 0; i < size; i++) {
                    active[i] = snapshot.isActive(i);
                    tree[leaves + i] = eligible(i) ? i : NONE;
                }
                for (int k = leaves - 1; k >= 1; k--) {
                    tree[k] = better(tree[2 * k], tree[2 * k + 1]);
                }
                root = tree[1];
                indexedVersion = version;
            }
            return true;
        }
    }

    /**
     * The eligible node with the least load per unit of weight (among equals, the one whose load grew longest ago),
     * or {@code -1} when no node is eligible (every active node is full, or none is active). O(1), lock-free,
     * allocation-free.
     */
    int least() {
        return root;
    }

    /** Of two subtree bests (the first from the left subtree), the better; see the class comment. */
    private int better(int left, int right) {
        if (left == NONE) {
            return right;
        }
        if (right == NONE) {
            return left;
        }
        long leftScaled = (long) loads[left] * capacity.weight(right);
        long rightScaled = (long) loads[right] * capacity.weight(left);
        if (leftScaled != rightScaled) {
            return leftScaled < rightScaled ? left : right;
        }
        return stamps[left] <= stamps[right] ? left : right;
    }

    private boolean eligible(int node) {
        return active[node] && !capacity.fullAt(node, loads[node]);
    }
}
