/**
 * The balancing policy extension point: a {@link org.dialbalance.api.policy.BalancingPolicyProvider}
 * creates a {@link org.dialbalance.api.policy.BalancingPolicy} that routes each dial request on an
 * immutable {@link org.dialbalance.api.ClusterSnapshot}.
 */
package org.dialbalance.api.policy;
