package com.example.dialbalance.weighted;

import java.util.EnumSet;
import java.util.Set;

import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.harness.contract.BalancingPolicyContract;

/** A third-party policy runs dialbalance's contract suite: weighted, so it does not claim round-robin fairness. */
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
