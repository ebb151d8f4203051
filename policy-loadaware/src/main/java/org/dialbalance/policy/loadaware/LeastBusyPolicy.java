package org.dialbalance.policy.loadaware;

import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;

/**
 * Least-busy, for campaign groups in regular modes: each request goes to the active node with the smallest load per
 * unit of weight, the load being calls in progress plus requests awaiting replies ({@code NodeLoadView.load}).
 * Consequences:
 * <ul>
 *   <li>at decision time the chosen node's {@code load / weight} is the least of all active nodes that have room:
 *       so it never exceeds the least-loaded node's by one call per unit of weight, or by anything;</li>
 *   <li>ties are broken by rotation: the scan starts one active node further on each request, so idle nodes (and
 *       a burst routed before any count moves) are used in turn rather than the first node taking all;</li>
 *   <li>long calls and slow nodes are absorbed: a node whose calls last longer has more in progress and gets fewer
 *       new requests;</li>
 *   <li>a node that has its {@code max-calls} in progress gets nothing new; when every active node is full the
 *       request is held with {@code CLUSTER_AT_CAPACITY}.</li>
 * </ul>
 * Prime inactive ⇒ {@code PRIME_NODE_DOWN}; seizing groups ⇒ {@code UNSUPPORTED_MODE}.
 *
 * <p>Thread-safe, lock-free and allocation-free: one atomic increment for the rotation and one read of each active
 * node's counts (no lock, no allocation, see {@code NodeLoadView}). Loads compare by cross-multiplication in
 * {@code long}, so no division and no rounding. The counts are live: two concurrent routes may both see a node as
 * the least busy and both choose it; the dispatcher's own count keeps {@code max-calls} exact regardless.
 */
final class LeastBusyPolicy implements BalancingPolicy {

    private final Capacity capacity;
    private final AtomicInteger rotation = new AtomicInteger();

    LeastBusyPolicy(Capacity capacity) {
        this.capacity = capacity;
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
        int count = snapshot.activeCount();
        int n = Integer.remainderUnsigned(rotation.getAndIncrement(), count);
        int best = -1;
        long bestLoad = 0;
        long bestWeight = 1;
        for (int scanned = 0; scanned < count; scanned++) {
            int node = snapshot.activeIndex(n);
            n = n + 1 == count ? 0 : n + 1;
            if (capacity.full(node)) {
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
        return best < 0 ? Capacity.atCapacity(snapshot) : snapshot.topology().routeTo(best);
    }
}
