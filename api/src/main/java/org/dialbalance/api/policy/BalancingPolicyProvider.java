package org.dialbalance.api.policy;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.ExtensionProvider;
import org.dialbalance.api.Stable;

/**
 * Creates a {@link BalancingPolicy}. Found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.dialbalance.api.policy.BalancingPolicyProvider}) or bound in code by a
 * host application.
 *
 * <p>The {@linkplain #name() name} is what {@code sip-cluster-lb-mode} selects for campaign groups in
 * regular modes; seizing (ASM) groups use the provider named {@code asm-per-group} unless configured
 * otherwise.
 */
@Stable(since = "0.1")
public interface BalancingPolicyProvider extends ExtensionProvider {

    /**
     * Builds a policy for one configuration. Called once at startup, on one thread.
     *
     * <p>Invalid policy options are reported as {@link ConfigResult.Invalid} naming each option,
     * value and expectation; the balancer then refuses to start and lists them with every other
     * configuration problem. Warnings (not errors) go to {@link PolicyContext#warn(String)}.
     *
     * @param context the cluster, campaign groups and this policy's options
     * @return the policy, or the problems found
     */
    ConfigResult<BalancingPolicy> create(PolicyContext context);
}
