package org.dialbalance.harness.property;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.harness.model.ReferenceModel;

/**
 * One generated test case: a cluster (nodes 101, 102, ... in order, some with a backup, one prime), its
 * campaign groups, and a sequence of actions. Every node starts with its links up.
 *
 * @param backups whether each node has a backup application; its length is the node count (1..8)
 * @param prime   position of the prime node
 * @param groups  the campaign groups
 * @param actions the steps
 */
public record ClusterCase(List<Boolean> backups, int prime, List<GroupSpec> groups, List<Action> actions) {

    /** How a seizing group names its dialer node. */
    public enum Dialer {
        /** {@code sip-cluster-asm-dial-node} names a configured node. */
        VALID,
        /** The option is not set: the prime dials. */
        UNSET,
        /** The option names a DBID that is not configured: the prime dials. */
        UNKNOWN
    }

    /**
     * A campaign group of the case.
     *
     * @param mode       its dialing mode
     * @param dialer     for seizing modes, how its dialer node is named
     * @param dialerNode for {@link Dialer#VALID}, the position of its dialer node
     */
    public record GroupSpec(DialingMode mode, Dialer dialer, int dialerNode) {
    }

    /** Copies the lists. */
    public ClusterCase {
        backups = List.copyOf(backups);
        groups = List.copyOf(groups);
        actions = List.copyOf(actions);
    }

    /** How many nodes. */
    public int nodeCount() {
        return backups.size();
    }

    /** The DBID of the node at a position. */
    public static NodeId dbid(int position) {
        return NodeId.of(101 + position);
    }

    /** The DBID that an UNKNOWN dialer names: configured by no case. */
    public static NodeId unknownDbid() {
        return NodeId.of(999);
    }

    /** The cluster as the api describes it. */
    public ClusterTopology topology() {
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 0; i < backups.size(); i++) {
            nodes.add(spec(i));
        }
        return new ClusterTopology(nodes, dbid(prime));
    }

    /**
     * Every node a run can meet: the case's nodes, then the one {@link ConfigVariant#ADD_NODE} adds (position
     * {@link #nodeCount()}, with a backup), in that order.
     */
    public List<NodeId> universe() {
        List<NodeId> all = new ArrayList<>();
        for (int i = 0; i <= backups.size(); i++) {
            all.add(dbid(i));
        }
        return all;
    }

    /** Whether each node of the {@link #universe()} has a backup. */
    public List<Boolean> universeBackups() {
        List<Boolean> all = new ArrayList<>(backups);
        all.add(true);
        return all;
    }

    /** The node at a position of the {@link #universe()}: its primary (and backup) endpoints never change. */
    public NodeSpec spec(int position) {
        Endpoint primary = new Endpoint("node" + position + "a.test", 5000, PortKind.TC_PORT);
        return universeBackups().get(position)
                ? NodeSpec.of(dbid(position), "node-" + dbid(position), primary, new Endpoint("node" + position + "b.test", 5000, PortKind.TC_PORT))
                : NodeSpec.of(dbid(position), "node-" + dbid(position), primary);
    }

    /**
     * A configuration a reload can bring, as the reference model reads it: which nodes of the {@link #universe()} in
     * which order, the prime, the campaign groups (a seizing group's {@code sip-cluster-asm-dial-node} may differ from
     * the case's), {@code reconnect-timeout}, and for an invalid one the option a balancer must refuse it for.
     *
     * @param base the {@code reconnect-timeout} the case runs with
     */
    public ReferenceModel.Configuration configuration(ConfigVariant variant, Duration base) {
        int count = nodeCount();
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(i);
        }
        if (!variant.appliesTo(count)) {
            throw new IllegalArgumentException(variant + " needs two nodes; this case has " + count);
        }
        int newPrime = prime;
        List<CampaignGroup> groupsNow = campaignGroups();
        Duration reconnect = base;
        String refusal = null;
        switch (variant) {
            case BASE -> { }
            case ADD_NODE -> nodes.add(count);
            case REMOVE_NODE -> nodes.remove(Integer.valueOf((prime + count - 1) % count));
            case CHANGE_PRIME -> newPrime = (prime + 1) % count;
            case MOVE_ASM_DIALER -> {
                groupsNow = new ArrayList<>();
                for (int i = 0; i < groups.size(); i++) {
                    GroupSpec spec = groups.get(i);
                    CampaignGroup group = group(i);
                    if (spec.mode().isSeizing() && spec.dialer() != Dialer.UNSET) {
                        int moved = spec.dialer() == Dialer.VALID ? (spec.dialerNode() + 1) % count : 0;
                        group = new CampaignGroup(group.name(), group.mode(), group.agentGroup(), Optional.of(dbid(moved)));
                    }
                    groupsNow.add(group);
                }
            }
            case RECONNECT_TIMEOUT -> reconnect = base.dividedBy(2);
            case INVALID_POLICY -> {
                nodes.add(count);
                refusal = "sip-cluster-lb-mode";
            }
            case INVALID_RESTART_ONLY -> {
                nodes.add(count);
                refusal = "request-timeout";
            }
            default -> throw new IllegalStateException("unknown variant " + variant);
        }
        return new ReferenceModel.Configuration(nodes, newPrime, groupsNow, reconnect, refusal);
    }

    /** The campaign group at a position. */
    public CampaignGroup group(int position) {
        GroupSpec spec = groups.get(position);
        Optional<NodeId> dialNode = switch (spec.dialer()) {
            case VALID -> Optional.of(dbid(spec.dialerNode()));
            case UNKNOWN -> Optional.of(unknownDbid());
            case UNSET -> Optional.empty();
        };
        return new CampaignGroup("group-" + position, spec.mode(), "AG-" + position, spec.mode().isSeizing() ? dialNode : Optional.empty());
    }

    /** Every campaign group. */
    public List<CampaignGroup> campaignGroups() {
        List<CampaignGroup> all = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            all.add(group(i));
        }
        return all;
    }

    /** The same cluster with other actions. */
    public ClusterCase withActions(List<Action> other) {
        return new ClusterCase(backups, prime, groups, other);
    }

    /** The cluster and groups in one line, for reports. */
    public String describeCluster() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < backups.size(); i++) {
            text.append(i == 0 ? "" : ", ").append('#').append(i).append('=').append(dbid(i))
                    .append(backups.get(i) ? " (primary+backup)" : " (primary only)").append(i == prime ? " PRIME" : "");
        }
        text.append("; groups: ");
        for (int i = 0; i < groups.size(); i++) {
            GroupSpec spec = groups.get(i);
            text.append(i == 0 ? "" : ", ").append(i).append('=').append(spec.mode().configName());
            if (spec.mode().isSeizing()) {
                text.append(switch (spec.dialer()) {
                    case VALID -> " dialer #" + spec.dialerNode();
                    case UNSET -> " dialer unset";
                    case UNKNOWN -> " dialer 999 (unknown)";
                });
            }
        }
        boolean operated = actions.stream().anyMatch(action -> action instanceof Action.Reconfigure || action instanceof Action.Drain
                || action instanceof Action.Enable);
        if (operated) {
            text.append("; a reload may add #").append(nodeCount()).append('=').append(dbid(nodeCount())).append(" (primary+backup)");
        }
        return text.toString();
    }
}
