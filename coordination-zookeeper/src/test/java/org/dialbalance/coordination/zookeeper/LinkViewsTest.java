package org.dialbalance.coordination.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.coordination.zookeeper.Dialer.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.CoordinationStatus;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.simcluster.LoopbackRelay;
import org.dialbalance.simcluster.SimulatedCluster;
import org.junit.jupiter.api.Test;

/**
 * Each dialer's view of the links, published in ZooKeeper and combined in every dialer's health: two real balancers
 * over one simulated cluster, one of them reaching node 102 through a TCP proxy that is cut, so that "dialer b cannot
 * reach node 102" shows apart from "node 102 is down for everyone" (its server killed).
 */
class LinkViewsTest {

    private static final CampaignGroup SALES = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");

    @Test
    void theCombinedViewTellsADialerThatCannotReachANodeFromANodeDownForEveryone() throws Exception {
        try (TestingServer zooKeeper = new TestingServer(ZooKeeperCoordinatorTest.fastTicks(1), true);
             SimulatedCluster cluster = SimulatedCluster.builder().seed(7).node(101, false).node(102, false).build();
             LoopbackRelay bTo102 = new LoopbackRelay(cluster.server(NodeId.of(102), LinkRole.PRIMARY).port())) {   // a plain TCP proxy
            List<NodeSpec> direct = cluster.nodeSpecs();
            List<NodeSpec> viaProxy = new ArrayList<>();
            for (NodeSpec spec : direct) {
                viaProxy.add(spec.id().dbid() != 102 ? spec : new NodeSpec(spec.id(), spec.name(),
                        new Endpoint("127.0.0.1", bTo102.port(), spec.primary().kind()), Optional.empty()));
            }
            DialBalancer a = balancer("a", zooKeeper.getConnectString(), direct);
            DialBalancer b = balancer("b", zooKeeper.getConnectString(), viaProxy);
            try {
                for (DialBalancer balancer : List.of(a, b)) {
                    await("node 102 up for both, as " + balancer.health().coordination().orElseThrow().nodeViews(),
                            () -> view(balancer, 102).map(view -> view.upFor().equals(List.of("a", "b"))).orElse(false));
                }

                bTo102.cut();

                for (DialBalancer balancer : List.of(a, b)) {
                    await("b sees node 102 down, a sees it up", () -> view(balancer, 102).map(view ->
                            view.upFor().equals(List.of("a")) && view.downFor().equals(List.of("b"))).orElse(false));
                    assertThat(view(balancer, 102).orElseThrow().downForEveryone()).isFalse();
                    assertThat(view(balancer, 101).orElseThrow().upFor()).containsExactly("a", "b");
                }
                String published = znode(zooKeeper, "/links/b");
                assertThat(published).startsWith(LinkViews.HEADER + "\n").contains("101\tactive\tPRIMARY\tprimary=up\tbackup=none\t")
                        .contains("102\tinactive\tnone\tprimary=down\tbackup=none\t");

                cluster.server(NodeId.of(102), LinkRole.PRIMARY).kill();

                for (DialBalancer balancer : List.of(a, b)) {
                    await("node 102 down for everyone", () -> view(balancer, 102).map(CoordinationStatus.NodeView::downForEveryone)
                            .orElse(false));
                    assertThat(view(balancer, 102).orElseThrow().downFor()).containsExactly("a", "b");
                }
                assertThat(a.health().status()).isEqualTo(ClusterHealth.Status.DEGRADED);

                b.stop();     // a dialer that leaves takes its view with it
                await("only a's view is left", () -> view(a, 101).map(view -> view.upFor().equals(List.of("a"))).orElse(false));
            } finally {
                a.stop();
                b.stop();
            }
        }
    }

    private static DialBalancer balancer(String id, String connect, List<NodeSpec> nodes) {
        BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(NodeId.of(101)).lbMode("round-robin")
                .reconnectTimeout(Duration.ofMillis(100)).campaignGroup(SALES).applicationName(id).coordination("zookeeper")
                .coordinationOption("zookeeper", "connect-string", connect)
                .coordinationOption("zookeeper", "namespace", "views")
                .coordinationOption("zookeeper", "session-timeout", "3 s")
                .coordinationOption("zookeeper", "dialer-id", id);
        nodes.forEach(builder::node);
        DialBalancer balancer = DialBalancer.builder(builder.build()).build();
        balancer.start();
        return balancer;
    }

    private static Optional<CoordinationStatus.NodeView> view(DialBalancer balancer, int dbid) {
        return Optional.ofNullable(balancer.health().coordination().orElseThrow().nodeViews().get(NodeId.of(dbid)));
    }

    private static String znode(TestingServer zooKeeper, String path) throws Exception {
        try (CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zooKeeper.getConnectString())
                .namespace("views").retryPolicy(new RetryOneTime(100)).build()) {
            client.start();
            return new String(client.getData().forPath(path), StandardCharsets.UTF_8);
        }
    }
}
