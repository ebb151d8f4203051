package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.TelephonyEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listeners are called outside the balancer's lock, one event at a time and in snapshot-version order: a
 * slow listener delays later events, never another node's state change; a failing listener breaks nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerDeliveryTest {

    private static final long WAIT_SECONDS = 10;

    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopThreads() {
        otherThread.shutdownNow();
    }

    @Test
    void aListenerBlockedOnALatchDoesNotStopAnotherNodesStateChangeAndEventsStillArriveInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        List<ClusterEvent> seen = new CopyOnWriteArrayList<>();
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin"))) {
            cluster.balancer.addListener(new ClusterListener() {
                @Override
                public void onClusterEvent(ClusterEvent event) {
                    seen.add(event);
                    if (event instanceof ClusterEvent.NodeDeactivated deactivated && deactivated.node().equals(node(102))) {
                        blocked.countDown();
                        try {
                            release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
            long start = cluster.balancer.snapshot().version();

            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> cluster.down(102), otherThread);
            assertThat(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the listener is blocked on node 102's event").isTrue();

            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> cluster.down(103));
            second.get(WAIT_SECONDS, TimeUnit.SECONDS);  // before the fix: stuck behind the lock the blocked listener held
            assertThat(cluster.balancer.snapshot().isActive(node(103))).as("node 103's change reached the snapshot").isFalse();
            assertThat(cluster.balancer.snapshot().version()).isEqualTo(start + 4);
            assertThat(cluster.dialNow(predictive(regular("g"), 1))).isInstanceOfSatisfying(DialOutcome.Dialed.class,
                    dialed -> assertThat(dialed.node()).isEqualTo(node(101)));
            assertThat(seen).as("node 103's events wait for the blocked listener")
                    .noneMatch(event -> event instanceof ClusterEvent.LinkSwitched switched && switched.node().equals(node(103)));

            release.countDown();
            first.get(WAIT_SECONDS, TimeUnit.SECONDS);

            // per node: LinkSwitched and RedundancyLost of one snapshot, then NodeDeactivated
            assertThat(seen).hasSize(6).isSortedAccordingTo(Comparator.comparingLong(ClusterEvent::snapshotVersion));
            assertThat(seen).extracting(ClusterEvent::snapshotVersion)
                    .containsExactly(start + 1, start + 1, start + 2, start + 3, start + 3, start + 4);
            assertThat(cluster.events).as("the other listener got the same events in the same order").endsWith(seen.toArray(new ClusterEvent[0]))
                    .isSortedAccordingTo(Comparator.comparingLong(ClusterEvent::snapshotVersion));
        }
    }

    @Test
    void aListenerThatThrowsBreaksNeitherDeliveryNorState() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin").monitorDn("7001"))) {
            cluster.balancer.addListener(new ClusterListener() {
                @Override
                public void onClusterEvent(ClusterEvent event) {
                    throw new AssertionError("a listener with a bug");
                }

                @Override
                public void onTelephonyEvent(TelephonyEvent event) {
                    throw new IllegalStateException("another listener with a bug");
                }
            });
            cluster.balancer.addListener(new ClusterListener() {
                @Override
                public void onClusterEvent(ClusterEvent event) {
                    seen.add(event);
                }

                @Override
                public void onTelephonyEvent(TelephonyEvent event) {
                    seen.add(event);
                }
            });

            cluster.down(102, LinkRole.PRIMARY);
            cluster.down(102, LinkRole.BACKUP);
            cluster.transport.emit(node(101), LinkRole.PRIMARY, TelephonyEvent.Scope.DN, "EventAgentReady", "7001");
            cluster.up(102, LinkRole.PRIMARY);

            assertThat(seen).hasSize(5);
            assertThat(seen.get(0)).isInstanceOf(ClusterEvent.LinkSwitched.class);
            assertThat(seen.get(1)).isInstanceOf(ClusterEvent.RedundancyLost.class);
            assertThat(seen.get(2)).isInstanceOf(ClusterEvent.NodeDeactivated.class);
            assertThat(seen.get(3)).isInstanceOf(TelephonyEvent.class);
            assertThat(seen.get(4)).isInstanceOf(ClusterEvent.NodeActivated.class);
            assertThat(cluster.balancer.snapshot().servingLink(node(102))).as("reconnecting went on").contains(LinkRole.PRIMARY);
        }
    }
}
