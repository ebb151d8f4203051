package org.dialbalance.harness.property;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;

/** Policies with the classic balancing bugs, each of which the engine must catch. */
final class BrokenPolicies {

    private BrokenPolicies() {
    }

    /** A correct rotation cursor: the subsequent active node after the last chosen one. */
    static BalancingPolicy correctRoundRobin() {
        AtomicInteger last = new AtomicInteger(-1);
        return (request, snapshot) -> {
            if (!snapshot.isPrimeActive()) {
                return Route.primeNodeDown(snapshot.prime());
            }
            int next = next(snapshot, last.get());
            last.set(next);
            return snapshot.topology().routeTo(next);
        };
    }

    /** Restarts the rotation at the first node whenever the active set changes. */
    static BalancingPolicy resetsCursorOnMembershipChange() {
        AtomicInteger last = new AtomicInteger(-1);
        AtomicReference<List<NodeId>> seen = new AtomicReference<>(List.of());
        return (request, snapshot) -> {
            if (!snapshot.isPrimeActive()) {
                return Route.primeNodeDown(snapshot.prime());
            }
            if (!snapshot.activeNodes().equals(seen.getAndSet(snapshot.activeNodes()))) {
                last.set(-1);
            }
            int next = next(snapshot, last.get());
            last.set(next);
            return snapshot.topology().routeTo(next);
        };
    }

    /** Fixed slots n mod N, a dead slot falling to the next active node: the neighbour takes the whole share. */
    static BalancingPolicy givesADeadNodesShareToItsNeighbour() {
        AtomicLong counter = new AtomicLong();
        return (request, snapshot) -> {
            if (!snapshot.isPrimeActive()) {
                return Route.primeNodeDown(snapshot.prime());
            }
            int slot = (int) (counter.getAndIncrement() % snapshot.nodeCount());
            return snapshot.topology().routeTo(next(snapshot, slot - 1));
        };
    }

    /** Round-robin that forgets the prime: dials on while the prime is down. */
    static BalancingPolicy ignoresThePrime() {
        AtomicInteger last = new AtomicInteger(-1);
        return (request, snapshot) -> {
            if (snapshot.activeCount() == 0) {
                return Route.hold(HoldReason.NO_ACTIVE_NODE, "no node");
            }
            int next = next(snapshot, last.get());
            last.set(next);
            return snapshot.topology().routeTo(next);
        };
    }

    /** Pins outbound calls of seizing groups, but sends their engaging calls round-robin. */
    static BalancingPolicy roundRobinsEngagingCalls() {
        BalancingPolicy roundRobin = correctRoundRobin();
        return (request, snapshot) -> {
            if (request instanceof DialRequest.EngagingCall) {
                return roundRobin.route(request, snapshot);
            }
            return pinned(request, snapshot);
        };
    }

    /** A correct pinning policy (for contrast). */
    static BalancingPolicy correctPinning() {
        return BrokenPolicies::pinned;
    }

    /** Rotates over every configured node, active or not. */
    static BalancingPolicy sendsOnInactiveNodes() {
        AtomicLong counter = new AtomicLong();
        return (request, snapshot) -> {
            if (!snapshot.isPrimeActive()) {
                return Route.primeNodeDown(snapshot.prime());
            }
            return snapshot.topology().routeTo((int) (counter.getAndIncrement() % snapshot.nodeCount()));
        };
    }

    /** Never dials: holds every request, as if the prime were down. */
    static BalancingPolicy alwaysHoldsPrimeDown() {
        return (request, snapshot) -> Route.primeNodeDown(snapshot.prime());
    }

    /** Never dials: holds every request with DIALER_NODE_DOWN (for seizing groups) while the prime is active. */
    static BalancingPolicy alwaysHoldsDialerDown() {
        return (request, snapshot) -> snapshot.isPrimeActive() ? Route.hold(HoldReason.DIALER_NODE_DOWN, "never dials")
                : Route.primeNodeDown(snapshot.prime());
    }

    private static Route pinned(DialRequest request, ClusterSnapshot snapshot) {
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        int named = request.group().asmDialNode().map(snapshot.topology()::indexOf).orElse(-1);
        int dialer = named >= 0 ? named : snapshot.topology().primeIndex();
        if (!snapshot.isActive(dialer)) {
            return Route.hold(HoldReason.DIALER_NODE_DOWN, "dialer down");
        }
        return snapshot.topology().routeTo(dialer);
    }

    private static int next(ClusterSnapshot snapshot, int last) {
        int count = snapshot.nodeCount();
        for (int step = 1; step <= count; step++) {
            int candidate = Math.floorMod(last + step, count);
            if (snapshot.isActive(candidate)) {
                return candidate;
            }
        }
        return snapshot.topology().primeIndex();
    }
}
