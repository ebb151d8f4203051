package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.ReconfigureResult;
import org.junit.jupiter.api.Test;

/**
 * Load-aware balancing across a reload: a kept node keeps its calls in progress and takes its new {@code max-calls}
 * live, an added node starts idle, a removed node goes on counting until it has drained, and the policies of the new
 * configuration see the loads by the new configured order.
 */
class LoadAwareReloadTest {

    private static final CampaignGroup GROUP = regular("g");

    @Test
    void loadsSurviveAReloadAndAreReboundToTheNewOrder() {
        LoadAwareRuleTest.FeedbackPolicy probe = new LoadAwareRuleTest.FeedbackPolicy();
        try (OperatedCluster cluster = OperatedCluster.startWithPolicy(config(3).lbMode("feedback")
                .nodeMaxCalls(node(101), 2).nodeMaxCalls(node(102), 2).nodeMaxCalls(node(103), 2), probe)) {
            DialOutcome.Dialed on101 = dialOn(cluster, probe, 0);
            DialOutcome.Dialed on102 = dialOn(cluster, probe, 1);
            dialOn(cluster, probe, 2);

            // 102 removed, 104 added, order 103, 101, 104; 101's max-calls lowered to its load
            BalancerConfig next = reordered().lbMode("feedback").nodeMaxCalls(node(101), 1).nodeMaxCalls(node(103), 2).build();
            ReconfigureResult result = cluster.balancer.reconfigure(next);
            assertThat(result).isInstanceOf(ReconfigureResult.Applied.class);
            assertThat(((ReconfigureResult.Applied) result).diff().changes()).extracting(change -> change.description())
                    .anySatisfy(line -> assertThat(line).startsWith("node 101 max-calls 2 -> 1"));

            assertThat(cluster.balancer.callsInProgress(node(101))).as("kept node keeps its count").isEqualTo(1);
            assertThat(cluster.balancer.callsInProgress(node(103))).isEqualTo(1);
            assertThat(cluster.balancer.callsInProgress(node(104))).as("added node starts idle").isZero();
            PolicyContext context = probe.context.get();
            assertThat(context.topology().node(0).id()).isEqualTo(node(103));
            assertThat(new int[] {context.nodeLoad().callsInProgress(0), context.nodeLoad().callsInProgress(1),
                    context.nodeLoad().callsInProgress(2)}).as("loads by the new order").containsExactly(1, 1, 0);
            assertThat(context.nodeOptions(1).maxCalls()).isEqualTo(1);

            probe.target.set(1);
            DialOutcome full = cluster.dialNow(predictive(GROUP, 10));
            assertThat(full).as("the lowered cap applies at once").isInstanceOfSatisfying(DialOutcome.Held.class,
                    held -> assertThat(held.reason()).isEqualTo(HoldReason.NODE_AT_CAPACITY));
            assertThat(dialOn(cluster, probe, 2).node()).isEqualTo(node(104));

            assertThat(cluster.events(ClusterEvent.DrainStarted.class)).extracting(ClusterEvent.DrainStarted::node)
                    .containsExactly(node(102));
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).as("102's call still counts").isEmpty();
            probe.fates.clear();
            cluster.release(on102);
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).extracting(ClusterEvent.DrainFinished::node)
                    .containsExactly(node(102));
            cluster.release(on101);
            assertThat(cluster.balancer.callsInProgress(node(101))).isZero();
            assertThat(probe.fates).as("released by the new index; none for the node that left").containsExactly("released 1");
            assertThat(dialOn(cluster, probe, 1).node()).as("101 has room again").isEqualTo(node(101));
        }
    }

    /** Nodes 103, 101 (as configured by {@code config(3)}) and a new 104, prime 101. */
    private static BalancerConfig.Builder reordered() {
        BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(node(101))
                .reconnectTimeout(InMemoryCluster.RECONNECT).requestTimeout(InMemoryCluster.REQUEST_TIMEOUT);
        for (int dbid : new int[] {103, 101, 104}) {
            builder.node(NodeSpec.of(node(dbid), "node-" + dbid, new Endpoint("sip" + dbid + "a.test", 5000, PortKind.TC_PORT),
                    new Endpoint("sip" + dbid + "b.test", 5000, PortKind.SMART_PROXY)));
        }
        return builder;
    }

    private static DialOutcome.Dialed dialOn(OperatedCluster cluster, LoadAwareRuleTest.FeedbackPolicy probe, int index) {
        probe.target.set(index);
        return cluster.dialed(predictive(GROUP, 100 + index));
    }
}
