package org.dialbalance.policy.asm;

import java.util.EnumSet;
import java.util.Set;

import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.harness.contract.BalancingPolicyContract;

/** asm-per-group claims ASM pinning with prime fallback and the prime semantics, and runs the contract suite. */
class AsmPerGroupPolicyContractTest extends BalancingPolicyContract {

    @Override
    protected BalancingPolicyProvider provider() {
        return new AsmPerGroupPolicyProvider();
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.ASM_PINNING, Capability.OCS_PRIME_SEMANTICS);
    }
}
