package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.api.policy.RoutingFeedback;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.junit.jupiter.api.Test;

/** Load-aware balancing end to end: max-calls enforced by the dispatcher for every policy, and what policies see. */
class LoadAwareRuleTest {

    @Test
    void maxCallsIsNeverExceededEvenByRoundRobinAndAllFullIsHeld() {
        try (OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin")
                .nodeMaxCalls(node(101), 1).nodeMaxCalls(node(102), 2))) {
            CampaignGroup group = regular("g");
            DialOutcome.Dialed first = cluster.dialed(predictive(group, 0));
            assertThat(first.node()).isEqualTo(node(101));
            assertThat(cluster.dialed(predictive(group, 1)).node()).isEqualTo(node(102));
            DialOutcome.Dialed third = cluster.dialed(predictive(group, 2));
            assertThat(third.node()).as("101 is full: routed once more, to 102").isEqualTo(node(102));
            assertThat(third.routeAttempts()).isEqualTo(2);

            DialOutcome full = cluster.dialNow(predictive(group, 3));
            assertThat(full).isInstanceOfSatisfying(DialOutcome.Held.class,
                    held -> assertThat(held.reason()).isEqualTo(HoldReason.CLUSTER_AT_CAPACITY));
            assertThat(cluster.balancer.callsInProgress(node(101))).isEqualTo(1);
            assertThat(cluster.balancer.callsInProgress(node(102))).isEqualTo(2);

            cluster.release(first);
            assertThat(cluster.dialed(predictive(group, 4)).node()).isEqualTo(node(101));
        }
    }

    @Test
    void aPolicySeesLoadsTheClockAndTheFateOfWhatItRouted() {
        FeedbackPolicy provider = new FeedbackPolicy();
        try (OperatedCluster cluster = OperatedCluster.startWithPolicy(config(2).lbMode("feedback"), provider)) {
            CampaignGroup group = regular("g");
            DialOutcome.Dialed dialed = cluster.dialed(predictive(group, 0));
            PolicyContext context = provider.context.get();
            assertThat(context.nodeLoad().callsInProgress(0)).isEqualTo(1);
            assertThat(context.nodeLoad().requestsAwaitingReply(0)).isZero();
            cluster.clock.advance(Duration.ofSeconds(7));
            assertThat(context.nanoTime()).isEqualTo(cluster.clock.nanoTime());

            cluster.transport.replyMode(node(101), InMemoryTransport.ReplyMode.REJECT);
            assertThat(cluster.dialNow(predictive(group, 1))).isInstanceOf(DialOutcome.Failed.class);
            cluster.release(dialed);
            assertThat(context.nodeLoad().callsInProgress(0)).isZero();

            assertThat(provider.fates).containsExactly("dialed 0", "failed 0 " + FailureReason.REJECTED, "released 0");
        }
    }

    @Test
    void aRouteToAFullNodeIsReportedNotSentAndAPolicyThatInsistsIsHeldNodeAtCapacity() {
        FeedbackPolicy provider = new FeedbackPolicy();     // always node 101, position 0
        try (OperatedCluster cluster = OperatedCluster.startWithPolicy(config(2).lbMode("feedback")
                .nodeMaxCalls(node(101), 1), provider)) {
            CampaignGroup group = regular("g");
            cluster.dialed(predictive(group, 0));

            DialOutcome second = cluster.dialNow(predictive(group, 1));
            assertThat(second).isInstanceOfSatisfying(DialOutcome.Held.class, held -> {
                assertThat(held.reason()).as("102 has room: the policy, not the cluster, is full").isEqualTo(HoldReason.NODE_AT_CAPACITY);
                assertThat(held.detail()).contains("node 101");
            });
            assertThat(cluster.transport.sent()).hasSize(1);
            assertThat(provider.fates).as("each of the two routes to the full node has its fate")
                    .containsExactly("dialed 0", "failed 0 " + FailureReason.NOT_SENT, "failed 0 " + FailureReason.NOT_SENT);
        }
    }

    /** Routes to the position in {@code target} (node 101, position 0, unless set), recording its context and every callback. */
    static final class FeedbackPolicy implements BalancingPolicyProvider {
        final AtomicReference<PolicyContext> context = new AtomicReference<>();
        final java.util.concurrent.atomic.AtomicInteger target = new java.util.concurrent.atomic.AtomicInteger();
        final List<String> fates = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "feedback";
        }

        @Override
        public ConfigResult<BalancingPolicy> create(PolicyContext value) {
            context.set(value);
            return ConfigResult.valid(new Policy());
        }

        final class Policy implements BalancingPolicy, RoutingFeedback {
            @Override
            public Route route(DialRequest request, ClusterSnapshot snapshot) {
                return snapshot.topology().routeTo(target.get());
            }

            @Override
            public void dialed(DialRequest request, int nodeIndex) {
                fates.add("dialed " + nodeIndex);
            }

            @Override
            public void failed(DialRequest request, int nodeIndex, FailureReason reason) {
                fates.add("failed " + nodeIndex + " " + reason);
            }

            @Override
            public void released(int nodeIndex) {
                fates.add("released " + nodeIndex);
            }
        }
    }
}
