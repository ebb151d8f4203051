package org.dialbalance.coordination.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.coordination.zookeeper.Dialer.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.curator.test.TestingServer;
import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.CoordinationStatus;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.simcluster.LoopbackRelay;
import org.dialbalance.simcluster.SimulatedCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster configuration shared through ZooKeeper ({@code shared-config = true}), on a real ZooKeeper (curator-test)
 * with two real balancers over one simulated cluster: a valid change reaches both through their reconfiguration, an
 * invalid one is refused on both and the old configuration stays, rapid changes end with the newest applied, and a
 * dialer cut off (until its session expired) reads the znode again and converges.
 */
class SharedConfigurationTest {

    private static final CampaignGroup SALES = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");

    private TestingServer zooKeeper;
    private SimulatedCluster cluster;
    private final List<DialBalancer> balancers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        zooKeeper = new TestingServer(ZooKeeperCoordinatorTest.fastTicks(1), true);
        cluster = SimulatedCluster.builder().seed(5).node(101, false).node(102, false).node(103, false).build();
    }

    @AfterEach
    void stop() throws Exception {
        balancers.forEach(DialBalancer::stop);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        cluster.close();
        zooKeeper.close();
    }

    @Test
    void aValidChangeReachesBothDialersAndTheirStartingConfigurationRunsWhileTheZnodeIsAbsent() {
        DialBalancer a = balancer("a", zooKeeper.getConnectString());
        DialBalancer b = balancer("b", zooKeeper.getConnectString());
        for (DialBalancer balancer : List.of(a, b)) {
            await("the absent znode is reported", () -> shared(balancer).contains("does not exist"));
            assertThat(balancer.configurationVersion()).isEqualTo(1);
            assertThat(balancer.config().topology().nodes()).hasSize(2);
        }

        int version = publish(sharedText(List.of(101, 102, 103), 102, "round-robin", "SIP_Node_3"));

        assertThat(version).isZero();
        for (DialBalancer balancer : List.of(a, b)) {
            await("the shared configuration is applied", () -> balancer.configurationVersion() == 2);
            assertThat(balancer.config().topology().nodes()).extracting(NodeSpec::id)
                    .containsExactly(NodeId.of(101), NodeId.of(102), NodeId.of(103));
            assertThat(balancer.config().topology().prime()).isEqualTo(NodeId.of(102));
            // the dialer's own options stay its own
            assertThat(balancer.config().requestTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(balancer.config().allCoordinationOptions().get("zookeeper")).containsEntry("shared-config", "true");
            assertThat(shared(balancer)).contains("version 0").contains("applied: configuration v2");
        }
        assertThat(a.config().allCoordinationOptions().get("zookeeper")).containsEntry("dialer-id", "a");
        assertThat(b.config().allCoordinationOptions().get("zookeeper")).containsEntry("dialer-id", "b");
    }

    @Test
    void anInvalidChangeIsRefusedOnBothDialersWithItsProblemsAndTheOldConfigurationStays() {
        DialBalancer a = balancer("a", zooKeeper.getConnectString());
        DialBalancer b = balancer("b", zooKeeper.getConnectString());
        publish(sharedText(List.of(101, 102, 103), 101, "round-robin", "SIP_Node_3"));
        for (DialBalancer balancer : List.of(a, b)) {
            await("the valid version is applied", () -> balancer.configurationVersion() == 2);
        }

        // a prime that is no node, and an option that is each dialer's own
        publish("dialbalance {\n  sip-cluster-prime-node = 999\n  request-timeout = 3\n" + nodes(List.of(101, 102), "x") + "\n}\n");

        for (DialBalancer balancer : List.of(a, b)) {
            await("the invalid version is refused", () -> shared(balancer).contains("version 1") && shared(balancer).contains("refused"));
            assertThat(shared(balancer)).contains("configuration v2 stays").contains("sip-cluster-prime-node = 999")
                    .contains("request-timeout = 3: expected only cluster options in a shared configuration");
            assertThat(balancer.configurationVersion()).isEqualTo(2);
            assertThat(balancer.config().topology().nodes()).hasSize(3);
            assertThat(balancer.config().topology().prime()).isEqualTo(NodeId.of(101));
        }

        // a valid version after the refused one is applied
        publish(sharedText(List.of(101, 102), 101, "round-robin", "unused"));
        for (DialBalancer balancer : List.of(a, b)) {
            await("the next valid version is applied", () -> balancer.configurationVersion() == 3);
            assertThat(balancer.config().topology().nodes()).hasSize(2);
        }
    }

    @Test
    void rapidChangesEndWithTheNewestAppliedDespiteTheRateLimit() {
        DialBalancer a = balancer("a", zooKeeper.getConnectString());
        DialBalancer b = balancer("b", zooKeeper.getConnectString());
        for (DialBalancer balancer : List.of(a, b)) {
            await("the absent znode is reported", () -> shared(balancer).contains("does not exist"));
        }

        int changes = 6;
        for (int i = 1; i <= changes; i++) {     // far faster than one reload per second
            publish(sharedText(List.of(101, 102, 103), 101, "round-robin", "generation-" + i));
        }

        for (DialBalancer balancer : List.of(a, b)) {
            await("the newest version is applied", () -> name(balancer, 103).equals(Optional.of("generation-" + changes)));
            assertThat(balancer.configurationVersion()).isBetween(2L, 1L + changes);
            assertThat(shared(balancer)).contains("version " + (changes - 1)).contains("applied");
        }
    }

    @Test
    void aDialerCutOffUntilItsSessionExpiredReadsTheZnodeAgainAndConverges() throws Exception {
        LoopbackRelay bLink = new LoopbackRelay(zooKeeper.getPort());
        closeables.add(bLink);
        DialBalancer a = balancer("a", zooKeeper.getConnectString());
        DialBalancer b = balancer("b", bLink.connectString());
        publish(sharedText(List.of(101, 102, 103), 101, "round-robin", "before"));
        for (DialBalancer balancer : List.of(a, b)) {
            await("the first version is applied", () -> name(balancer, 103).equals(Optional.of("before")));
        }
        await("a sees b's link view", () -> viewers(a, 101).contains("b"));

        bLink.cut();
        // b's session has expired on the server once its ephemeral link view is gone from a's view
        await("b's session expired", () -> !viewers(a, 101).contains("b"));
        publish(sharedText(List.of(101, 102, 103), 101, "round-robin", "while-b-was-away"));
        await("a applies the change", () -> name(a, 103).equals(Optional.of("while-b-was-away")));
        assertThat(name(b, 103)).contains("before");
        bLink.heal();

        await("b reads the znode again and converges", () -> name(b, 103).equals(Optional.of("while-b-was-away")));
        await("b publishes its link view again in its new session", () -> viewers(a, 101).contains("b"));
        await("b is connected again", () -> b.health().coordination().orElseThrow().connected());
        assertThat(shared(b)).contains("applied");
    }

    private DialBalancer balancer(String id, String connect) {
        BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(NodeId.of(101)).lbMode("round-robin")
                .reconnectTimeout(Duration.ofMillis(100)).requestTimeout(Duration.ofSeconds(7)).campaignGroup(SALES)
                .applicationName(id).coordination("zookeeper")
                .coordinationOption("zookeeper", "connect-string", connect)
                .coordinationOption("zookeeper", "namespace", "shared")
                .coordinationOption("zookeeper", "session-timeout", "3 s")
                .coordinationOption("zookeeper", "dialer-id", id)
                .coordinationOption("zookeeper", "shared-config", "true");
        cluster.nodeSpecs().stream().filter(spec -> spec.id().dbid() != 103).forEach(builder::node);
        DialBalancer balancer = DialBalancer.builder(builder.build()).build();
        balancers.add(balancer);
        balancer.start();
        return balancer;
    }

    private int publish(String text) {
        return SharedClusterConfiguration.publish(zooKeeper.getConnectString(), "shared", text, Dialer.WAIT);
    }

    /** A shared configuration of some of the cluster's nodes, node 103 (if present) named {@code name103}. */
    private String sharedText(List<Integer> dbids, int prime, String lbMode, String name103) {
        return "dialbalance {\n  sip-cluster-lb-mode = " + lbMode + "\n  sip-cluster-prime-node = " + prime + "\n"
                + nodes(dbids, name103) + "\n  campaign-groups = [ { name = Sales, agent-group = AG_Sales, dialing-mode = predictive } ]\n}\n";
    }

    private String nodes(List<Integer> dbids, String name103) {
        StringBuilder text = new StringBuilder("  nodes = [\n");
        for (int dbid : dbids) {
            NodeSpec spec = cluster.nodeSpecs().stream().filter(node -> node.id().dbid() == dbid).findFirst().orElseThrow();
            text.append("    { dbid = ").append(dbid).append(", name = ").append(dbid == 103 ? name103 : spec.name())
                    .append(", primary { host = \"").append(spec.primary().host()).append("\", port = ")
                    .append(spec.primary().port()).append(" } }\n");
        }
        return text.append("  ]").toString();
    }

    private static String shared(DialBalancer balancer) {
        return balancer.health().coordination().map(CoordinationStatus::sharedConfiguration).orElse("(no coordination)");
    }

    private static Optional<String> name(DialBalancer balancer, int dbid) {
        return balancer.config().topology().nodes().stream().filter(spec -> spec.id().dbid() == dbid).map(NodeSpec::name).findFirst();
    }

    /** The dialers whose published link view includes the node, as this balancer's health shows them. */
    static List<String> viewers(DialBalancer balancer, int dbid) {
        CoordinationStatus.NodeView view = balancer.health().coordination().orElseThrow().nodeViews().get(NodeId.of(dbid));
        if (view == null) {
            return List.of();
        }
        List<String> all = new ArrayList<>(view.upFor());
        all.addAll(view.downFor());
        return all;
    }
}
