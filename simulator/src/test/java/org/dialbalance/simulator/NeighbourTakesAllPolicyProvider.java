package org.dialbalance.simulator;

import java.util.concurrent.atomic.AtomicLong;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;

/**
 * A broken round-robin, registered as {@code neighbour-takes-all} for tests only: it scans the ring from
 * slot {@code n mod N} to the next active node, so a departed node's whole share falls to its neighbour.
 * The simulator's verdict must catch it.
 */
public final class NeighbourTakesAllPolicyProvider implements BalancingPolicyProvider {

    /** Used by ServiceLoader. */
    public NeighbourTakesAllPolicyProvider() {
    }

    @Override
    public String name() {
        return "neighbour-takes-all";
    }

    @Override
    public ConfigResult<BalancingPolicy> create(PolicyContext context) {
        AtomicLong counter = new AtomicLong();
        return ConfigResult.valid((DialRequest request, ClusterSnapshot snapshot) -> {
            if (!snapshot.isPrimeActive()) {
                return Route.primeNodeDown(snapshot.prime());
            }
            long n = counter.getAndIncrement();
            for (int i = 0; i < snapshot.nodeCount(); i++) {
                int index = (int) ((n + i) % snapshot.nodeCount());
                if (snapshot.isActive(index)) {
                    return snapshot.topology().routeTo(index);
                }
            }
            return Route.primeNodeDown(snapshot.prime());
        });
    }
}
