package org.dialbalance.policy.roundrobin;

import java.util.concurrent.atomic.AtomicLong;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;

/**
 * Round-robin over the active nodes, in configured order, for campaign groups in regular modes: each
 * request goes to the <em>subsequent</em> active node, the first active node after the one the previous
 * request went to, wrapping around (the outbound server's rule). Consequences:
 * <ul>
 *   <li>the cursor is never reset: a membership change does not restart the rotation;</li>
 *   <li>a node that leaves is simply skipped, so its share spreads evenly over the others (no neighbour
 *       takes it all, as happens when a dead node's fixed slot falls to the next node);</li>
 *   <li>a node that comes back is used when the rotation next reaches it;</li>
 *   <li>any two nodes that stay active are never more than one request apart, whatever happens to the
 *       others, and so per-node counts differ by at most one while the active set is unchanged.</li>
 * </ul>
 * Prime inactive ⇒ {@link HoldReason#PRIME_NODE_DOWN}. Requests of seizing (ASM) groups are not this
 * policy's business and are held with {@code UNSUPPORTED_MODE}; the dispatcher never sends it any.
 *
 * <p>Thread-safe and lock-free: the cursor is one atomic word holding the position of the last node chosen
 * and a sequence number (so a compare-and-set cannot be fooled by the rotation coming back to the same
 * position). Allocation-free on the dialing path.
 */
final class RoundRobinPolicy implements BalancingPolicy {

    static final HoldReason UNSUPPORTED_MODE = HoldReason.of("UNSUPPORTED_MODE");
    private static final long POSITION_MASK = 0xFFFF_FFFFL;

    /** High 32 bits: sequence number; low 32 bits: position of the last node chosen, or all ones for none yet. */
    private final AtomicLong cursor = new AtomicLong(POSITION_MASK);

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        if (request.group().mode().isSeizing()) {
            return Route.hold(UNSUPPORTED_MODE, "campaign group '" + request.group().name() + "' dials in seizing mode "
                    + request.group().mode().configName() + "; round-robin balances regular modes only");
        }
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        int count = snapshot.nodeCount();
        while (true) {
            long current = cursor.get();
            int last = (int) (current & POSITION_MASK);     // -1 (all ones) before the first request
            int next = nextActive(snapshot, last, count);
            long updated = ((current >>> 32) + 1) << 32 | (next & POSITION_MASK);
            if (cursor.compareAndSet(current, updated)) {
                return snapshot.topology().routeTo(next);
            }
        }
    }

    /** The first active position after {@code last} in ring order; the prime is active, so there is one. */
    private static int nextActive(ClusterSnapshot snapshot, int last, int count) {
        int position = last >= count ? -1 : last;
        for (int step = 1; step <= count; step++) {
            int candidate = position + step;
            if (candidate >= count) {
                candidate -= count;
            }
            if (snapshot.isActive(candidate)) {
                return candidate;
            }
        }
        return snapshot.topology().primeIndex();
    }
}
