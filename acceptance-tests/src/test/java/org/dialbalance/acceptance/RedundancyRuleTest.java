package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
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

    private static String backupTarget(OperatedCluster cluster) {
        return cluster.transport.connectAttempts().stream()
                .filter(target -> target.node().equals(node(102)) && target.role() == LinkRole.BACKUP)
                .findFirst().orElseThrow().toString();
    }
}
