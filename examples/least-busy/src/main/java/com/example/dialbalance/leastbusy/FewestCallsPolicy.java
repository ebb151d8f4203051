package com.example.dialbalance.leastbusy;

import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.NodeLoadView;

/**
 * The active node with the fewest calls in progress; ties go to the first such node after a start that moves one
 * active node on with every request, so idle nodes are used in turn. Prime inactive ⇒ held with PRIME_NODE_DOWN;
 * seizing groups are not its business. Lock-free and allocation-free: one atomic increment and one read per active
 * node of {@link NodeLoadView#callsInProgress(int)}.
 */
final class FewestCallsPolicy implements BalancingPolicy {

    static final HoldReason UNSUPPORTED_MODE = HoldReason.of("UNSUPPORTED_MODE");

    private final NodeLoadView load;
    private final AtomicInteger start = new AtomicInteger();

    FewestCallsPolicy(NodeLoadView load) {
        this.load = load;
    }

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        if (request.group().mode().isSeizing()) {
            return Route.hold(UNSUPPORTED_MODE, "example-least-busy balances regular modes only; campaign group '"
                    + request.group().name() + "' dials in a seizing mode");
        }
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        int count = snapshot.activeCount();
        int n = Integer.remainderUnsigned(start.getAndIncrement(), count);
        int best = -1;
        int fewest = Integer.MAX_VALUE;
        for (int scanned = 0; scanned < count; scanned++) {
            int node = snapshot.activeIndex(n);
            n = n + 1 == count ? 0 : n + 1;
            int calls = load.callsInProgress(node);
            if (calls < fewest) {
                best = node;
                fewest = calls;
            }
        }
        return snapshot.topology().routeTo(best);
    }
}
