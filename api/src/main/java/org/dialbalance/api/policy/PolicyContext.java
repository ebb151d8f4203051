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
