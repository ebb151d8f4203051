package com.example.dialbalance.weighted;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;

/**
 * Provides {@code example-weighted} (renamed from {@code weighted-round-robin} in 0.3: that name is now the
 * built-in smooth weighted policy of {@code dialbalance-policy-loadaware}, which takes weights from {@code nodes[].weight}).
 * One option:
 * <pre>
 * policy-options { example-weighted { weights = "101:3, 102:1" } }   # DBID:weight; unlisted nodes weigh 1
 * </pre>
 */
public final class WeightedRoundRobinPolicyProvider implements BalancingPolicyProvider {

    /** The name {@code sip-cluster-lb-mode} selects. */
    public static final String NAME = "example-weighted";

    /** Used by ServiceLoader. */
    public WeightedRoundRobinPolicyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<BalancingPolicy> create(PolicyContext context) {
        List<ConfigProblem> problems = new ArrayList<>(context.unknownOptions(NAME, Set.of("weights")));
        Map<NodeId, Integer> weights = new LinkedHashMap<>();
        String text = context.options().getOrDefault("weights", "").trim();
        String option = "policy-options." + NAME + ".weights";
        String expected = "a list of DBID:weight pairs of configured nodes, e.g. \"101:3, 102:1\", weights 1..100";
        for (String pair : text.isEmpty() ? new String[0] : text.split(",")) {
            String[] parts = pair.trim().split(":");
            try {
                NodeId node = NodeId.of(Integer.parseInt(parts[0].trim()));
                int weight = Integer.parseInt(parts[1].trim());
                if (parts.length != 2 || weight < 1 || weight > 100 || !context.topology().contains(node)) {
                    throw new IllegalArgumentException(pair);
                }
                weights.put(node, weight);
            } catch (RuntimeException e) {
                problems.add(new ConfigProblem(option, text, expected + " ('" + pair.trim() + "' is not)"));
            }
        }
        if (!problems.isEmpty()) {
            return new ConfigResult.Invalid<>(problems);
        }
        return ConfigResult.valid(new WeightedRoundRobinPolicy(weights));
    }
}
