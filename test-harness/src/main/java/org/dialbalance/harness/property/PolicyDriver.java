package org.dialbalance.harness.property;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.harness.model.ReferenceModel;

/**
 * Runs a case against a {@link BalancingPolicy} alone: the reference model keeps the links, every change
 * becomes a new {@link ClusterSnapshot}, and each request is routed on the snapshot of its step.
 */
public final class PolicyDriver {

    private PolicyDriver() {
    }

    /** The steps of one run. */
    public static List<Step> run(ClusterCase cluster, BalancingPolicy policy) {
        ClusterTopology topology = cluster.topology();
        ReferenceModel model = model(cluster, true);
        ClusterSnapshot snapshot = ClusterSnapshot.initial(topology);
        for (int i = 0; i < cluster.nodeCount(); i++) {
            snapshot = snapshot.with(status(model, i, topology));
        }
        List<Step> steps = new ArrayList<>();
        for (int index = 0; index < cluster.actions().size(); index++) {
            Action action = cluster.actions().get(index);
            ClusterSnapshot before = snapshot;
            if (action instanceof Action.Down down) {
                model.down(down.node(), down.role());
                snapshot = snapshot.with(status(model, down.node(), topology));
            } else if (action instanceof Action.Up up) {
                model.up(up.node(), up.role());
                snapshot = snapshot.with(status(model, up.node(), topology));
            }
            if (action instanceof Action.Dial || action instanceof Action.Engage || action instanceof Action.Faulty
                    || action instanceof Action.InFlight) {
                steps.add(route(index, action, before, request(cluster, action, index), policy));
            } else {
                steps.add(Step.link(index, action, before));
            }
        }
        return steps;
    }

    private static Step route(int index, Action action, ClusterSnapshot before, DialRequest request, BalancingPolicy policy) {
        Route route;
        try {
            route = policy.route(request, before);
        } catch (RuntimeException e) {
            return new Step(index, action, before, request.group(), -1, null, null, "the policy threw " + e);
        }
        if (route instanceof Route.Hold hold) {
            return new Step(index, action, before, request.group(), -1, null, hold.reason(), null);
        }
        if (route == null) {
            return new Step(index, action, before, request.group(), -1, null, null, "the policy returned null");
        }
        NodeId node = ((Route.To) route).node();
        int position = before.topology().indexOf(node);
        if (position < 0) {
            return new Step(index, action, before, request.group(), -1, null, null, "routed to unknown node " + node);
        }
        return new Step(index, action, before, request.group(), position, before.servingLink(node).orElse(null), null, null);
    }

    /** The request an action makes (a faulty dial is a predictive call like any); each carries its step number in user data. */
    static DialRequest request(ClusterCase cluster, Action action, int index) {
        int group = action instanceof Action.Engage engage ? engage.group() : action instanceof Action.Faulty faulty ? faulty.group()
                : action instanceof Action.InFlight inFlight ? inFlight.group() : ((Action.Dial) action).group();
        return request(cluster.group(group), action, index);
    }

    /** The request an action makes for a campaign group as configured (an engaging call, or a predictive call). */
    static DialRequest request(CampaignGroup group, Action action, int index) {
        Map<String, String> userData = Map.of("step", Integer.toString(index));
        if (action instanceof Action.Engage) {
            return new DialRequest.EngagingCall(group, "7100", "8000", userData, Map.of());
        }
        return new DialRequest.PredictiveCall(group, "7000", "555" + index, Duration.ofSeconds(20), userData, Map.of());
    }

    static ReferenceModel model(ClusterCase cluster, boolean balancing) {
        List<NodeId> ids = new ArrayList<>();
        for (NodeSpec spec : cluster.topology().nodes()) {
            ids.add(spec.id());
        }
        return new ReferenceModel(cluster.backups(), cluster.prime(), balancing, ids);
    }

    static NodeStatus status(ReferenceModel model, int node, ClusterTopology topology) {
        return new NodeStatus(topology.node(node).id(), model.isUp(node, org.dialbalance.api.LinkRole.PRIMARY),
                model.hasBackup(node) && model.isUp(node, org.dialbalance.api.LinkRole.BACKUP), Optional.ofNullable(model.serving(node)));
    }
}
