package org.dialbalance.policy.asm;

import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.stream.Collectors;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.Stable;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;

/**
 * Provides {@code asm-per-group}, the policy for campaign groups in seizing (ASM) modes. Takes no
 * options. At creation it warns once for each seizing group that will dial on the prime node because
 * its {@code sip-cluster-asm-dial-node} is unset or names no configured node.
 */
@Stable(since = "0.1")
public final class AsmPerGroupPolicyProvider implements BalancingPolicyProvider {

    /** The name of this policy. */
    public static final String NAME = "asm-per-group";

    /** Used by {@link java.util.ServiceLoader}. */
    public AsmPerGroupPolicyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<BalancingPolicy> create(PolicyContext context) {
        List<ConfigProblem> problems = context.unknownOptions(NAME, Set.of());
        if (!problems.isEmpty()) {
            return new ConfigResult.Invalid<>(problems);
        }
        ClusterTopology topology = context.topology();
        for (CampaignGroup group : context.campaignGroups()) {
            if (group.mode().isSeizing()) {
                fallbackWarning(group, topology).ifPresent(context::warn);
            }
        }
        return ConfigResult.valid(new AsmPerGroupPolicy(context.campaignGroups(), topology));
    }

    private static Optional<String> fallbackWarning(CampaignGroup group, ClusterTopology topology) {
        String who = "campaign group '" + group.name() + "' (agent group '" + group.agentGroup() + "', mode "
                + group.mode().configName() + ")";
        if (group.asmDialNode().isEmpty()) {
            return Optional.of(who + ": sip-cluster-asm-dial-node is not set; it dials on the prime node "
                    + topology.prime());
        }
        if (!topology.contains(group.asmDialNode().get())) {
            String configured = topology.nodes().stream().map(NodeSpec::id).map(String::valueOf)
                    .collect(Collectors.joining(", "));
            return Optional.of(who + ": sip-cluster-asm-dial-node = " + group.asmDialNode().get()
                    + " names no configured node (configured: " + configured + "); it dials on the prime node "
                    + topology.prime());
        }
        return Optional.empty();
    }
}
