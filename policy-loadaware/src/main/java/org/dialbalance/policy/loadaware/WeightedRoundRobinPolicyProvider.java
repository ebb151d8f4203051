package org.dialbalance.policy.loadaware;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.Experimental;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.api.policy.SlowStart;

/**
 * Provides {@code weighted-round-robin}: smooth weighted round-robin by each node's weight, for regular dialing modes
 * (see {@link WeightedRoundRobinPolicy}). Its one option is the block {@code slow-start} ({@link SlowStart}, off when
 * absent); each node's {@code weight} and {@code max-calls} come from its {@code nodes[]} entry. Found with
 * {@link java.util.ServiceLoader}.
 */
@Experimental(reason = "new in 0.3: load-aware balancing")
public final class WeightedRoundRobinPolicyProvider implements BalancingPolicyProvider {

    /** The name {@code sip-cluster-lb-mode} selects. */
    public static final String NAME = "weighted-round-robin";

    /** Used by {@link java.util.ServiceLoader}. */
    public WeightedRoundRobinPolicyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<BalancingPolicy> create(PolicyContext context) {
        return SlowStart.asOnlyOption(NAME, context)
                .map(slowStart -> new WeightedRoundRobinPolicy(new Capacity(context), slowStart.orElse(null)));
    }
}
