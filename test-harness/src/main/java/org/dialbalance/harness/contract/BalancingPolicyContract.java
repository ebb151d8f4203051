package org.dialbalance.harness.contract;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.harness.RecordingPolicyContext;
import org.dialbalance.harness.property.Counterexample;
import org.dialbalance.harness.property.Generator;
import org.dialbalance.harness.property.Guarantee;
import org.dialbalance.harness.property.PolicyDriver;
import org.dialbalance.harness.property.PropertyRunner;
import org.dialbalance.harness.property.ReportedRun;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every {@link BalancingPolicy} runs, ours or a plugin author's: extend this class, name the
 * provider and the capabilities the policy claims, and JUnit runs one property per guarantee over thousands
 * of generated clusters and failure sequences, each failure shrunk to a minimal reproduction.
 *
 * <pre>{@code
 * class WeightedPolicyContractTest extends BalancingPolicyContract {
 *     protected BalancingPolicyProvider provider() { return new WeightedPolicyProvider(); }
 *     protected Set<Capability> capabilities() { return EnumSet.of(Capability.OCS_PRIME_SEMANTICS); }
 * }
 * }</pre>
 *
 * Every policy is held to "never routes to an inactive node". The capabilities add the rest. Every property
 * also demands progress: with the prime active, a regular-mode request must be routed to a node, and a
 * seizing request whose dialer node is active must be routed; a hold is allowed only with the legitimate
 * reason for its situation (PRIME_NODE_DOWN while the prime is inactive, DIALER_NODE_DOWN while a seizing
 * group's dialer node is) — a policy that always holds passes nothing.
 */
public abstract class BalancingPolicyContract {

    /** What a policy claims. */
    public enum Capability {
        /** Regular groups: round-robin fairness (see {@link Guarantee#FAIR_ROUND_ROBIN}). */
        FAIR_ROUND_ROBIN,
        /** Holds every request with PRIME_NODE_DOWN while the prime is inactive. */
        OCS_PRIME_SEMANTICS,
        /** Seizing groups: pinned to their dialer node, falling back to the prime (see {@link Guarantee#ASM_PINNING}). */
        ASM_PINNING
    }

    /** The provider under test. */
    protected abstract BalancingPolicyProvider provider();

    /** What the policy claims. */
    protected abstract Set<Capability> capabilities();

    /** The policy's options, as {@code policy-options.<name>} would give them. */
    protected Map<String, String> options() {
        return Map.of();
    }

    /** Generated cases per property; {@code -Ddialbalance.soak=K} multiplies it. */
    protected int cases() {
        return 2_000;
    }

    /** One dynamic test per guarantee the policy is held to. */
    @TestFactory
    Stream<DynamicTest> contract() {
        long seed = PropertyRunner.seed();
        BalancingPolicyProvider provider = provider();
        Function<PolicyContext, BalancingPolicy> factory = context -> create(provider, context);
        int cases = PropertyRunner.cases(cases());
        return guarantees(capabilities()).stream().map(guarantee -> DynamicTest.dynamicTest(provider.name() + ": " + guarantee.title()
                        + " [" + cases + " cases, seed " + seed + "]",
                () -> ReportedRun.run(provider.name() + " contract: " + guarantee.title(), seed, () -> {
                    verify(factory, capabilities(), guarantee, seed, cases).ifPresent(counterexample -> {
                        throw new AssertionError(counterexample.report());
                    });
                    return cases + " cases";
                })));
    }

    /** The guarantees a set of capabilities holds a policy to. */
    public static List<Guarantee> guarantees(Set<Capability> capabilities) {
        List<Guarantee> guarantees = new ArrayList<>(List.of(Guarantee.NEVER_INACTIVE));
        if (capabilities.contains(Capability.FAIR_ROUND_ROBIN)) {
            guarantees.add(Guarantee.FAIR_ROUND_ROBIN);
        }
        if (capabilities.contains(Capability.OCS_PRIME_SEMANTICS)) {
            guarantees.add(Guarantee.PRIME_DOWN_HELD);
        }
        if (capabilities.contains(Capability.ASM_PINNING)) {
            guarantees.add(Guarantee.ASM_PINNING);
        }
        return guarantees;
    }

    /**
     * Checks one guarantee of a policy on {@code cases} generated cases; a plain method, for tests that want
     * the counterexample itself.
     *
     * @param factory      makes a fresh policy for each case's cluster
     * @param capabilities decides which requests are generated: regular groups unless only ASM is claimed,
     *                     seizing groups when ASM is claimed
     * @return the shrunk counterexample, if the policy breaks the guarantee
     */
    public static Optional<Counterexample> verify(Function<PolicyContext, BalancingPolicy> factory, Set<Capability> capabilities,
                                                  Guarantee guarantee, long seed, int cases) {
        boolean seizing = capabilities.contains(Capability.ASM_PINNING);
        boolean regular = capabilities.contains(Capability.FAIR_ROUND_ROBIN) || !seizing;
        Generator generator = new Generator(regular, seizing, 24);
        return PropertyRunner.find(guarantee.name(), seed, cases, generator, cluster -> guarantee.test(cluster,
                PolicyDriver.run(cluster, factory.apply(new RecordingPolicyContext(cluster.topology(), cluster.campaignGroups(), Map.of())))),
                cluster -> { });
    }

    /** All capabilities. */
    public static Set<Capability> all() {
        return EnumSet.allOf(Capability.class);
    }

    private BalancingPolicy create(BalancingPolicyProvider provider, PolicyContext context) {
        PolicyContext withOptions = new RecordingPolicyContext(context.topology(), context.campaignGroups(), options());
        ConfigResult<BalancingPolicy> result = provider.create(withOptions);
        if (result instanceof ConfigResult.Invalid<BalancingPolicy> invalid) {
            throw new AssertionError("the provider refused a valid cluster: " + invalid.problems());
        }
        return ((ConfigResult.Valid<BalancingPolicy>) result).value();
    }
}
