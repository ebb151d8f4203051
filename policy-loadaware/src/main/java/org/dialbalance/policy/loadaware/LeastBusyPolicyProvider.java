package org.dialbalance.policy.loadaware;

import java.util.List;
import java.util.Set;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.Experimental;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;

/**
 * Provides {@code least-busy}: the fewest calls in progress per unit of weight, for regular dialing modes (see {@link LeastBusyPolicy}). Takes no policy options: each
 * node's {@code weight} and {@code max-calls} come from its {@code nodes[]} entry. Found with
 * {@link java.util.ServiceLoader}.
 */
@Experimental(reason = "new in 0.3: load-aware balancing")
public final class LeastBusyPolicyProvider implements BalancingPolicyProvider {

    /** The name {@code sip-cluster-lb-mode} selects. */
    public static final String NAME = "least-busy";

    /** Used by {@link java.util.ServiceLoader}. */
    public LeastBusyPolicyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<BalancingPolicy> create(PolicyContext context) {
        List<ConfigProblem> problems = context.unknownTopLevelOptions(NAME, Set.of());
        if (!problems.isEmpty()) {
            return new ConfigResult.Invalid<>(problems);
        }
        return ConfigResult.valid(new LeastBusyPolicy(new Capacity(context), context.topology().size()));
    }
}
