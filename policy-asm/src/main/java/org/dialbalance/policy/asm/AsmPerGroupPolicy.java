package org.dialbalance.policy.asm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;

/**
 * One dialer node per campaign group, for the seizing (ASM) modes: every request of a group, outbound
 * ({@code TMakePredictiveCall}) and engaging ({@code TMakeCall}) alike, goes to the node its agent group
 * names in {@code sip-cluster-asm-dial-node}; unset, or a DBID that is not a configured node, means the
 * prime node.
 *
 * <p>The dialer node comes from the configured campaign groups the policy was created with, looked up by
 * the request's group name, never from the request's {@link CampaignGroup} value: a group built in code
 * cannot pick its own node. A request of a group that is not configured is held with
 * {@link HoldReason#CAMPAIGN_GROUP_NOT_CONFIGURED} (the balancer refuses such requests before any policy).
 *
 * <p>Prime inactive ⇒ {@link HoldReason#PRIME_NODE_DOWN} for every group; dialer node inactive ⇒
 * {@link HoldReason#DIALER_NODE_DOWN} for that group only. Immutable after creation, so trivially
 * thread-safe; the dialing path is one map lookup and two array reads, without allocation, whatever the
 * number of groups.
 */
final class AsmPerGroupPolicy implements BalancingPolicy {

    private final Map<String, Integer> dialerByGroup;

    /** @param groups the configured campaign groups; the first of each name counts */
    AsmPerGroupPolicy(List<CampaignGroup> groups, ClusterTopology topology) {
        Map<String, Integer> byName = new HashMap<>();
        for (CampaignGroup group : groups) {
            byName.putIfAbsent(group.name(), dialerIndex(group, topology));
        }
        this.dialerByGroup = Map.copyOf(byName);
    }

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        Integer configured = dialerByGroup.get(request.group().name());
        if (configured == null) {
            return Route.hold(HoldReason.CAMPAIGN_GROUP_NOT_CONFIGURED, "campaign group '" + request.group().name()
                    + "' is not configured, so it has no dialer node");
        }
        int dialer = configured;
        ClusterTopology topology = snapshot.topology();
        if (!snapshot.isActive(dialer)) {
            return Route.hold(HoldReason.DIALER_NODE_DOWN, "dialer node " + topology.node(dialer).id()
                    + " of campaign group '" + request.group().name() + "' is inactive (primary and backup links down);"
                    + " the group dials again when it is back");
        }
        return topology.routeTo(dialer);
    }

    /** Position of the group's dialer node: its configured {@code sip-cluster-asm-dial-node}, else the prime. */
    static int dialerIndex(CampaignGroup group, ClusterTopology topology) {
        if (group.asmDialNode().isPresent()) {
            NodeId configured = group.asmDialNode().get();
            int index = topology.indexOf(configured);
            if (index >= 0) {
                return index;
            }
        }
        return topology.primeIndex();
    }
}
