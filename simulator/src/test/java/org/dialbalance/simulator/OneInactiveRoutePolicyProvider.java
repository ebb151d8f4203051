package org.dialbalance.simulator;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;

/**
 * A broken round-robin, registered as {@code one-inactive-route} for tests only: fair in every other way, it
 * routes exactly one request to a node that its snapshot shows inactive (the first time one is). The
 * dispatcher refuses that route, but the policy broke guarantee 1, and the verdict must say so.
 */
public final class OneInactiveRoutePolicyProvider implements BalancingPolicyProvider {

    /** Used by ServiceLoader. */
    public OneInactiveRoutePolicyProvider() {
    }

    @Override
    public String name() {
        return "one-inactive-route";
    }

    @Override
    public ConfigResult<BalancingPolicy> create(PolicyContext context) {
        AtomicInteger last = new AtomicInteger(-1);
        AtomicBoolean misrouted = new AtomicBoolean();
        return ConfigResult.valid((DialRequest request, ClusterSnapshot snapshot) -> {
            if (!snapshot.isPrimeActive()) {
                return Route.primeNodeDown(snapshot.prime());
            }
            for (int i = 0; i < snapshot.nodeCount(); i++) {
                if (!snapshot.isActive(i) && misrouted.compareAndSet(false, true)) {
                    return snapshot.topology().routeTo(i);
                }
            }
            for (int step = 1; step <= snapshot.nodeCount(); step++) {
                int previous = last.get();
                int index = Math.floorMod(previous + step, snapshot.nodeCount());
                if (snapshot.isActive(index) && last.compareAndSet(previous, index)) {
                    return snapshot.topology().routeTo(index);
                }
            }
            return Route.primeNodeDown(snapshot.prime());
        });
    }
}
