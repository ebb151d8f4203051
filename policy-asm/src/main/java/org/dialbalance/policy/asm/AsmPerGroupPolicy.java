package org.dialbalance.policy.asm;

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
 * <p>Prime inactive ⇒ {@link HoldReason#PRIME_NODE_DOWN} for every group; dialer node inactive ⇒
 * {@link HoldReason#DIALER_NODE_DOWN} for that group only. Stateless, so trivially thread-safe; the
 * dialing path is two array reads and a map lookup, without allocation, whatever the number of groups.
 */
final class AsmPerGroupPolicy implements BalancingPolicy {

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        ClusterTopology topology = snapshot.topology();
        int dialer = dialerIndex(request.group(), topology);
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
