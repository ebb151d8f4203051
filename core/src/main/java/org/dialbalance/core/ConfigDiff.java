package org.dialbalance.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.policy.NodeOptions;

/**
 * What changes from one configuration to another, one {@link Change} per line, in a fixed order: nodes (removed,
 * added, endpoints changed, renamed, weight and max-calls, order), the prime, {@code sip-cluster-lb-mode}, {@code asm-policy}, policy
 * options, agent groups' {@code sip-cluster-asm-dial-node}, campaign groups, {@code monitored-dns}, timeouts, then
 * the options a running balancer cannot change.
 *
 * <p>{@link DialBalancer#reconfigure(BalancerConfig)} applies the changes that {@link Change#live()} says it can and
 * refuses a reload with any other; {@code dialbalance diff OLD NEW} prints the same lines without applying anything.
 * Immutable.
 */
public final class ConfigDiff {

    /**
     * One change.
     *
     * @param option      the option it concerns, as in the file ({@code nodes}, {@code sip-cluster-prime-node}, ...)
     * @param description what changes and what applying it does, one line
     * @param live        whether a running balancer applies it; {@code false}: only a restart does (a reload with it
     *                    is refused)
     */
    public record Change(String option, String description, boolean live) {
        /** Requires every field. */
        public Change {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(description, "description");
        }

        /** The line {@code dialbalance diff} prints for it. */
        @Override
        public String toString() {
            return live ? description : description + " (restart required: a running balancer refuses this reload)";
        }
    }

    private final List<Change> changes;

    private ConfigDiff(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    /** The changes from {@code before} to {@code after}. */
    public static ConfigDiff between(BalancerConfig before, BalancerConfig after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        List<Change> changes = new ArrayList<>();
        nodes(before, after, changes);
        if (!before.topology().prime().equals(after.topology().prime())) {
            changes.add(new Change("sip-cluster-prime-node", "sip-cluster-prime-node " + before.topology().prime() + " -> "
                    + after.topology().prime() + ": DN registrations move to the new prime's serving link", true));
        }
        if (!before.lbMode().equals(after.lbMode())) {
            changes.add(new Change("sip-cluster-lb-mode", "sip-cluster-lb-mode " + before.lbMode().orElse("(unset)") + " -> "
                    + after.lbMode().orElse("(unset)") + ": regular modes are routed by the new policy from the next request",
                    true));
        }
        live(changes, "asm-policy", before.asmPolicy(), after.asmPolicy(), "seizing groups are routed by it from the next request");
        blocks(changes, "policy-options", before.allPolicyOptions(), after.allPolicyOptions(), true);
        agentGroups(before, after, changes);
        campaignGroups(before, after, changes);
        monitoredDns(before, after, changes);
        live(changes, "reconnect-timeout", before.reconnectTimeout(), after.reconnectTimeout(),
                "the next retry of a lost link waits the new value");
        restart(changes, "request-timeout", before.requestTimeout(), after.requestTimeout());
        restart(changes, "connect-timeout", before.connectTimeout(), after.connectTimeout());
        restart(changes, "addp-timeout", before.addpTimeout(), after.addpTimeout());
        restart(changes, "addp-remote-timeout", before.addpRemoteTimeout(), after.addpRemoteTimeout());
        restart(changes, "addp-trace", before.addpTrace().name().toLowerCase(java.util.Locale.ROOT),
                after.addpTrace().name().toLowerCase(java.util.Locale.ROOT));
        restart(changes, "max-pending-requests", before.maxPendingRequests(), after.maxPendingRequests());
        restart(changes, "max-calls-in-progress", before.maxCallsInProgress(), after.maxCallsInProgress());
        restart(changes, "application-name", before.applicationName(), after.applicationName());
        restart(changes, "transport", before.transport(), after.transport());
        restart(changes, "node-registry", before.nodeRegistry(), after.nodeRegistry());
        blocks(changes, "transport-options", before.allTransportOptions(), after.allTransportOptions(), false);
        restart(changes, "coordination", before.coordination().orElse("(unset)"), after.coordination().orElse("(unset)"));
        blocks(changes, "coordination-options", before.allCoordinationOptions(), after.allCoordinationOptions(), false);
        return new ConfigDiff(changes);
    }

    /** Every change, in the order described above. */
    public List<Change> changes() {
        return changes;
    }

    /** Whether the two configurations are equivalent. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The changes a running balancer cannot apply. */
    public List<Change> restartRequired() {
        return changes.stream().filter(change -> !change.live()).toList();
    }

    /** Every change's description, {@code "; "} between them, or {@code "no change"}. */
    public String summary() {
        return changes.isEmpty() ? "no change"
                : changes.stream().map(Change::description).collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
        return summary();
    }

    private static void nodes(BalancerConfig before, BalancerConfig after, List<Change> changes) {
        Map<NodeId, NodeSpec> old = byId(before.topology().nodes());
        Map<NodeId, NodeSpec> next = byId(after.topology().nodes());
        old.forEach((id, spec) -> {
            if (!next.containsKey(id)) {
                changes.add(new Change("nodes", "node " + id + " removed: it drains (no new request; requests awaiting replies"
                        + " and calls in progress finish), then its links close", true));
            }
        });
        next.forEach((id, spec) -> {
            if (!old.containsKey(id)) {
                changes.add(new Change("nodes", "node " + id + " added: primary " + spec.primary()
                        + spec.backup().map(backup -> ", backup " + backup).orElse("") + "; it is used once a link is up", true));
            }
        });
        next.forEach((id, spec) -> {
            NodeSpec was = old.get(id);
            if (was == null) {
                return;
            }
            List<String> moved = new ArrayList<>();
            if (!was.primary().equals(spec.primary())) {
                moved.add("primary " + was.primary() + " -> " + spec.primary());
            }
            if (!was.backup().equals(spec.backup())) {
                moved.add("backup " + was.backup().map(Endpoint::toString).orElse("(none)") + " -> "
                        + spec.backup().map(Endpoint::toString).orElse("(none)"));
            }
            if (!moved.isEmpty()) {
                changes.add(new Change("nodes", "node " + id + " endpoints changed (" + String.join(", ", moved)
                        + "): removed and added, its old links drain and new ones connect", true));
            }
            if (!was.name().equals(spec.name())) {
                changes.add(new Change("nodes", "node " + id + " renamed " + was.name() + " -> " + spec.name(), true));
            }
            NodeOptions optionsBefore = before.nodeOptions(before.topology().indexOf(id));
            NodeOptions optionsAfter = after.nodeOptions(after.topology().indexOf(id));
            if (optionsBefore.weight() != optionsAfter.weight()) {
                changes.add(new Change("nodes", "node " + id + " weight " + optionsBefore.weight() + " -> " + optionsAfter.weight()
                        + ": weighted policies take it from the next request", true));
            }
            if (optionsBefore.maxCalls() != optionsAfter.maxCalls()) {
                changes.add(new Change("nodes", "node " + id + " max-calls " + maxCalls(optionsBefore) + " -> "
                        + maxCalls(optionsAfter) + ": applies to the next request; calls in progress go on", true));
            }
        });
        List<NodeId> oldOrder = before.topology().nodes().stream().map(NodeSpec::id).filter(next::containsKey).toList();
        List<NodeId> newOrder = after.topology().nodes().stream().map(NodeSpec::id).filter(old::containsKey).toList();
        if (!oldOrder.equals(newOrder)) {
            changes.add(new Change("nodes", "round-robin order of the kept nodes " + ids(oldOrder) + " -> " + ids(newOrder)
                    + ": the rotation goes on after the node it last chose", true));
        }
    }

    private static String maxCalls(NodeOptions options) {
        return options.capped() ? Integer.toString(options.maxCalls()) : "(unlimited)";
    }

    private static void agentGroups(BalancerConfig before, BalancerConfig after, List<Change> changes) {
        Map<String, Optional<NodeId>> old = dialNodes(before.campaignGroups());
        Map<String, Optional<NodeId>> next = dialNodes(after.campaignGroups());
        next.forEach((agentGroup, node) -> {
            Optional<NodeId> was = old.get(agentGroup);
            if (was != null && !was.equals(node)) {
                changes.add(new Change("agent-groups." + agentGroup + ".sip-cluster-asm-dial-node", "agent group " + agentGroup
                        + " sip-cluster-asm-dial-node " + was.map(NodeId::toString).orElse("(unset)") + " -> "
                        + node.map(NodeId::toString).orElse("(unset)") + ": its seizing groups dial there from the next request",
                        true));
            }
        });
    }

    /** The dialer node of each agent group that has a seizing campaign group. */
    private static Map<String, Optional<NodeId>> dialNodes(List<CampaignGroup> groups) {
        Map<String, Optional<NodeId>> nodes = new LinkedHashMap<>();
        groups.stream().filter(group -> group.mode().isSeizing())
                .forEach(group -> nodes.putIfAbsent(group.agentGroup(), group.asmDialNode()));
        return nodes;
    }

    private static void campaignGroups(BalancerConfig before, BalancerConfig after, List<Change> changes) {
        Map<String, CampaignGroup> old = byName(before.campaignGroups());
        Map<String, CampaignGroup> next = byName(after.campaignGroups());
        old.forEach((name, group) -> {
            if (!next.containsKey(name)) {
                changes.add(new Change("campaign-groups", "campaign group " + name + " removed", true));
            }
        });
        next.forEach((name, group) -> {
            CampaignGroup was = old.get(name);
            if (was == null) {
                changes.add(new Change("campaign-groups", "campaign group " + name + " added (agent group " + group.agentGroup()
                        + ", " + group.mode().configName() + ")", true));
            } else if (!was.mode().equals(group.mode()) || !was.agentGroup().equals(group.agentGroup())) {
                changes.add(new Change("campaign-groups", "campaign group " + name + " changed: agent group " + was.agentGroup()
                        + ", " + was.mode().configName() + " -> agent group " + group.agentGroup() + ", "
                        + group.mode().configName(), true));
            }
        });
    }

    private static void monitoredDns(BalancerConfig before, BalancerConfig after, List<Change> changes) {
        Set<String> added = new LinkedHashSet<>(after.monitoredDns());
        added.removeAll(before.monitoredDns());
        Set<String> removed = new LinkedHashSet<>(before.monitoredDns());
        removed.removeAll(after.monitoredDns());
        if (!added.isEmpty()) {
            changes.add(new Change("monitored-dns", "monitored-dns added " + String.join(", ", added)
                    + ": registered on the prime's serving link", true));
        }
        if (!removed.isEmpty()) {
            changes.add(new Change("monitored-dns", "monitored-dns removed " + String.join(", ", removed)
                    + ": not registered again on the prime's later serving links", true));
        }
    }

    private static void live(List<Change> changes, String option, Object before, Object after, String effect) {
        if (!before.equals(after)) {
            changes.add(new Change(option, option + " " + show(before) + " -> " + show(after) + ": " + effect, true));
        }
    }

    private static void restart(List<Change> changes, String option, Object before, Object after) {
        if (!before.equals(after)) {
            changes.add(new Change(option, option + " " + show(before) + " -> " + show(after), false));
        }
    }

    /** Option blocks by plugin name; values are never shown (they may be passwords), only which keys changed. */
    private static void blocks(List<Change> changes, String option, Map<String, Map<String, String>> before,
                               Map<String, Map<String, String>> after, boolean live) {
        Set<String> names = new LinkedHashSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            Map<String, String> was = before.getOrDefault(name, Map.of());
            Map<String, String> now = after.getOrDefault(name, Map.of());
            if (was.equals(now)) {
                continue;
            }
            Set<String> keys = new java.util.TreeSet<>(was.keySet());
            keys.addAll(now.keySet());
            keys.removeIf(key -> Objects.equals(was.get(key), now.get(key)));
            String description = option + "." + name + " changed: " + String.join(", ", keys)
                    + (live ? ": its policy is created anew with them" : "");
            changes.add(new Change(option + "." + name, description, live));
        }
    }

    private static String show(Object value) {
        return value instanceof Duration duration ? HoconConfigReader.describe(duration) : String.valueOf(value);
    }

    private static String ids(List<NodeId> ids) {
        return ids.stream().map(NodeId::toString).collect(Collectors.joining(","));
    }

    private static Map<NodeId, NodeSpec> byId(List<NodeSpec> nodes) {
        return nodes.stream().collect(Collectors.toMap(NodeSpec::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    private static Map<String, CampaignGroup> byName(List<CampaignGroup> groups) {
        return groups.stream().collect(Collectors.toMap(CampaignGroup::name, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
    }
}
