package org.dialbalance.core;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;

/**
 * What the outbound server does without {@code sip-cluster-lb-mode}: no balancing, every request of
 * every group dials on the prime node.
 */
final class PrimeOnlyPolicy implements BalancingPolicy {

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        return snapshot.topology().routeTo(snapshot.topology().primeIndex());
    }
}
