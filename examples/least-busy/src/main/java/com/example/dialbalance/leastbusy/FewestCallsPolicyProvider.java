package com.example.dialbalance.leastbusy;

import java.util.List;
import java.util.Set;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;

/**
 * Provides {@code example-least-busy}: each request to the active node with the fewest calls in progress, read
 * through the api's {@code PolicyContext.nodeLoad()} (no side channel into the balancer). Takes no options.
 * <pre>
 * sip-cluster-lb-mode = example-least-busy
 * </pre>
 */
public final class FewestCallsPolicyProvider implements BalancingPolicyProvider {

    /** The name {@code sip-cluster-lb-mode} selects. */
    public static final String NAME = "example-least-busy";

    /** Used by ServiceLoader. */
    public FewestCallsPolicyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<BalancingPolicy> create(PolicyContext context) {
        List<ConfigProblem> problems = context.unknownOptions(NAME, Set.of());
        if (!problems.isEmpty()) {
            return new ConfigResult.Invalid<>(problems);
        }
        return ConfigResult.valid(new FewestCallsPolicy(context.nodeLoad()));
    }
}
