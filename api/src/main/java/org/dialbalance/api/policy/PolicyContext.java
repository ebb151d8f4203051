package org.dialbalance.api.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.Stable;

/**
 * What the host gives a policy when it is created. Policies reach host services through this object
 * only, never through static state.
 */
@Stable(since = "0.1")
public interface PolicyContext {

    /** The configured nodes, in configured order, and the prime node. */
    ClusterTopology topology();

    /** The campaign groups configured at startup; requests may also come from groups not listed. */
    List<CampaignGroup> campaignGroups();

    /**
     * This policy's own options, from the configuration block {@code policy-options.<name>}, as
     * strings by key. Empty when none are configured. A policy should report unknown keys as problems.
     */
    Map<String, String> options();

    /**
     * Reports something the operator should know at startup that is not an error, for example a
     * campaign group falling back to the prime node. Logged as a warning by the host.
     */
    void warn(String message);

    /**
     * This policy's options as a tree, nested blocks kept: {@code capacity { 101 = 300 }} is the block
     * {@code capacity}. Built from {@link #options()}, whose keys name nested options with dots
     * ({@code capacity.101}). Empty when none are configured. Use {@link #unknownTopLevelOptions} to report
     * unknown keys of a policy that takes blocks.
     *
     * @since 0.3
     */
    default Map<String, PolicyOption> optionTree() {
        Map<String, Object> root = new java.util.LinkedHashMap<>();
        options().forEach((key, value) -> {
            String[] parts = key.split("\\.", -1);
            Map<String, Object> block = root;
            for (int i = 0; i < parts.length - 1 && block != null; i++) {
                Object child = block.computeIfAbsent(parts[i], ignored -> new java.util.LinkedHashMap<String, Object>());
                @SuppressWarnings("unchecked")
                Map<String, Object> next = child instanceof Map ? (Map<String, Object>) child : null;
                block = next;
            }
            if (block != null) {
                block.putIfAbsent(parts[parts.length - 1], value);
            }
        });
        return PolicyContextTrees.toOptions(root);
    }

    /**
     * The problems to report for top-level options this policy does not know (a nested block counts by its
     * name), one per unknown key; like {@link #unknownOptions} for a policy that takes blocks.
     *
     * @param policyName the policy's name
     * @param known      the top-level keys the policy accepts (may be empty)
     * @since 0.3
     */
    default List<ConfigProblem> unknownTopLevelOptions(String policyName, Set<String> known) {
        List<ConfigProblem> problems = new ArrayList<>();
        Set<String> reported = new java.util.HashSet<>();
        options().forEach((key, value) -> {
            int dot = key.indexOf('.');
            String top = dot < 0 ? key : key.substring(0, dot);
            if (!known.contains(top) && reported.add(top)) {
                problems.add(new ConfigProblem("policy-options." + policyName + "." + top, dot < 0 ? value : "{ ... }",
                        known.isEmpty() ? "no option: " + policyName + " takes none"
                        : "one of the options of " + policyName + org.dialbalance.api.DidYouMean.hint(top, known) + ": "
                                + String.join(", ", new java.util.TreeSet<>(known))));
            }
        });
        return problems;
    }

    /**
     * Calls in progress and requests awaiting replies per node, live, for policies that balance by load:
     * lock-free and allocation-free. Outside a running balancer (and before it starts) every node is idle.
     *
     * @since 0.3
     */
    default NodeLoadView nodeLoad() {
        return NodeLoadView.IDLE;
    }

    /**
     * A node's {@code weight} and {@code max-calls}, as configured in its {@code nodes[]} entry.
     *
     * @param nodeIndex position of the node in configured order
     * @since 0.3
     */
    default NodeOptions nodeOptions(int nodeIndex) {
        return NodeOptions.DEFAULT;
    }

    /**
     * The balancer's clock, in nanoseconds from an arbitrary origin (only differences are meaningful): the one
     * its scheduler runs on, so that tests driving a manual clock drive the policy too. Lock-free; may be
     * called from {@link BalancingPolicy#route}.
     *
     * @since 0.3
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /**
     * The problems to report for options this policy does not know, one per unknown key, each naming
     * {@code policy-options.<policyName>.<key>} and the known keys.
     *
     * @param policyName the policy's name
     * @param known      the keys the policy accepts (may be empty)
     */
    default List<ConfigProblem> unknownOptions(String policyName, Set<String> known) {
        List<ConfigProblem> problems = new ArrayList<>();
        options().forEach((key, value) -> {
            if (!known.contains(key)) {
                problems.add(new ConfigProblem("policy-options." + policyName + "." + key, value, known.isEmpty()
                        ? "no option: " + policyName + " takes none"
                        : "one of the options of " + policyName + org.dialbalance.api.DidYouMean.hint(key, known) + ": "
                                + String.join(", ", new java.util.TreeSet<>(known))));
            }
        });
        return problems;
    }

    /**
     * On a reconfiguration, the running policy of the same name that the one being created replaces, so that state
     * such as a rotation cursor can carry on (read it when the new policy first routes, since the old one may route a
     * last request meanwhile); empty at start. The old policy routes no request once the new one has been installed,
     * apart from one being routed at that very moment; a policy should not keep the reference after taking what it
     * needs, so that reloads do not chain instances.
     *
     * @since 0.3
     */
    default Optional<BalancingPolicy> replacing() {
        return Optional.empty();
    }
}
