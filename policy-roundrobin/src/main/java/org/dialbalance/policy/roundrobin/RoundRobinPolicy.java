package org.dialbalance.policy.roundrobin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 * <p>Thread-safe and lock-free: the cursor is the position of the last node chosen, advanced by
 * compare-and-set. (A compare-and-set that succeeds after the rotation came back to the same position is
 * still right: the next node after a position depends on that position only.) Allocation-free.
 */
final class RoundRobinPolicy implements BalancingPolicy {

    static final HoldReason UNSUPPORTED_MODE = HoldReason.of("UNSUPPORTED_MODE");

    private static final VarHandle LAST;

    static {
        try {
            LAST = MethodHandles.lookup().findVarHandle(RoundRobinPolicy.class, "last", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Position of the last node chosen; -1 before the first request. A field, not an AtomicInteger: one load fewer per route. */
    private volatile int last = -1;

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        if (request.group().mode().isSeizing()) {
            return Route.hold(UNSUPPORTED_MODE, "campaign group '" + request.group().name() + "' dials in seizing mode "
                    + request.group().mode().configName() + "; round-robin balances regular modes only");
        }
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        while (true) {
            int previous = last;
            int next = nextActive(snapshot, previous);
            if (LAST.compareAndSet(this, previous, next)) {
                return snapshot.topology().routeTo(next);
            }
        }
    }

    /** The first active position after {@code previous} in ring order; ends because the prime is active. */
    private static int nextActive(ClusterSnapshot snapshot, int previous) {
        int lastIndex = snapshot.nodeCount() - 1;
        int candidate = previous;
        do {
            // a compare instead of a remainder: an integer division costs more than the rest of the route
            candidate = candidate >= lastIndex ? 0 : candidate + 1;
        } while (!snapshot.isActive(candidate));
        return candidate;
    }
}
