package org.dialbalance.policy.loadaware;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.NodeLoadView;

/**
 * Least-busy, for campaign groups in regular modes: each request goes to the active node with the smallest load per
 * unit of weight, the load being calls in progress plus requests awaiting replies ({@code NodeLoadView.load}).
 * Consequences:
 * <ul>
 *   <li>at decision time the chosen node's {@code load / weight} is the least of all active nodes that have room:
 *       so it never exceeds the least-loaded node's by one call per unit of weight, or by anything;</li>
 *   <li>ties are broken by rotation, not by lowest index: among equally loaded nodes the request goes to the one
 *       sent a request least recently (with the balancer's view; see below), so idle nodes are used in turn rather
 *       than the first node taking all;</li>
 *   <li>long calls and slow nodes are absorbed: a node whose calls last longer has more in progress and gets fewer
 *       new requests;</li>
 *   <li>a node that has its {@code max-calls} in progress gets nothing new; when every active node is full the
 *       request is held with {@code CLUSTER_AT_CAPACITY}.</li>
 * </ul>
 * Prime inactive ⇒ {@code PRIME_NODE_DOWN}; seizing groups ⇒ {@code UNSUPPORTED_MODE}.
 *
 * <p>Two ways to decide, which both choose a node of the least load per weight:
 * <ul>
 *   <li>with a view that reports load changes ({@link NodeLoadView#watch}, as the balancer's does) the policy keeps a
 *       {@link LoadIndex}: a decision reads its root, O(1), lock-free, allocation-free and without a write, so its
 *       cost is the same on 2 nodes as on 1,024; each change of a node's load pays O(log n) to keep the index, on the
 *       thread that changed it. Ties go to the node whose load grew least recently: the one sent a request longest
 *       ago;</li>
 *   <li>with a view that does not report changes, each decision reads every node's counts, O(n), lock-free and
 *       allocation-free; ties go to the first equally loaded node at or after the one past the last node chosen, in
 *       configured order, wrapping round.</li>
 * </ul>
 * Loads compare by cross-multiplication in {@code long}, so no division and no rounding. The counts are live: two
 * concurrent routes may both see a node as the least busy and both choose it; the dispatcher's own count keeps
 * {@code max-calls} exact regardless.
 */
final class LeastBusyPolicy implements BalancingPolicy {

    private final Capacity capacity;
    /** The index, or {@code null} when the view does not report load changes. */
    private final LoadIndex index;
    /** Without the index: where the next tie-break starts, in configured order, one past the last node chosen. */
    private volatile int rotation;

    LeastBusyPolicy(Capacity capacity, int size) {
        this.capacity = capacity;
        LoadIndex candidate = new LoadIndex(capacity, size);
        this.index = capacity.view().watch(candidate) ? candidate : null;
    }

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        Route unsupported = Capacity.unsupported(request, LeastBusyPolicyProvider.NAME);
        if (unsupported != null) {
            return unsupported;
        }
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        if (index != null && index.follow(snapshot)) {
            int best = index.least();
            if (best >= 0 && snapshot.isActive(best)) {
                return snapshot.topology().routeTo(best);
            }
        }
        // no index, an index that follows a newer snapshot, or nothing eligible in it: read every node to be sure
        int count = snapshot.nodeCount();
        int from = rotation;
        int best = scan(snapshot, from < count ? from : 0);
        if (best < 0) {
            return Capacity.atCapacity(snapshot);
        }
        rotation = best + 1 == count ? 0 : best + 1;
        return snapshot.topology().routeTo(best);
    }

    /** The least busy node by reading every node's counts: the first at or after {@code from} on ties; -1 if all full. */
    private int scan(ClusterSnapshot snapshot, int from) {
        int count = snapshot.nodeCount();
        int best = -1;
        long bestLoad = 0;
        long bestWeight = 1;
        for (int scanned = 0, node = from; scanned < count; scanned++, node = node + 1 == count ? 0 : node + 1) {
            if (!snapshot.isActive(node) || capacity.full(node)) {
                continue;
            }
            long load = capacity.load(node);
            long weight = capacity.weight(node);
            if (best < 0 || load * bestWeight < bestLoad * weight) {
                best = node;
                bestLoad = load;
                bestWeight = weight;
            }
        }
        return best;
    }
}
