package org.dialbalance.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.harness.RecordingPolicyContext;

/**
 * Clusters, snapshots, campaign groups and requests the benchmarks share. Nodes are DBIDs 101, 102, …
 * in configured order; node 101 is the prime. Everything returned is immutable or freshly built.
 */
public final class Fixtures {

    /** The DBID of the first node, which is also the prime. */
    public static final int FIRST_DBID = 101;

    private Fixtures() {
    }

    /** {@code count} nodes 101.. without backups, prime 101. */
    public static ClusterTopology topology(int count) {
        List<NodeSpec> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int dbid = FIRST_DBID + i;
            nodes.add(NodeSpec.of(NodeId.of(dbid), "SIP_Node_" + dbid, new Endpoint("10.0.0." + (i % 250 + 1),
                    5000 + i, PortKind.TC_PORT)));
        }
        return new ClusterTopology(nodes, NodeId.of(FIRST_DBID));
    }

    /** The status of a node whose primary link is up and serves it. */
    public static NodeStatus primaryUp(NodeId node) {
        return new NodeStatus(node, true, false, Optional.of(LinkRole.PRIMARY));
    }

    /** A snapshot of {@code topology} in which every node is active through its primary link. */
    public static ClusterSnapshot allActive(ClusterTopology topology) {
        ClusterSnapshot snapshot = ClusterSnapshot.initial(topology);
        for (NodeSpec node : topology.nodes()) {
            snapshot = snapshot.with(primaryUp(node.id()));
        }
        return snapshot;
    }

    /** A regular (predictive) campaign group. */
    public static CampaignGroup regularGroup() {
        return CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");
    }

    /** A predictive call of a group, without user data. */
    public static DialRequest.PredictiveCall call(CampaignGroup group, int sequence) {
        return DialRequest.PredictiveCall.of(group, "7000", "555" + sequence, Duration.ofSeconds(25));
    }

    /** A predictive call of a group with a little user data, as a dialer sends them. */
    public static DialRequest.PredictiveCall callWithUserData(CampaignGroup group, int sequence) {
        return new DialRequest.PredictiveCall(group, "7000", "555" + sequence, Duration.ofSeconds(25),
                Map.of("GSW_RECORD_HANDLE", Integer.toString(sequence)), Map.of());
    }

    /**
     * {@code count} seizing (ASM) campaign groups over a topology: group {@code i} names node
     * {@code i mod nodes} as its {@code sip-cluster-asm-dial-node}, except every tenth group, which names
     * none and so dials on the prime (the documented fallback).
     */
    public static List<CampaignGroup> seizingGroups(int count, ClusterTopology topology) {
        List<CampaignGroup> groups = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = "Campaign_" + i;
            String agentGroup = "AG_" + i;
            DialingMode mode = i % 2 == 0 ? DialingMode.PREDICTIVE_SEIZING : DialingMode.PROGRESSIVE_SEIZING;
            groups.add(i % 10 == 9 ? CampaignGroup.of(name, mode, agentGroup)
                    : CampaignGroup.of(name, mode, agentGroup, topology.node(i % topology.size()).id()));
        }
        return groups;
    }

    /**
     * Creates a policy the way the balancer does: through its provider, with a {@link RecordingPolicyContext}.
     *
     * @throws IllegalStateException if the provider refuses the context
     */
    public static BalancingPolicy policy(BalancingPolicyProvider provider, ClusterTopology topology, List<CampaignGroup> groups) {
        ConfigResult<BalancingPolicy> result = provider.create(new RecordingPolicyContext(topology, groups, Map.of()));
        if (result instanceof ConfigResult.Valid<BalancingPolicy> valid) {
            return valid.value();
        }
        throw new IllegalStateException(provider.name() + " refused the benchmark's context: " + result);
    }
}
