package org.dialbalance.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.NodeId;
import org.dialbalance.core.BalancerConfig;

/**
 * The ASM balance advisor behind {@code check-config --advise}: proposes a {@code sip-cluster-asm-dial-node} for every
 * agent group that has seizing campaign groups, so that their expected load is spread over the nodes in proportion
 * to the nodes' {@code weight}.
 *
 * <ul>
 *   <li>A seizing campaign group's expected load is its size given on the command line ({@code --size NAME=N}:
 *       agents, ports or calls, any unit as long as it is the same for all), else 1 (a count of groups). An agent
 *       group's load is the sum of its seizing campaign groups' (its regular groups are balanced per request and do
 *       not count).</li>
 *   <li>Today's dialer node is the one the balancer uses now: the configured {@code sip-cluster-asm-dial-node} if it
 *       names a configured node, else the prime.</li>
 *   <li>The proposal is greedy, largest load first (ties by name): each agent group goes to the node whose load per
 *       unit of weight would be lowest with it; on a tie its current node keeps it (no needless move), then the
 *       earlier node in configured order.</li>
 * </ul>
 * Pure and deterministic: the same configuration and sizes give the same advice.
 */
final class AsmAdvisor {

    /** One agent group's advice. */
    record Assignment(String agentGroup, long load, NodeId today, NodeId proposed, String why) {
        boolean moves() {
            return !today.equals(proposed);
        }
    }

    /** The whole advice: one assignment per agent group (largest load first) and the load per node before and after. */
    record Advice(List<Assignment> assignments, Map<NodeId, Long> today, Map<NodeId, Long> proposed) {
    }

    private AsmAdvisor() {
    }

    /**
     * @param config a valid configuration
     * @param sizes  expected load by campaign group name; a seizing group not in it counts 1
     * @throws IllegalArgumentException naming a size given for no seizing campaign group of the configuration
     */
    static Advice advise(BalancerConfig config, Map<String, Integer> sizes) {
        ClusterTopology topology = config.topology();
        Map<String, Long> loads = new LinkedHashMap<>();
        Map<String, NodeId> current = new LinkedHashMap<>();
        for (CampaignGroup group : config.campaignGroups()) {
            if (!group.mode().isSeizing()) {
                continue;
            }
            loads.merge(group.agentGroup(), (long) sizes.getOrDefault(group.name(), 1), Long::sum);
            current.putIfAbsent(group.agentGroup(), dialerToday(group, topology));
        }
        for (String named : sizes.keySet()) {
            boolean seizing = config.campaignGroups().stream().anyMatch(group -> group.name().equals(named) && group.mode().isSeizing());
            if (!seizing) {
                throw new IllegalArgumentException("--size " + named + "=" + sizes.get(named) + ": expected the name of a seizing"
                        + " campaign group of the configuration (seizing groups: " + String.join(", ", config.campaignGroups().stream()
                        .filter(group -> group.mode().isSeizing()).map(CampaignGroup::name).toList()) + ")");
            }
        }
        Map<NodeId, Long> today = emptyLoads(topology);
        current.forEach((agentGroup, node) -> today.merge(node, loads.get(agentGroup), Long::sum));

        List<String> order = new ArrayList<>(loads.keySet());
        order.sort(Comparator.<String>comparingLong(loads::get).reversed().thenComparing(Comparator.naturalOrder()));
        Map<NodeId, Long> proposed = emptyLoads(topology);
        List<Assignment> assignments = new ArrayList<>();
        for (String agentGroup : order) {
            long load = loads.get(agentGroup);
            NodeId now = current.get(agentGroup);
            NodeId best = null;
            double bestShare = Double.MAX_VALUE;
            for (int i = 0; i < topology.size(); i++) {
                NodeId node = topology.node(i).id();
                double share = (double) (proposed.get(node) + load) / weight(config, i);
                if (share < bestShare - 1e-9 || (Math.abs(share - bestShare) <= 1e-9 && node.equals(now))) {
                    best = node;
                    bestShare = share;
                }
            }
            String why = why(config, proposed, load, best, now);
            proposed.merge(best, load, Long::sum);
            assignments.add(new Assignment(agentGroup, load, now, best, why));
        }
        return new Advice(assignments, today, proposed);
    }

    /** Why the group goes where it goes: its per-unit load there, next to what every other node would have had. */
    private static String why(BalancerConfig config, Map<NodeId, Long> proposed, long load, NodeId best, NodeId now) {
        List<String> others = new ArrayList<>();
        double chosen = 0;
        for (int i = 0; i < config.topology().size(); i++) {
            NodeId node = config.topology().node(i).id();
            double share = (double) (proposed.get(node) + load) / weight(config, i);
            if (node.equals(best)) {
                chosen = share;
            } else {
                others.add(String.format(Locale.ROOT, "%s: %.1f", node, share));
            }
        }
        String verdict = String.format(Locale.ROOT, "with its %d, node %s carries %.1f per unit of weight, the least", load, best, chosen);
        String rest = others.isEmpty() ? "" : " (" + String.join(", ", others) + ")";
        return (best.equals(now) ? "stays: " : "moves: ") + verdict + rest;
    }

    private static int weight(BalancerConfig config, int index) {
        return config.nodeOptions(index).weight();
    }

    private static Map<NodeId, Long> emptyLoads(ClusterTopology topology) {
        Map<NodeId, Long> loads = new LinkedHashMap<>();
        topology.nodes().forEach(node -> loads.put(node.id(), 0L));
        return loads;
    }

    /** The dialer node the balancer uses today for a seizing group. */
    private static NodeId dialerToday(CampaignGroup group, ClusterTopology topology) {
        Optional<NodeId> named = group.asmDialNode().filter(topology::contains);
        return named.orElse(topology.prime());
    }

    /** The advice as people read it, with the agent-groups block to paste. */
    static String describe(BalancerConfig config, Advice advice, boolean sized) {
        StringBuilder out = new StringBuilder("\nASM balance advice (sip-cluster-asm-dial-node per agent group):\n");
        if (advice.assignments().isEmpty()) {
            return out.append("  no seizing campaign group is configured: nothing to balance\n").toString();
        }
        out.append(sized ? "  expected load: the sizes given with --size (1 for a seizing group without one)\n"
                : "  expected load: 1 per seizing campaign group (give sizes with --size NAME=N)\n");
        out.append(String.format(Locale.ROOT, "  %-20s %6s %-8s %-9s %s%n", "agent group", "load", "today", "proposed", "why"));
        for (Assignment assignment : advice.assignments()) {
            out.append(String.format(Locale.ROOT, "  %-20s %6d %-8s %-9s %s%n", assignment.agentGroup(), assignment.load(),
                    assignment.today(), assignment.proposed(), assignment.why()));
        }
        out.append("\n  Expected load per node (weight):\n");
        out.append(String.format(Locale.ROOT, "  %-8s %6s %8s %9s%n", "node", "weight", "today", "proposed"));
        for (int i = 0; i < config.topology().size(); i++) {
            NodeId node = config.topology().node(i).id();
            out.append(String.format(Locale.ROOT, "  %-8s %6d %8d %9d%n", node, weight(config, i), advice.today().get(node),
                    advice.proposed().get(node)));
        }
        List<Assignment> moves = advice.assignments().stream().filter(Assignment::moves).toList();
        if (moves.isEmpty()) {
            out.append("\n  Today's assignment is already balanced: no change proposed.\n");
            return out.toString();
        }
        out.append("\n  To apply, set in the configuration (a reload applies it from the next request):\n  agent-groups {\n");
        for (Assignment move : moves) {
            out.append("    ").append(move.agentGroup()).append(" { sip-cluster-asm-dial-node = ").append(move.proposed()).append(" }\n");
        }
        return out.append("  }\n").toString();
    }
}
