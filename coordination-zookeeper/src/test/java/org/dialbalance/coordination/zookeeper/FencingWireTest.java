package org.dialbalance.coordination.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.coordination.zookeeper.Dialer.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.curator.test.TestingServer;
import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.simcluster.LoopbackRelay;
import org.dialbalance.simcluster.SimulatedCluster;
import org.dialbalance.simcluster.SimulatedServer;
import org.junit.jupiter.api.Test;

/**
 * Two real balancers ({@code coordination = zookeeper}, the tserver transport) over one simulated cluster and one
 * in-JVM ZooKeeper: only the owner of a campaign group dials it, with its fencing token; a standby takes over when the
 * owner is cut off; the cluster refuses a request that carries the former owner's token.
 */
class FencingWireTest {

    private static final CampaignGroup SALES = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");

    @Test
    void onlyTheOwnerDialsAndAFormerOwnersTokenIsRefused() throws Exception {
        try (TestingServer zooKeeper = new TestingServer(ZooKeeperCoordinatorTest.fastTicks(1), true);
             LoopbackRelay activeLink = new LoopbackRelay(zooKeeper.getPort());
             SimulatedCluster cluster = SimulatedCluster.builder().seed(3).node(101, false).node(102, false).build()) {
            List<ClusterEvent> activeEvents = new CopyOnWriteArrayList<>();
            List<ClusterEvent> standbyEvents = new CopyOnWriteArrayList<>();
            DialBalancer active = balancer(cluster, activeLink.connectString(), "active", "[\"Sales\"]", activeEvents);
            DialBalancer standby = balancer(cluster, zooKeeper.getConnectString(), "standby", "[]", standbyEvents);
            DialBalancer uncoordinated = DialBalancer.builder(base(cluster).build()).build();
            try {
                active.start();
                standby.start();
                uncoordinated.start();
                await("the active balancer owns Sales, the standby not", () -> owns(active, "Sales") && !owns(standby, "Sales"));
                awaitDialing(active);
                awaitDialing(standby);
                awaitDialing(uncoordinated);

                DialOutcome first = dial(active, request("1", Map.of()));
                assertThat(first).isInstanceOf(DialOutcome.Dialed.class);
                long activeToken = cluster.highestFencingTokens().get("Sales");
                assertThat(activeToken).isEqualTo(lastToken(activeEvents));

                DialOutcome notOwner = dial(standby, request("2", Map.of()));
                assertThat(notOwner).isInstanceOf(DialOutcome.Held.class);
                assertThat(((DialOutcome.Held) notOwner).reason()).isEqualTo(HoldReason.NOT_OWNER);
                // the detail names the owner once the standby's view of the members has caught up (held: nothing is sent)
                await("the standby names the owner", () -> heldDetail(standby, request("2", Map.of())).contains("owned by dialer active"));

                activeLink.cut();

                // judged on what each balancer owns now, not on its events: either may have held Sales for a moment at start,
                // before both saw each other, and an event from then would make these waits pass at once
                await("the cut-off balancer gives Sales up", () -> !owns(active, "Sales"));
                assertThat(dial(active, request("3", Map.of()))).isInstanceOfSatisfying(DialOutcome.Held.class,
                        held -> assertThat(held.reason()).isEqualTo(HoldReason.NOT_OWNER));
                // the latch may give Sales up (leadership lost) a moment before the connection's SUSPENDED marks it out of reach
                await("the cut-off balancer reports coordination out of reach",
                        () -> active.health().status() == ClusterHealth.Status.DEGRADED);
                assertThat(active.health().reason()).contains("coordination (zookeeper) out of reach");
                await("the standby takes Sales", () -> owns(standby, "Sales"));
                DialOutcome second = dial(standby, request("4", Map.of()));
                assertThat(second).isInstanceOf(DialOutcome.Dialed.class);
                long standbyToken = cluster.highestFencingTokens().get("Sales");
                assertThat(standbyToken).isGreaterThan(activeToken);
                assertThat(standby.health().coordination()).hasValueSatisfying(status ->
                        assertThat(status.owned()).containsEntry("Sales", standbyToken));

                // a request the former owner wrote before it was cut off, arriving late: its token is stale
                DialOutcome late = dial(uncoordinated, request("5", Map.of(GroupOwnership.FENCING_TOKEN_KEY,
                        Long.toString(activeToken), GroupOwnership.CAMPAIGN_GROUP_KEY, "Sales")));
                assertThat(late).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                    assertThat(failed.reason()).isEqualTo(FailureReason.REJECTED);
                    assertThat(failed.detail()).contains(Integer.toString(SimulatedServer.STALE_FENCING_TOKEN_ERROR_CODE))
                            .contains("stale fencing token " + activeToken);
                });
                assertThat(cluster.fencedRefusals()).isEqualTo(1);
                assertThat(cluster.received()).hasSize(3);    // requests 1, 4 and the late one; 2 and 3 were held
            } finally {
                active.stop();
                standby.stop();
                uncoordinated.stop();
            }
            // no thread of the coordinators, Curator or ZooKeeper's client outlives stop() for long
            await("the coordination threads end after stop()", () -> coordinationThreads().isEmpty());
        }
    }

    private static BalancerConfig.Builder base(SimulatedCluster cluster) {
        BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(NodeId.of(101)).lbMode("round-robin")
                .reconnectTimeout(Duration.ofMillis(100)).requestTimeout(Duration.ofSeconds(5)).campaignGroup(SALES);
        for (NodeSpec spec : cluster.nodeSpecs()) {
            builder.node(spec);
        }
        return builder;
    }

    private static DialBalancer balancer(SimulatedCluster cluster, String connect, String id, String preferred,
                                         List<ClusterEvent> events) {
        BalancerConfig config = base(cluster).applicationName(id).coordination("zookeeper")
                .coordinationOption("zookeeper", "connect-string", connect)
                .coordinationOption("zookeeper", "session-timeout", "3 s")
                .coordinationOption("zookeeper", "dialer-id", id)
                .coordinationOption("zookeeper", "preferred-groups", preferred).build();
        return DialBalancer.builder(config).listener(new ClusterListener() {
            @Override
            public void onClusterEvent(ClusterEvent event) {
                events.add(event);
            }
        }).build();
    }

    private static long lastToken(List<ClusterEvent> events) {
        return events.stream().filter(ClusterEvent.OwnershipChanged.class::isInstance).map(ClusterEvent.OwnershipChanged.class::cast)
                .filter(ClusterEvent.OwnershipChanged::owned).reduce((a, b) -> b).orElseThrow().fencingToken();
    }

    private static void awaitDialing(DialBalancer balancer) {
        await("both nodes active", () -> balancer.snapshot().isActive(NodeId.of(101)) && balancer.snapshot().isActive(NodeId.of(102)));
    }

    private static DialRequest request(String id, Map<String, String> extensions) {
        return new DialRequest.PredictiveCall(SALES, "7000", "555" + id, Duration.ofSeconds(20), Map.of("id", id), extensions);
    }

    private static List<String> coordinationThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("dialbalance-zookeeper-") || name.startsWith("Curator-")
                        || name.contains("SendThread(") || name.contains("EventThread"))
                .toList();
    }

    private static String heldDetail(DialBalancer balancer, DialRequest request) {
        try {
            DialOutcome outcome = dial(balancer, request);
            return outcome instanceof DialOutcome.Held held ? held.detail() : "not held: " + outcome;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static DialOutcome dial(DialBalancer balancer, DialRequest request) throws Exception {
        return balancer.dial(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Whether the balancer's coordinator owns the group now ({@code health().coordination()}). */
    private static boolean owns(DialBalancer balancer, String group) {
        return balancer.health().coordination().map(status -> status.owned().containsKey(group)).orElse(false);
    }
}
