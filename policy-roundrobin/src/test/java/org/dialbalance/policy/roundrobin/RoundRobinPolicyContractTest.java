package org.dialbalance.policy.roundrobin;

import java.util.EnumSet;
import java.util.Set;

import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.harness.contract.BalancingPolicyContract;

/** round-robin claims fairness and the outbound server's prime semantics, and runs the contract suite. */
class RoundRobinPolicyContractTest extends BalancingPolicyContract {

    @Override
    protected BalancingPolicyProvider provider() {
        return new RoundRobinPolicyProvider();
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.FAIR_ROUND_ROBIN, Capability.OCS_PRIME_SEMANTICS);
    }
}
