package org.dialbalance.policy.roundrobin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.SlowStart;

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
 *
 * <p>Slow start, only when configured ({@link SlowStart}): a node that becomes active again takes only part of the
 * turns the rotation gives it while it ramps; a turn it lets go goes to the next active node (if no active node takes
 * it, the first one after the cursor does). Without the option the route is exactly the rule above.
 *
 * <p>Reconfiguration: a policy created to replace a running round-robin ({@code PolicyContext.replacing()}) carries
 * its rotation on by node, not by position, since positions change with the topology. At its first route it takes
 * the node the old policy chose last; if that node is still configured, the rotation goes on after it; if it was
 * removed, after the nearest node before it (in the old order) that is still configured, so the next request goes
 * to the first remaining node after it, as if the removed node had only left. Until then {@code last} holds
 * {@link #TAKE_OVER}; the hand-over is a compare-and-set like any advance, so exactly one thread makes it.
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

    /** {@code last} of a policy that must first take the rotation over from the one it replaces. */
    private static final int TAKE_OVER = -2;

    /** Position of the last node chosen; -1 before the first request. A field, not an AtomicInteger: one load fewer per route. */
    private volatile int last;
    /** The topology this policy was created for; {@code null} when built without one (then nothing is handed over). */
    private final ClusterTopology topology;
    /** The policy this one replaces, until the rotation has been taken over from it; then {@code null}. */
    private volatile RoundRobinPolicy replacing;
    /** {@code null} unless {@code slow-start} is configured. */
    private final SlowStart slowStart;

    /** A policy starting a fresh rotation: the first request goes to the first active node. */
    RoundRobinPolicy() {
        this(null, null, null);
    }

    /**
     * @param topology  the configured cluster
     * @param replacing the running round-robin this one replaces on a reconfiguration, or {@code null}
     * @param slowStart the configured slow start, or {@code null} (off)
     */
    RoundRobinPolicy(ClusterTopology topology, RoundRobinPolicy replacing, SlowStart slowStart) {
        this.topology = topology;
        this.replacing = replacing;
        this.slowStart = slowStart;
        this.last = replacing == null || topology == null || replacing.topology == null ? -1 : TAKE_OVER;
    }

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
            if (previous == TAKE_OVER) {
                LAST.compareAndSet(this, TAKE_OVER, takeOver());
                continue;
            }
            int next = slowStart == null ? nextActive(snapshot, previous) : nextAdmitted(snapshot, previous);
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

    /**
     * With slow start: the first active position after {@code previous} whose node takes its turn; if every active
     * node let its turn go, the first active one.
     */
    private int nextAdmitted(ClusterSnapshot snapshot, int previous) {
        int first = nextActive(snapshot, previous);
        int candidate = first;
        do {
            if (slowStart.admit(snapshot, candidate)) {
                return candidate;
            }
            candidate = nextActive(snapshot, candidate);
        } while (candidate != first);
        return first;
    }

    /** The position, in this policy's topology, from which the rotation of the policy it replaces goes on. */
    private int takeOver() {
        RoundRobinPolicy old = replacing;
        if (old == null) {
            return -1;
        }
        replacing = null;
        int oldLast = old.last;
        if (oldLast == TAKE_OVER) {
            oldLast = old.takeOver();
        }
        for (int position = oldLast; position >= 0; position--) {
            int mapped = topology.indexOf(old.topology.node(position).id());
            if (mapped >= 0) {
                return mapped;
            }
        }
        return -1;
    }
}
