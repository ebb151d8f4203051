package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.junit.jupiter.api.Test;

/**
 * Operating: draining a node takes it out of the rotation without cutting anything short, and enabling it puts it
 * back from the next round.
 */
class DrainRuleTest {

    @Test
    void noRequestGoesToADrainingNodeAfterDrainReturnsWhileItsLinksStayUp() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            cluster.dialed(predictive(group, 0));
            cluster.transport.clearRecords();

            cluster.balancer.drain(node(102));

            ClusterSnapshot snapshot = cluster.balancer.snapshot();
            assertThat(snapshot.isDraining(node(102))).isTrue();
            assertThat(snapshot.isActive(node(102))).as("not eligible for routing").isFalse();
            assertThat(snapshot.activeNodes()).containsExactly(node(101), node(103));
            assertThat(snapshot.status(node(102)).isActive()).as("its links' truth is kept").isTrue();
            assertThat(snapshot.servingLink(node(102))).contains(LinkRole.PRIMARY);
            assertThat(cluster.events(ClusterEvent.DrainStarted.class))
                    .containsExactly(new ClusterEvent.DrainStarted(snapshot.version(), node(102)));

            List<Integer> nodes = dialMany(cluster, group, 40);
            assertThat(nodes).containsOnly(101, 103);
            assertThat(cluster.transport.sent()).noneMatch(sent -> sent.node().equals(node(102)));
        }
    }

    @Test
    void roundRobinStaysFairOverTheNodesThatRemain() {
        try (OperatedCluster cluster = OperatedCluster.start(config(4).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            dialMany(cluster, group, 5);

            cluster.balancer.drain(node(103));

            Map<Integer, Integer> counts = new TreeMap<>();
            for (int i = 0; i < 301; i++) {
                int dbid = cluster.dialed(predictive(group, i)).node().dbid();
                counts.merge(dbid, 1, Integer::sum);
                assertThat(counts.keySet()).doesNotContain(103);
                int max = counts.values().stream().max(Integer::compare).orElseThrow();
                int min = counts.size() < 3 ? 0 : counts.values().stream().min(Integer::compare).orElseThrow();
                assertThat(max - min).as("counts per node after request %d: %s", i, counts).isLessThanOrEqualTo(1);
            }
            assertThat(counts).containsOnlyKeys(101, 102, 104);
        }
    }

    @Test
    void aNodeWithNothingInProgressFinishesDrainingAtOnce() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            cluster.events.clear();

            cluster.balancer.drain(node(103));

            long version = cluster.balancer.snapshot().version();
            assertThat(cluster.events).containsExactly(new ClusterEvent.DrainStarted(version, node(103)),
                    new ClusterEvent.DrainFinished(version, node(103)));
            assertThat(cluster.balancer.health().node(node(103)).orElseThrow().drained()).isTrue();
        }
    }

    @Test
    void requestsAndCallsInProgressFinishAndDrainFinishedFollowsTheLastCallsEventReleased() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            DialOutcome.Dialed callOn102 = cluster.dialed(predictive(group, 0));        // 101
            callOn102 = cluster.dialed(predictive(group, 1));                            // 102: a call in progress
            assertThat(callOn102.node()).isEqualTo(node(102));
            cluster.dialed(predictive(group, 2));                                        // 103
            cluster.dialed(predictive(group, 3));                                        // 101
            cluster.transport.replyMode(node(102), InMemoryTransport.ReplyMode.MANUAL);
            CompletableFuture<DialOutcome> awaiting = cluster.balancer.dial(predictive(group, 4)).toCompletableFuture();
            assertThat(awaiting).as("awaiting its reply from 102").isNotDone();
            assertThat(cluster.balancer.health().node(node(102)).orElseThrow().requestsAwaitingReply()).isEqualTo(1);

            cluster.balancer.drain(node(102));

            assertThat(dialMany(cluster, group, 10)).containsOnly(101, 103);
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).as("a request awaits a reply, a call is in progress")
                    .isEmpty();

            cluster.transport.pending().get(0).accept();
            assertThat(awaiting).isCompletedWithValueMatching(outcome -> outcome instanceof DialOutcome.Dialed dialed
                    && dialed.node().equals(node(102)), "dialed on 102: the request in progress finished");
            DialOutcome.Dialed secondCall = (DialOutcome.Dialed) awaiting.join();
            assertThat(cluster.balancer.callsInProgress(node(102))).isEqualTo(2);
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).as("two calls are in progress").isEmpty();

            cluster.release(callOn102);
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).as("one call is in progress").isEmpty();
            assertThat(cluster.balancer.health().node(node(102)).orElseThrow())
                    .satisfies(health -> {
                        assertThat(health.draining()).isTrue();
                        assertThat(health.drained()).isFalse();
                        assertThat(health.callsInProgress()).isEqualTo(1);
                    });

            cluster.release(secondCall);
            assertThat(cluster.events(ClusterEvent.DrainFinished.class))
                    .containsExactly(new ClusterEvent.DrainFinished(cluster.balancer.snapshot().version(), node(102)));
            assertThat(cluster.events.get(cluster.events.size() - 1)).isInstanceOf(ClusterEvent.DrainFinished.class);
            assertThat(cluster.balancer.health().node(node(102)).orElseThrow().drained()).isTrue();
        }
    }

    @Test
    void aDrainingNodeWhoseLinksAreLostForgetsItsCallsAndFinishesDraining() {
        try (OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            cluster.dialed(predictive(group, 0));
            assertThat(cluster.dialed(predictive(group, 1)).node()).isEqualTo(node(102));
            cluster.balancer.drain(node(102));
            cluster.down(102, LinkRole.PRIMARY);
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).isEmpty();

            cluster.down(102, LinkRole.BACKUP);

            assertThat(cluster.balancer.callsInProgress(node(102))).isZero();
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).extracting(ClusterEvent.DrainFinished::node)
                    .containsExactly(node(102));
        }
    }

    @Test
    void enableBringsTheNodeBackFromTheNextRound() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            cluster.balancer.drain(node(102));
            assertThat(dialMany(cluster, group, 4)).containsExactly(101, 103, 101, 103);

            cluster.balancer.enable(node(102));

            ClusterSnapshot snapshot = cluster.balancer.snapshot();
            assertThat(snapshot.isDraining(node(102))).isFalse();
            assertThat(snapshot.isActive(node(102))).isTrue();
            assertThat(cluster.events(ClusterEvent.NodeEnabled.class))
                    .containsExactly(new ClusterEvent.NodeEnabled(snapshot.version(), node(102)));
            assertThat(dialMany(cluster, group, 3)).containsExactlyInAnyOrder(101, 102, 103);
            assertThat(cluster.balancer.health().node(node(102)).orElseThrow())
                    .satisfies(health -> assertThat(health.draining() || health.drained()).isFalse());
        }
    }

    @Test
    void drainAndEnableAreIdempotent() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            cluster.events.clear();
            long before = cluster.balancer.snapshot().version();

            cluster.balancer.enable(node(102));
            assertThat(cluster.events).as("enabling a node that is not draining").isEmpty();
            assertThat(cluster.balancer.snapshot().version()).isEqualTo(before);

            cluster.balancer.drain(node(102));
            cluster.balancer.drain(node(102));
            cluster.balancer.enable(node(102));
            cluster.balancer.enable(node(102));

            assertThat(cluster.events).extracting(event -> event.getClass().getSimpleName())
                    .containsExactly("DrainStarted", "DrainFinished", "NodeEnabled");
            assertThat(cluster.balancer.snapshot().version()).isEqualTo(before + 2);
        }
    }

    @Test
    void drainingThePrimeIsRefusedWithTheReason() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            assertThatThrownBy(() -> cluster.balancer.drain(node(101)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("node 101 is the prime node")
                    .hasMessageContaining("cannot be drained")
                    .hasMessageContaining("DN-level events")
                    .hasMessageContaining("configure another prime node first");
            assertThat(cluster.balancer.snapshot().isActive(node(101))).isTrue();
            assertThat(cluster.events(ClusterEvent.DrainStarted.class)).isEmpty();
        }
    }

    @Test
    void anUnknownNodeIsRefusedByName() {
        try (OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin"))) {
            for (Runnable call : List.<Runnable>of(() -> cluster.balancer.drain(NodeId.of(999)),
                    () -> cluster.balancer.enable(NodeId.of(999)), () -> cluster.balancer.callsInProgress(NodeId.of(999)))) {
                assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("999").hasMessageContaining("not a configured node")
                        .hasMessageContaining("101, 102");
            }
        }
    }

    @Test
    void aSeizingGroupWhoseDialerNodeIsDrainingIsHeld() {
        CampaignGroup seizing = CampaignGroup.of("Seize", DialingMode.PREDICTIVE_SEIZING, "AG_Seize", node(102));
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin").campaignGroup(seizing))) {
            cluster.balancer.drain(node(102));

            assertThat(cluster.dialNow(InMemoryCluster.engaging(seizing))).isInstanceOfSatisfying(DialOutcome.Held.class,
                    held -> assertThat(held.reason()).isEqualTo(HoldReason.DIALER_NODE_DOWN));
            assertThat(cluster.transport.sent()).noneMatch(sent -> sent.node().equals(node(102)));
        }
    }

    private static List<Integer> dialMany(OperatedCluster cluster, CampaignGroup group, int count) {
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(cluster.dialed(predictive(group, 100 + i)).node().dbid());
        }
        return nodes;
    }
}
