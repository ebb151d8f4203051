package org.dialbalance.acceptance.wire;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.simcluster.SimulatedCluster;

/**
 * A started balancer with the real {@code tserver} transport over loopback to a simulated cluster of
 * nodes 101.., each with a backup, prime 101; waits until every node is active with both links up before returning.
 */
final class WireCluster implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration RECONNECT = Duration.ofMillis(100);
    static final Duration ADDP = Duration.ofSeconds(1);    // a silent link is down after 2 s: robust on a starved machine

    final SimulatedCluster cluster;
    final DialBalancer balancer;
    final EventRecorder recorder = new EventRecorder();
    final BalancerConfig config;

    private WireCluster(int nodes, UnaryOperator<BalancerConfig.Builder> customize) throws InterruptedException {
        SimulatedCluster.Builder simulated = SimulatedCluster.builder().seed(7);
        for (int i = 0; i < nodes; i++) {
            simulated.node(101 + i, true);
        }
        this.cluster = simulated.build();
        BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(NodeId.of(101)).lbMode("round-robin")
                .reconnectTimeout(RECONNECT).requestTimeout(Duration.ofSeconds(3)).connectTimeout(Duration.ofSeconds(2))
                .addpTimeout(ADDP).addpRemoteTimeout(ADDP.dividedBy(2)).applicationName("wire-test");
        for (NodeSpec spec : cluster.nodeSpecs()) {
            builder.node(spec);
        }
        this.config = customize.apply(builder).build();
        this.balancer = DialBalancer.builder(config).listener(recorder).build();
        balancer.start();
        for (NodeSpec spec : config.topology().nodes()) {
            recorder.await(0, event -> event instanceof ClusterEvent.NodeActivated activated && activated.node().equals(spec.id()),
                    WAIT, "node " + spec.id() + " active");
            // and its second link up too, so that a test that kills one link sees a switch-over, not a fresh start
            awaitBothLinksUp(balancer, spec.id());
        }
    }

    /**
     * Waits until the snapshot shows both links of a node up. (A node whose backup connected while its primary's
     * first attempt was pending becomes active with both links at once: NodeActivated, then RedundancyRestored in the
     * same snapshot.)
     */
    static void awaitBothLinksUp(DialBalancer balancer, NodeId node) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(balancer.snapshot().status(node).primaryUp() && balancer.snapshot().status(node).backupUp())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + node + " did not have both links up within " + WAIT + ": " + balancer.snapshot());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    static WireCluster start(int nodes) throws InterruptedException {
        return new WireCluster(nodes, builder -> builder);
    }

    static WireCluster start(int nodes, UnaryOperator<BalancerConfig.Builder> customize) throws InterruptedException {
        return new WireCluster(nodes, customize);
    }

    static CampaignGroup regular() {
        return CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");
    }

    static DialRequest.PredictiveCall predictive(CampaignGroup group, String id) {
        return new DialRequest.PredictiveCall(group, "7000", "555" + id, Duration.ofSeconds(20), Map.of("id", id), Map.of());
    }

    static DialRequest.EngagingCall engaging(CampaignGroup group, String id) {
        return new DialRequest.EngagingCall(group, "7100", "8000", Map.of("id", id), Map.of());
    }

    DialOutcome dial(DialRequest request) throws Exception {
        return balancer.dial(request).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Waits for an event at or after {@code from} about a node. */
    ClusterEvent await(int from, Class<? extends ClusterEvent> type, int node) throws InterruptedException {
        return recorder.await(from, event -> type.isInstance(event) && nodeOf(event) == node, WAIT,
                type.getSimpleName() + " for node " + node);
    }

    void kill(int node, LinkRole role) {
        cluster.server(NodeId.of(node), role).kill();
    }

    void restart(int node, LinkRole role) {
        cluster.server(NodeId.of(node), role).restart();
    }

    private static int nodeOf(ClusterEvent event) {
        if (event instanceof ClusterEvent.NodeActivated e) {
            return e.node().dbid();
        }
        if (event instanceof ClusterEvent.NodeDeactivated e) {
            return e.node().dbid();
        }
        if (event instanceof ClusterEvent.LinkSwitched e) {
            return e.node().dbid();
        }
        if (event instanceof ClusterEvent.DialingSuspended e) {
            return e.prime().dbid();
        }
        return ((ClusterEvent.DialingResumed) event).prime().dbid();
    }

    @Override
    public void close() {
        try {
            balancer.stop();
        } finally {
            cluster.close();
        }
    }
}
