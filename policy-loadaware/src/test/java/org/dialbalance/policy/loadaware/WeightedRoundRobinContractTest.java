package org.dialbalance.policy.loadaware;

import java.util.EnumSet;
import java.util.Set;

import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.harness.contract.BalancingPolicyContract;

/** The contract suite: never an inactive node, prime down ⇒ held. (Not round-robin fair by design: see the class doc.) */
class WeightedRoundRobinContractTest extends BalancingPolicyContract {

    @Override
    protected BalancingPolicyProvider provider() {
        return new WeightedRoundRobinPolicyProvider();
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.OCS_PRIME_SEMANTICS);
    }
}
