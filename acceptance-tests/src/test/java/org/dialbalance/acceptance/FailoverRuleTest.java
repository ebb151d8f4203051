package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.RECONNECT;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.Optional;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.junit.jupiter.api.Test;

/** Rule 2: a node is active while either link is up; lost links are retried every reconnect-timeout. */
class FailoverRuleTest {

    @Test
    void whenThePrimaryDropsTheNodeGoesOnThroughItsBackup() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin"))) {
            cluster.down(102, LinkRole.PRIMARY);

            assertThat(cluster.balancer.snapshot().isActive(node(102))).isTrue();
            assertThat(cluster.balancer.snapshot().servingLink(node(102))).contains(LinkRole.BACKUP);
            assertThat(cluster.events).filteredOn(ClusterEvent.LinkSwitched.class::isInstance).singleElement()
                    .isEqualTo(new ClusterEvent.LinkSwitched(cluster.balancer.snapshot().version(), node(102),
                            LinkRole.PRIMARY, LinkRole.BACKUP));
            cluster.dialNow(predictive(regular("g"), 1));
            DialOutcome second = cluster.dialNow(predictive(regular("g"), 2));
            assertThat(second).isInstanceOfSatisfying(DialOutcome.Dialed.class, dialed -> {
                assertThat(dialed.node()).isEqualTo(node(102));
                assertThat(dialed.via()).isEqualTo(LinkRole.BACKUP);
            });
        }
    }

    @Test
    void aLostLinkIsRetriedEveryReconnectTimeoutAndTheServingLinkStaysWhereItIs() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin"))) {
            cluster.down(102, LinkRole.PRIMARY);
            long before = primaryAttempts(cluster, 102);

            cluster.clock.advance(RECONNECT.dividedBy(2));
            assertThat(primaryAttempts(cluster, 102)).as("no attempt before reconnect-timeout").isEqualTo(before);
            cluster.clock.advance(RECONNECT.dividedBy(2));
            assertThat(primaryAttempts(cluster, 102)).isEqualTo(before + 1);
            cluster.clock.advance(RECONNECT.multipliedBy(3));
            assertThat(primaryAttempts(cluster, 102)).isEqualTo(before + 4);

            cluster.up(102, LinkRole.PRIMARY);
            assertThat(cluster.transport.isConnected(node(102), LinkRole.PRIMARY)).isTrue();
            assertThat(cluster.balancer.snapshot().status(node(102)).primaryUp()).isTrue();
            assertThat(cluster.balancer.snapshot().servingLink(node(102))).as("sticky serving link").contains(LinkRole.BACKUP);
        }
    }

    @Test
    void aNodeWithBothLinksDownIsInactiveAndBothLinksAreStillRetried() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin"))) {
            cluster.down(102);

            assertThat(cluster.balancer.snapshot().isActive(node(102))).isFalse();
            assertThat(cluster.events).anyMatch(event -> event instanceof ClusterEvent.NodeDeactivated deactivated
                    && deactivated.node().equals(node(102)));
            long primary = primaryAttempts(cluster, 102);
            long backup = attempts(cluster, 102, LinkRole.BACKUP);
            cluster.clock.advance(RECONNECT.multipliedBy(2));
            assertThat(primaryAttempts(cluster, 102)).isEqualTo(primary + 2);
            assertThat(attempts(cluster, 102, LinkRole.BACKUP)).isEqualTo(backup + 2);

            cluster.up(102, LinkRole.BACKUP);
            assertThat(cluster.balancer.snapshot().servingLink(node(102))).contains(LinkRole.BACKUP);
            assertThat(cluster.events).anyMatch(event -> event instanceof ClusterEvent.NodeActivated activated
                    && activated.node().equals(node(102)) && activated.via() == LinkRole.BACKUP);
        }
    }

    @Test
    void aNodeWhosePrimaryIsUnreachableAtStartIsServedByItsBackupAtOnce() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin"),
                transport -> transport.setReachable(node(102), LinkRole.PRIMARY, false))) {
            assertThat(cluster.balancer.snapshot().servingLink(node(102))).contains(LinkRole.BACKUP);
            assertThat(cluster.balancer.snapshot().status(node(102)).primaryUp()).isFalse();
            assertThat(cluster.events).anyMatch(event -> event instanceof ClusterEvent.NodeActivated activated
                    && activated.node().equals(node(102)) && activated.via() == LinkRole.BACKUP);

            cluster.up(102, LinkRole.PRIMARY);
            assertThat(cluster.balancer.snapshot().status(node(102)).primaryUp()).isTrue();
            assertThat(cluster.balancer.snapshot().servingLink(node(102))).as("sticky").contains(LinkRole.BACKUP);
        }
    }

    @Test
    void aNodeWithoutBackupIsInactiveAsSoonAsItsPrimaryDrops() {
        var config = config(1).lbMode("round-robin").node(NodeSpec.of(NodeId.of(102), "solo",
                new Endpoint("solo.test", 5000, PortKind.TC_PORT)));
        try (InMemoryCluster cluster = InMemoryCluster.start(config)) {
            assertThat(cluster.balancer.snapshot().isActive(node(102))).isTrue();
            cluster.down(102, LinkRole.PRIMARY);
            assertThat(cluster.balancer.snapshot().isActive(node(102))).isFalse();
            assertThat(cluster.balancer.snapshot().status(node(102)).serving()).isEqualTo(Optional.empty());
        }
    }

    @Test
    void snapshotVersionsGrowByOneWithEveryChange() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin"))) {
            long start = cluster.balancer.snapshot().version();
            cluster.down(102, LinkRole.PRIMARY);
            assertThat(cluster.balancer.snapshot().version()).isEqualTo(start + 1);
            cluster.down(102, LinkRole.BACKUP);
            assertThat(cluster.balancer.snapshot().version()).isEqualTo(start + 2);
        }
    }

    private static long primaryAttempts(InMemoryCluster cluster, int dbid) {
        return attempts(cluster, dbid, LinkRole.PRIMARY);
    }

    private static long attempts(InMemoryCluster cluster, int dbid, LinkRole role) {
        return cluster.transport.connectAttempts().stream()
                .filter(target -> target.node().equals(node(dbid)) && target.role() == role).count();
    }
}
