package org.dialbalance.policy.loadaware;

import java.util.concurrent.atomic.AtomicLong;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.SlowStart;

/**
 * Smooth weighted round-robin (nginx's rule) over the active nodes, for campaign groups in regular modes: each node
 * gets a share of requests proportional to its {@code weight}, spread out rather than in bursts (weights 5, 1, 1 give
 * {@code a a b a c a a}, not {@code a a a a a b c}). Consequences:
 * <ul>
 *   <li>over any run of requests on an unchanged active set, each node's count is within one of its weighted share
 *       ({@code n × weight / total weight}): the rotation restarts when the active set changes, so each such run
 *       is a prefix of the smooth sequence, which has that property;</li>
 *   <li>a node that leaves is skipped from the next request; its share spreads over the rest in proportion to their
 *       weights; a node that comes back is used from the next request;</li>
 *   <li>with every weight 1 this is a rotation in configured order that restarts on a membership change; it is
 *       <em>not</em> plain round-robin's rule (no reset), so {@code round-robin} stays the default;</li>
 *   <li>a node that has its {@code max-calls} in progress is passed over (its turn goes to the next node of the
 *       sequence that has room), and when every active node is full the request is held with
 *       {@code CLUSTER_AT_CAPACITY}. Skipping full nodes bends the shares, on purpose.</li>
 * </ul>
 * With {@code slow-start} configured ({@link SlowStart}), a node that becomes active again takes only part of its
 * turns while it ramps; a turn it does not take goes, like a full node's, to the next node of the sequence (if no
 * other node can take it, the ramping node does). Off by default.
 * Prime inactive ⇒ {@code PRIME_NODE_DOWN}; seizing groups ⇒ {@code UNSUPPORTED_MODE}.
 *
 * <p>Thread-safe and lock-free. The sequence of one active set (its length is the sum of the active weights, at
 * most 1000 per node) is computed once, when a request first meets that set, and replaces the previous one; after
 * that a route is one reference compare (the snapshot last found to have that active set), one atomic increment and
 * an array read, allocation-free, whatever the node count. Two threads meeting a new active set at
 * once may each compute it; one wins, and the other's requests still go to nodes active in their own snapshot.
 * Loads are read only when some node has a cap.
 */
final class WeightedRoundRobinPolicy implements BalancingPolicy {

    private final Capacity capacity;
    /** {@code null} when slow start is off. */
    private final SlowStart slowStart;
    private volatile Sequence sequence = Sequence.EMPTY;

    WeightedRoundRobinPolicy(Capacity capacity, SlowStart slowStart) {
        this.capacity = capacity;
        this.slowStart = slowStart;
    }

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        Route unsupported = Capacity.unsupported(request, WeightedRoundRobinPolicyProvider.NAME);
        if (unsupported != null) {
            return unsupported;
        }
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        Sequence current = sequence;
        if (!current.isFor(snapshot)) {
            current = Sequence.of(snapshot, capacity);
            sequence = current;
        }
        int length = current.order.length;
        int position = (int) (current.next.getAndIncrement() % length);
        if (!capacity.anyCap() && slowStart == null) {
            return snapshot.topology().routeTo(current.order[position]);
        }
        int passedOver = -1;            // the first node with room that was ramping and let its turn go
        for (int tried = 0; tried < length; tried++) {
            int node = current.order[position];
            if (!capacity.full(node)) {
                if (slowStart == null || slowStart.admit(snapshot, node)) {
                    return snapshot.topology().routeTo(node);
                }
                if (passedOver < 0) {
                    passedOver = node;
                }
            }
            position = position + 1 == length ? 0 : position + 1;
        }
        return passedOver >= 0 ? snapshot.topology().routeTo(passedOver) : Capacity.atCapacity(snapshot);
    }

    /** The smooth weighted sequence of one active set, and the position of the next request in it. */
    static final class Sequence {
        static final Sequence EMPTY = new Sequence(new int[0], new int[0]);

        final int[] active;
        final int[] order;
        final AtomicLong next = new AtomicLong();
        /** The last snapshot found to have this active set: a later route on the same snapshot skips the comparison. */
        private volatile ClusterSnapshot lastSeen;

        private Sequence(int[] active, int[] order) {
            this.active = active;
            this.order = order;
        }

        boolean isFor(ClusterSnapshot snapshot) {
            if (snapshot == lastSeen) {
                return true;            // the common path: one reference compare, whatever the node count
            }
            if (!sameActiveSet(snapshot)) {
                return false;
            }
            lastSeen = snapshot;
            return true;
        }

        private boolean sameActiveSet(ClusterSnapshot snapshot) {
            if (snapshot.activeCount() != active.length) {
                return false;
            }
            for (int n = 0; n < active.length; n++) {
                if (snapshot.activeIndex(n) != active[n]) {
                    return false;
                }
            }
            return true;
        }

        /** nginx's smooth weighted round-robin, run for one full cycle: ties go to the earlier node in configured order. */
        static Sequence of(ClusterSnapshot snapshot, Capacity capacity) {
            int count = snapshot.activeCount();
            int[] active = new int[count];
            int total = 0;
            for (int n = 0; n < count; n++) {
                active[n] = snapshot.activeIndex(n);
                total += capacity.weight(active[n]);
            }
            int[] order = new int[total];
            long[] current = new long[count];
            for (int step = 0; step < total; step++) {
                int best = 0;
                for (int n = 0; n < count; n++) {
                    current[n] += capacity.weight(active[n]);
                    if (current[n] > current[best]) {
                        best = n;
                    }
                }
                current[best] -= total;
                order[step] = active[best];
            }
            return new Sequence(active, order);
        }
    }
}
