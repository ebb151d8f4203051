package com.example.dialbalance.leastbusy;

import java.util.EnumSet;
import java.util.Set;

import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.harness.contract.BalancingPolicyContract;

/** A third-party load-aware policy runs dialbalance's contract suite (not round-robin fair: it follows loads). */
class FewestCallsContractTest extends BalancingPolicyContract {

    @Override
    protected BalancingPolicyProvider provider() {
        return new FewestCallsPolicyProvider();
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.OCS_PRIME_SEMANTICS);
    }
}
