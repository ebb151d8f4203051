package org.dialbalance.harness.property;

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
            Endpoint primary = new Endpoint("node" + i + "a.test", 5000, PortKind.TC_PORT);
            nodes.add(backups.get(i)
                    ? NodeSpec.of(dbid(i), "node-" + dbid(i), primary, new Endpoint("node" + i + "b.test", 5000, PortKind.TC_PORT))
                    : NodeSpec.of(dbid(i), "node-" + dbid(i), primary));
        }
        return new ClusterTopology(nodes, dbid(prime));
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
        return text.toString();
    }
}
