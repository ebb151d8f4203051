package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.Optional;

import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ClusterHealth.Status;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.junit.jupiter.api.Test;

/** Operating: {@code health()} answers UP, DEGRADED or DOWN with the reason, and every node's state. */
class HealthRuleTest {

    @Test
    void notStartedIsDownAndNotReady() {
        try (OperatedCluster cluster = OperatedCluster.build(config(2).lbMode("round-robin"))) {
            ClusterHealth health = cluster.balancer.health();

            assertThat(health.status()).isEqualTo(Status.DOWN);
            assertThat(health.isReady()).isFalse();
            assertThat(health.reason()).startsWith("the balancer is not started (state NEW)");
        }
    }

    @Test
    void everyNodeActiveWithBothLinksUpIsUpWithEveryNodesState() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            cluster.dialed(predictive(regular("g"), 1));

            ClusterHealth health = cluster.balancer.health();

            assertThat(health.status()).isEqualTo(Status.UP);
            assertThat(health.isReady()).isTrue();
            assertThat(health.reason()).isEqualTo("all 3 nodes active with every configured link up, none draining");
            assertThat(health.prime()).isEqualTo(node(101));
            assertThat(health.snapshotVersion()).isEqualTo(cluster.balancer.snapshot().version());
            assertThat(health.nodes()).extracting(ClusterHealth.NodeHealth::node).containsExactly(node(101), node(102), node(103));
            assertThat(health.node(node(101)).orElseThrow()).isEqualTo(new ClusterHealth.NodeHealth(node(101), "node-101", true,
                    Optional.of(LinkRole.PRIMARY), new ClusterHealth.LinkHealth(LinkRole.PRIMARY, true, ""),
                    Optional.of(new ClusterHealth.LinkHealth(LinkRole.BACKUP, true, "")), 0, 1, false, false));
            assertThat(health.node(NodeId.of(999))).isEmpty();
        }
    }

    @Test
    void aLostBackupIsDegradedWithTheLinksErrorAndItsReturnIsUpAgainKeepingTheLastError() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            cluster.down(102, LinkRole.BACKUP);

            ClusterHealth degraded = cluster.balancer.health();
            assertThat(degraded.status()).isEqualTo(Status.DEGRADED);
            assertThat(degraded.isReady()).isTrue();
            assertThat(degraded.reason()).startsWith("node 102 has no redundancy: backup down: simulated: ")
                    .endsWith(" went down");
            ClusterHealth.NodeHealth node = degraded.node(node(102)).orElseThrow();
            assertThat(node.active()).isTrue();
            assertThat(node.redundant()).isFalse();
            assertThat(node.backup().orElseThrow().up()).isFalse();
            assertThat(node.backup().orElseThrow().lastError()).endsWith(" went down");

            cluster.up(102, LinkRole.BACKUP);

            ClusterHealth up = cluster.balancer.health();
            assertThat(up.status()).isEqualTo(Status.UP);
            assertThat(up.node(node(102)).orElseThrow().backup().orElseThrow())
                    .satisfies(link -> {
                        assertThat(link.up()).isTrue();
                        assertThat(link.lastError()).as("the last error is kept").endsWith(" went down");
                    });
        }
    }

    @Test
    void anInactiveNodeIsDegradedAndAnInactivePrimeIsDown() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            cluster.down(103, LinkRole.PRIMARY);
            cluster.down(103, LinkRole.BACKUP);

            ClusterHealth degraded = cluster.balancer.health();
            assertThat(degraded.status()).isEqualTo(Status.DEGRADED);
            assertThat(degraded.reason()).startsWith("node 103 inactive: no link up (primary down: simulated: ")
                    .contains(", backup down: simulated: ");
            assertThat(degraded.node(node(103)).orElseThrow().serving()).isEmpty();

            cluster.down(101, LinkRole.PRIMARY);
            assertThat(cluster.balancer.health().status()).as("the prime still has its backup").isEqualTo(Status.DEGRADED);
            cluster.down(101, LinkRole.BACKUP);

            ClusterHealth down = cluster.balancer.health();
            assertThat(down.status()).isEqualTo(Status.DOWN);
            assertThat(down.isReady()).isFalse();
            assertThat(down.reason()).startsWith("prime node 101 has no link up, so every request is held with PRIME_NODE_DOWN")
                    .contains("; node 103 inactive");

            cluster.up(101, LinkRole.BACKUP);
            assertThat(cluster.balancer.health().status()).isEqualTo(Status.DEGRADED);
        }
    }

    @Test
    void aNodeWithoutBackupConfiguredIsRedundantEnoughWithItsPrimaryUp() {
        var config = config(1).lbMode("round-robin").node(NodeSpec.of(NodeId.of(102), "solo",
                new Endpoint("solo.test", 5000, PortKind.TC_PORT)));
        try (OperatedCluster cluster = OperatedCluster.start(config)) {
            ClusterHealth health = cluster.balancer.health();

            assertThat(health.status()).isEqualTo(Status.UP);
            assertThat(health.node(node(102)).orElseThrow().backup()).isEmpty();

            cluster.down(102, LinkRole.PRIMARY);
            assertThat(cluster.balancer.health().reason()).startsWith("node 102 inactive: no link up (primary down: ")
                    .endsWith(", no backup configured)");
        }
    }

    @Test
    void drainingAndDrainedAreDegradedUntilEnabled() {
        try (OperatedCluster cluster = OperatedCluster.start(config(3).lbMode("round-robin"))) {
            cluster.dialed(predictive(regular("g"), 0));
            var call = cluster.dialed(predictive(regular("g"), 1));
            cluster.balancer.drain(node(102));

            ClusterHealth draining = cluster.balancer.health();
            assertThat(draining.status()).isEqualTo(Status.DEGRADED);
            assertThat(draining.reason()).isEqualTo("node 102 draining: 0 requests awaiting replies, 1 calls in progress");
            assertThat(draining.node(node(102)).orElseThrow().active()).as("links' truth").isTrue();

            cluster.release(call);
            assertThat(cluster.balancer.health().reason()).isEqualTo("node 102 drained (out of the rotation until enabled)");

            cluster.balancer.enable(node(102));
            assertThat(cluster.balancer.health().status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void stoppedIsDown() {
        OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin"));
        cluster.close();

        assertThat(cluster.balancer.health().status()).isEqualTo(Status.DOWN);
        assertThat(cluster.balancer.health().reason()).startsWith("the balancer is stopped");
    }
}
