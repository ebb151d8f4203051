package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.junit.jupiter.api.Test;

/** Operating: a node that keeps serving on one link has lost its redundancy, and says so; and when it is back. */
class RedundancyRuleTest {

    @Test
    void losingTheBackupOfANodeServedByItsPrimaryIsRedundancyLostAndItsReturnRedundancyRestored() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            cluster.events.clear();

            cluster.down(102, LinkRole.BACKUP);

            long lostAt = cluster.balancer.snapshot().version();
            assertThat(cluster.events).singleElement().isEqualTo(new ClusterEvent.RedundancyLost(lostAt, node(102),
                    LinkRole.BACKUP, "simulated: " + backupTarget(cluster) + " went down"));
            assertThat(cluster.balancer.snapshot().isActive(node(102))).isTrue();
            assertThat(cluster.balancer.snapshot().servingLink(node(102))).contains(LinkRole.PRIMARY);

            cluster.events.clear();
            cluster.up(102, LinkRole.BACKUP);

            assertThat(cluster.events).containsExactly(new ClusterEvent.RedundancyRestored(cluster.balancer.snapshot().version(),
                    node(102), LinkRole.BACKUP));
        }
    }

    @Test
    void losingTheServingLinkIsALinkSwitchFollowedByRedundancyLostInOneSnapshot() {
        try (OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin"))) {
            cluster.events.clear();

            cluster.down(102, LinkRole.PRIMARY);

            long version = cluster.balancer.snapshot().version();
            assertThat(cluster.events).hasSize(2);
            assertThat(cluster.events.get(0)).isEqualTo(new ClusterEvent.LinkSwitched(version, node(102), LinkRole.PRIMARY,
                    LinkRole.BACKUP));
            assertThat(cluster.events.get(1)).isInstanceOfSatisfying(ClusterEvent.RedundancyLost.class, lost -> {
                assertThat(lost.snapshotVersion()).isEqualTo(version);
                assertThat(lost.node()).isEqualTo(node(102));
                assertThat(lost.lost()).isEqualTo(LinkRole.PRIMARY);
                assertThat(lost.reason()).contains("went down");
            });

            cluster.events.clear();
            cluster.up(102, LinkRole.PRIMARY);
            assertThat(cluster.events).as("the backup keeps serving (sticky); redundancy is back")
                    .containsExactly(new ClusterEvent.RedundancyRestored(cluster.balancer.snapshot().version(), node(102),
                            LinkRole.PRIMARY));
        }
    }

    @Test
    void losingTheLastLinkIsNodeDeactivatedOnlyAndComingBackNodeActivatedOnly() {
        try (OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin"))) {
            cluster.down(102, LinkRole.BACKUP);
            cluster.events.clear();

            cluster.down(102, LinkRole.PRIMARY);
            assertThat(cluster.events).containsExactly(new ClusterEvent.NodeDeactivated(cluster.balancer.snapshot().version(),
                    node(102)));

            cluster.events.clear();
            cluster.up(102, LinkRole.PRIMARY);
            assertThat(cluster.events).containsExactly(new ClusterEvent.NodeActivated(cluster.balancer.snapshot().version(),
                    node(102), LinkRole.PRIMARY));
        }
    }

    @Test
    void aNodeWithoutBackupNeverPublishesRedundancyEvents() {
        var config = config(1).lbMode("round-robin").node(NodeSpec.of(NodeId.of(102), "solo",
                new Endpoint("solo.test", 5000, PortKind.TC_PORT)));
        try (OperatedCluster cluster = OperatedCluster.start(config)) {
            cluster.down(102, LinkRole.PRIMARY);
            cluster.up(102, LinkRole.PRIMARY);

            assertThat(cluster.events).noneMatch(event -> event instanceof ClusterEvent.RedundancyLost lost
                    && lost.node().equals(node(102)));
            assertThat(cluster.events).noneMatch(event -> event instanceof ClusterEvent.RedundancyRestored restored
                    && restored.node().equals(node(102)));
        }
    }

    @Test
    void atStartANodeIsActivatedByItsPrimaryAndItsBackupThenRestoresRedundancy() {
        try (OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin"))) {
            assertThat(cluster.events.stream().filter(event -> event instanceof ClusterEvent.NodeActivated activated
                    && activated.node().equals(node(102)) || event instanceof ClusterEvent.RedundancyRestored restored
                    && restored.node().equals(node(102))).toList())
                    .hasSize(2)
                    .satisfies(events -> {
                        assertThat(events.get(0)).isInstanceOf(ClusterEvent.NodeActivated.class);
                        assertThat(events.get(1)).isInstanceOfSatisfying(ClusterEvent.RedundancyRestored.class,
                                restored -> assertThat(restored.restored()).isEqualTo(LinkRole.BACKUP));
                    });
        }
    }

    @Test
    void aNodeThatBecomesActiveWithBothLinksAtOnceIsNodeActivatedThenRedundancyRestoredInOneSnapshot() {
        // node 102's primary's first attempt stays pending while its backup connects: the backup waits for it (head
        // start), so when the primary's attempt succeeds, both links come up in one change
        InMemoryTransport servers = new InMemoryTransport();
        DeferredPrimary transport = new DeferredPrimary(servers, node(102));
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        DialBalancer balancer = DialBalancer.builder(config(2).lbMode("round-robin").build()).transport(transport)
                .scheduler(new ManualScheduler()).listener(new ClusterListener() {
                    @Override
                    public void onClusterEvent(ClusterEvent event) {
                        events.add(event);
                    }
                }).build();
        try {
            balancer.start();
            assertThat(servers.isConnected(node(102), LinkRole.BACKUP)).as("the backup is connected").isTrue();
            assertThat(balancer.snapshot().isActive(node(102))).as("and waits for the primary's first attempt").isFalse();

            transport.completePrimary();

            long version = balancer.snapshot().version();
            assertThat(balancer.snapshot().status(node(102)).primaryUp()).isTrue();
            assertThat(balancer.snapshot().status(node(102)).backupUp()).isTrue();
            assertThat(events.stream().filter(event -> event instanceof ClusterEvent.NodeActivated activated
                    && activated.node().equals(node(102)) || event instanceof ClusterEvent.RedundancyRestored restored
                    && restored.node().equals(node(102))).toList())
                    .containsExactly(new ClusterEvent.NodeActivated(version, node(102), LinkRole.PRIMARY),
                            new ClusterEvent.RedundancyRestored(version, node(102), LinkRole.BACKUP));
        } finally {
            balancer.stop();
        }
    }

    /** The in-memory servers, except that one node's primary's first connection attempt completes only when told to. */
    private static final class DeferredPrimary implements Transport {
        private final InMemoryTransport delegate;
        private final NodeId node;
        private final CompletableFuture<Link> attempt = new CompletableFuture<>();
        private LinkTarget target;
        private LinkListener listener;

        DeferredPrimary(InMemoryTransport delegate, NodeId node) {
            this.delegate = delegate;
            this.node = node;
        }

        @Override
        public synchronized CompletionStage<Link> connect(LinkTarget linkTarget, LinkListener linkListener) {
            if (target == null && linkTarget.node().equals(node) && linkTarget.role() == LinkRole.PRIMARY) {
                target = linkTarget;
                listener = linkListener;
                return attempt;
            }
            return delegate.connect(linkTarget, linkListener);
        }

        void completePrimary() {
            LinkTarget deferred;
            LinkListener deferredListener;
            synchronized (this) {
                deferred = target;
                deferredListener = listener;
            }
            assertThat(deferred).as("the primary's first attempt was made").isNotNull();
            attempt.complete(delegate.connect(deferred, deferredListener).toCompletableFuture().join());
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static String backupTarget(OperatedCluster cluster) {
        return cluster.transport.connectAttempts().stream()
                .filter(target -> target.node().equals(node(102)) && target.role() == LinkRole.BACKUP)
                .findFirst().orElseThrow().toString();
    }
}
