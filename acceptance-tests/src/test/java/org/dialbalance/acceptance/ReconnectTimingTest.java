package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.RECONNECT;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;

import java.time.Duration;

import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.transport.LinkTarget;
import org.junit.jupiter.api.Test;

/**
 * Which timeout drives reconnection (issue 12): a failed or lost link is retried every {@code reconnect-timeout};
 * {@code connect-timeout} bounds one attempt (the transport's business) and never schedules a retry by itself.
 */
class ReconnectTimingTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);    // well below reconnect-timeout (10 s)

    @Test
    void aFailedAttemptIsRetriedAfterReconnectTimeoutNotAfterConnectTimeout() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin").connectTimeout(CONNECT_TIMEOUT),
                transport -> transport.setReachable(node(102), LinkRole.PRIMARY, false))) {
            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).isEqualTo(1);
            cluster.transport.setReachable(node(102), LinkRole.PRIMARY, true);

            cluster.clock.advance(CONNECT_TIMEOUT);
            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).as("no retry at connect-timeout").isEqualTo(1);
            cluster.clock.advance(RECONNECT.minus(CONNECT_TIMEOUT).minusMillis(1));
            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).as("none before reconnect-timeout").isEqualTo(1);
            cluster.clock.advance(Duration.ofMillis(1));

            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).isEqualTo(2);
            assertThat(cluster.balancer.snapshot().servingLink(node(102))).contains(LinkRole.BACKUP);   // sticky
            assertThat(cluster.balancer.snapshot().status(node(102)).primaryUp()).isTrue();
        }
    }

    @Test
    void aLinkThatFailsAgainAndAgainIsRetriedEveryReconnectTimeoutAndKeepsItsLastError() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin").connectTimeout(CONNECT_TIMEOUT),
                transport -> transport.setReachable(node(102), LinkRole.BACKUP, false))) {
            for (int retry = 1; retry <= 3; retry++) {
                cluster.clock.advance(RECONNECT);
                assertThat(attempts(cluster, 102, LinkRole.BACKUP)).isEqualTo(1 + retry);
            }
            ClusterHealth.NodeHealth health = cluster.balancer.health().node(node(102)).orElseThrow();
            assertThat(health.backup().orElseThrow().up()).isFalse();
            assertThat(health.backup().orElseThrow().lastError()).contains("unreachable");
            assertThat(health.primary().lastError()).isEmpty();
            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).as("the healthy primary is not reconnected").isEqualTo(1);
        }
    }

    @Test
    void anAttemptEndedByConnectTimeoutIsRetriedOneReconnectTimeoutLater() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin").connectTimeout(CONNECT_TIMEOUT),
                transport -> transport.setHanging(node(102), LinkRole.PRIMARY, true))) {
            cluster.clock.advance(CONNECT_TIMEOUT);
            cluster.transport.setHanging(node(102), LinkRole.PRIMARY, false);
            assertThat(cluster.transport.timeOutHangingConnects(node(102), LinkRole.PRIMARY)).isEqualTo(1);   // the transport's connect-timeout
            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).isEqualTo(1);

            cluster.clock.advance(RECONNECT.minusMillis(1));
            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).isEqualTo(1);
            cluster.clock.advance(Duration.ofMillis(1));

            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).isEqualTo(2);
            assertThat(cluster.balancer.snapshot().status(node(102)).primaryUp()).isTrue();
            assertThat(cluster.balancer.health().node(node(102)).orElseThrow().primary().lastError())
                    .as("kept after the link came back").contains("connect timeout");
        }
    }

    @Test
    void aLostLinkIsRetriedAfterReconnectTimeout() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin").connectTimeout(CONNECT_TIMEOUT))) {
            cluster.down(102, LinkRole.PRIMARY);
            assertThat(cluster.balancer.snapshot().servingLink(node(102))).contains(LinkRole.BACKUP);
            assertThat(cluster.balancer.health().node(node(102)).orElseThrow().primary().lastError()).contains("went down");
            cluster.transport.setReachable(node(102), LinkRole.PRIMARY, true);
            int before = attempts(cluster, 102, LinkRole.PRIMARY);

            cluster.clock.advance(RECONNECT.minusMillis(1));
            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).isEqualTo(before);
            cluster.clock.advance(Duration.ofMillis(1));

            assertThat(attempts(cluster, 102, LinkRole.PRIMARY)).isEqualTo(before + 1);
            assertThat(cluster.transport.isConnected(node(102), LinkRole.PRIMARY)).isTrue();
        }
    }

    @Test
    void aPrimaryWhoseFirstAttemptFailsBeforeItsHeadStartLetsTheBackupServeAtOnce() {
        Duration connectTimeout = Duration.ofSeconds(8);     // head start: 1 s
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin").connectTimeout(connectTimeout),
                transport -> transport.setHanging(node(102), LinkRole.PRIMARY, true))) {
            assertThat(cluster.balancer.snapshot().isActive(node(102))).as("the backup waits for the primary").isFalse();

            cluster.clock.advance(Duration.ofMillis(100));
            cluster.transport.setHanging(node(102), LinkRole.PRIMARY, false);
            cluster.transport.timeOutHangingConnects(node(102), LinkRole.PRIMARY);

            assertThat(cluster.balancer.snapshot().servingLink(node(102))).as("no need to wait out the head start")
                    .contains(LinkRole.BACKUP);
        }
    }

    @Test
    void stoppingEndsRetries() {
        InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin"),
                transport -> transport.setReachable(node(102), LinkRole.PRIMARY, false));
        cluster.close();
        int attempts = cluster.transport.connectAttempts().size();

        cluster.clock.advance(RECONNECT.multipliedBy(5));

        assertThat(cluster.transport.connectAttempts()).hasSize(attempts);
    }

    private static int attempts(InMemoryCluster cluster, int dbid, LinkRole role) {
        return (int) cluster.transport.connectAttempts().stream()
                .filter((LinkTarget target) -> target.node().equals(node(dbid)) && target.role() == role).count();
    }
}
