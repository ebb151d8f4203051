package org.dialbalance.harness.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.harness.contract.BalancingPolicyContract;
import org.dialbalance.harness.contract.BalancingPolicyContract.Capability;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Proof that the engine bites: each classic bug is caught, with a counterexample of a handful of steps. */
class BrokenPoliciesAreCaughtTest {

    private static final Logger LOG = LoggerFactory.getLogger(BrokenPoliciesAreCaughtTest.class);
    private static final int CASES = 2_000;
    private static final int HANDFUL = 6;

    private static final Set<Capability> ROUND_ROBIN = EnumSet.of(Capability.FAIR_ROUND_ROBIN, Capability.OCS_PRIME_SEMANTICS);
    private static final Set<Capability> ASM = EnumSet.of(Capability.ASM_PINNING, Capability.OCS_PRIME_SEMANTICS);

    @Test
    void theCorrectPoliciesPassSoTheFailuresBelowAreTheBugs() {
        for (Guarantee guarantee : BalancingPolicyContract.guarantees(ROUND_ROBIN)) {
            assertThat(counterexample(BrokenPolicies::correctRoundRobin, ROUND_ROBIN, guarantee)).as(guarantee.name()).isEmpty();
        }
        for (Guarantee guarantee : BalancingPolicyContract.guarantees(ASM)) {
            assertThat(counterexample(BrokenPolicies::correctPinning, ASM, guarantee)).as(guarantee.name()).isEmpty();
        }
    }

    @Test
    void aRoundRobinThatResetsItsCursorOnMembershipChangeIsCaught() {
        assertCaught(BrokenPolicies::resetsCursorOnMembershipChange, ROUND_ROBIN, Guarantee.FAIR_ROUND_ROBIN);
    }

    @Test
    void aRoundRobinThatGivesADeadNodesShareToItsNeighbourIsCaught() {
        assertCaught(BrokenPolicies::givesADeadNodesShareToItsNeighbour, ROUND_ROBIN, Guarantee.FAIR_ROUND_ROBIN);
    }

    @Test
    void aPolicyThatIgnoresThePrimeIsCaught() {
        assertCaught(BrokenPolicies::ignoresThePrime, ROUND_ROBIN, Guarantee.PRIME_DOWN_HELD);
    }

    @Test
    void anAsmPolicyThatRoundRobinsEngagingCallsIsCaught() {
        assertCaught(BrokenPolicies::roundRobinsEngagingCalls, ASM, Guarantee.ASM_PINNING);
    }

    @Test
    void aPolicyThatSendsOnAnInactiveNodeIsCaught() {
        assertCaught(BrokenPolicies::sendsOnInactiveNodes, ROUND_ROBIN, Guarantee.NEVER_INACTIVE);
    }

    @Test
    void aPolicyThatNeverDialsFailsEveryPropertyOfTheContract() {
        for (Guarantee guarantee : BalancingPolicyContract.guarantees(ROUND_ROBIN)) {
            assertCaught(BrokenPolicies::alwaysHoldsPrimeDown, ROUND_ROBIN, guarantee);
        }
        for (Guarantee guarantee : BalancingPolicyContract.guarantees(ASM)) {
            assertCaught(BrokenPolicies::alwaysHoldsPrimeDown, ASM, guarantee);
            assertCaught(BrokenPolicies::alwaysHoldsDialerDown, ASM, guarantee);
        }
        Counterexample neverDials = counterexample(BrokenPolicies::alwaysHoldsPrimeDown, ROUND_ROBIN, Guarantee.FAIR_ROUND_ROBIN)
                .orElseThrow();
        assertThat(neverDials.shrunk().actions()).hasSize(1);
        assertThat(neverDials.violation()).contains("no progress").contains("held PRIME_NODE_DOWN");
    }

    private static void assertCaught(Supplier<BalancingPolicy> policy, Set<Capability> capabilities, Guarantee guarantee) {
        Optional<Counterexample> found = counterexample(policy, capabilities, guarantee);

        assertThat(found).as("%s must be caught", guarantee).isPresent();
        Counterexample counterexample = found.get();
        LOG.info("Caught, as it must be:\n{}", counterexample.report());
        assertThat(counterexample.shrunk().actions()).as(counterexample.report()).hasSizeLessThanOrEqualTo(HANDFUL);
        assertThat(counterexample.shrunk().actions().size()).isLessThanOrEqualTo(counterexample.original().actions().size());
        assertThat(counterexample.report()).contains("seed " + counterexample.seed()).contains("-Ddialbalance.seed=")
                .contains("cluster: ").contains("violation: ").contains("1. ");
    }

    private static Optional<Counterexample> counterexample(Supplier<BalancingPolicy> policy, Set<Capability> capabilities,
                                                           Guarantee guarantee) {
        return BalancingPolicyContract.verify(context -> policy.get(), capabilities, guarantee, 20261125L, CASES);
    }
}
