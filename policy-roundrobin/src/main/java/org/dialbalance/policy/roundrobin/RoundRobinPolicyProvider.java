package org.dialbalance.policy.roundrobin;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.Stable;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.api.policy.SlowStart;

/**
 * Provides {@code round-robin}: the value of {@code sip-cluster-lb-mode} that turns balancing on for
 * regular dialing modes. Its one option is the block {@code slow-start} ({@link SlowStart}, off when absent, so
 * that the rotation is exactly the seed's unless configured). Found with {@link java.util.ServiceLoader}.
 */
@Stable(since = "0.1")
public final class RoundRobinPolicyProvider implements BalancingPolicyProvider {

    /** The name {@code sip-cluster-lb-mode} selects. */
    public static final String NAME = "round-robin";

    /** Used by {@link java.util.ServiceLoader}. */
    public RoundRobinPolicyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<BalancingPolicy> create(PolicyContext context) {
        RoundRobinPolicy replacing = context.replacing().filter(RoundRobinPolicy.class::isInstance)
                .map(RoundRobinPolicy.class::cast).orElse(null);
        return SlowStart.asOnlyOption(NAME, context)
                .map(slowStart -> new RoundRobinPolicy(context.topology(), replacing, slowStart.orElse(null)));
    }
}
