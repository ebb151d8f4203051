package org.dialbalance.policy.roundrobin;

import java.util.concurrent.atomic.AtomicLong;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;

/**
 * Round-robin over the active nodes, in configured order, for campaign groups in regular modes.
 *
 * <p>The rule: one shared counter {@code n}, incremented once per routed request and never reset;
 * request {@code n} goes to {@code active[n mod A]}, where {@code active} lists the snapshot's active
 * nodes in configured order and {@code A} is their count. Consequences:
 * <ul>
 *   <li>while the active set is unchanged, per-node counts differ by at most one;</li>
 *   <li>when a node leaves, its share spreads evenly over the rest (no neighbour takes it all, as it
 *       would if the dead node's slot simply fell to the next node in the ring);</li>
 *   <li>a node that comes back is part of {@code active} from the next request on.</li>
 * </ul>
 * Prime inactive ⇒ {@link HoldReason#PRIME_NODE_DOWN}. Requests of seizing (ASM) groups are not this
 * policy's business and are held with {@code UNSUPPORTED_MODE}; the dispatcher never sends it any.
 *
 * <p>Thread-safe, lock-free and allocation-free on the dialing path.
 */
final class RoundRobinPolicy implements BalancingPolicy {

    static final HoldReason UNSUPPORTED_MODE = HoldReason.of("UNSUPPORTED_MODE");

    private final AtomicLong counter = new AtomicLong();

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        if (request.group().mode().isSeizing()) {
            return Route.hold(UNSUPPORTED_MODE, "campaign group '" + request.group().name() + "' dials in seizing mode "
                    + request.group().mode().configName() + "; round-robin balances regular modes only");
        }
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        int active = snapshot.activeCount();
        // the prime is active, so active >= 1
        long n = counter.getAndIncrement();
        return snapshot.topology().routeTo(snapshot.activeIndex((int) Long.remainderUnsigned(n, active)));
    }
}
