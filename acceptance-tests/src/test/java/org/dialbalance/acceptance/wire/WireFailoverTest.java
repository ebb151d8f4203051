package org.dialbalance.acceptance.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.wire.WireCluster.WAIT;
import static org.dialbalance.acceptance.wire.WireCluster.engaging;
import static org.dialbalance.acceptance.wire.WireCluster.predictive;
import static org.dialbalance.acceptance.wire.WireCluster.regular;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.simcluster.ReceivedRegistration;
import org.dialbalance.simcluster.ReceivedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules end to end: the real tserver transport over loopback sockets to a simulated SIP cluster. */
@Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)   // sockets: a hang fails fast instead of stalling CI
class WireFailoverTest {

    @Test
    void roundRobinSpreadIsWhatTheServersReceive() throws Exception {
        try (WireCluster wire = WireCluster.start(3)) {
            for (int i = 0; i < 30; i++) {
                assertThat(wire.dial(predictive(regular(), "rr" + i))).isInstanceOf(DialOutcome.Dialed.class);
            }
            Map<Integer, Long> perNode = wire.cluster.received().stream()
                    .collect(Collectors.groupingBy(request -> request.node().dbid(), TreeMap::new, Collectors.counting()));
            assertThat(perNode).containsExactly(Map.entry(101, 10L), Map.entry(102, 10L), Map.entry(103, 10L));
            assertThat(wire.cluster.received()).allMatch(request -> request.role() == LinkRole.PRIMARY);
        }
    }

    @Test
    void aKilledPrimaryHandsTheNodeToItsBackupAndThePrimesDnsAreRegisteredThere() throws Exception {
        try (WireCluster wire = WireCluster.start(2, config -> config.monitorDn("7001"))) {
            wire.cluster.awaitRegistrations(1, WAIT);
            int mark = wire.recorder.size();

            wire.kill(101, LinkRole.PRIMARY);
            wire.kill(102, LinkRole.PRIMARY);

            wire.await(mark, ClusterEvent.LinkSwitched.class, 101);
            wire.await(mark, ClusterEvent.LinkSwitched.class, 102);
            assertThat(wire.cluster.awaitRegistrations(2, WAIT)).containsExactly(
                    new ReceivedRegistration(NodeId.of(101), LinkRole.PRIMARY, "7001"),
                    new ReceivedRegistration(NodeId.of(101), LinkRole.BACKUP, "7001"));
            wire.cluster.clearRecords();
            for (int i = 0; i < 4; i++) {
                wire.dial(predictive(regular(), "b" + i));
            }
            assertThat(wire.cluster.received()).hasSize(4).allMatch(request -> request.role() == LinkRole.BACKUP);
            assertThat(wire.recorder.events()).noneMatch(event -> event instanceof ClusterEvent.DialingSuspended);
        }
    }

    @Test
    void aNodeWithBothApplicationsKilledIsSkippedAndUsedAgainOnceRestarted() throws Exception {
        try (WireCluster wire = WireCluster.start(3)) {
            int mark = wire.recorder.size();
            wire.kill(102, LinkRole.PRIMARY);
            wire.kill(102, LinkRole.BACKUP);
            wire.await(mark, ClusterEvent.NodeDeactivated.class, 102);

            wire.cluster.clearRecords();
            for (int i = 0; i < 10; i++) {
                assertThat(wire.dial(predictive(regular(), "skip" + i))).isInstanceOf(DialOutcome.Dialed.class);
            }
            assertThat(wire.cluster.received()).extracting(request -> request.node().dbid()).containsOnly(101, 103);

            mark = wire.recorder.size();
            wire.restart(102, LinkRole.PRIMARY);
            wire.await(mark, ClusterEvent.NodeActivated.class, 102);
            wire.cluster.clearRecords();
            for (int i = 0; i < 3; i++) {
                wire.dial(predictive(regular(), "back" + i));
            }
            assertThat(wire.cluster.received()).extracting(request -> request.node().dbid()).containsExactlyInAnyOrder(101, 102, 103);
        }
    }

    @Test
    void withThePrimeKilledRequestsAreHeldAndDialingResumesWhenItIsBack() throws Exception {
        try (WireCluster wire = WireCluster.start(2)) {
            int mark = wire.recorder.size();
            wire.kill(101, LinkRole.PRIMARY);
            wire.kill(101, LinkRole.BACKUP);
            wire.await(mark, ClusterEvent.DialingSuspended.class, 101);
            wire.cluster.clearRecords();

            assertThat(wire.dial(predictive(regular(), "held"))).isInstanceOfSatisfying(DialOutcome.Held.class,
                    held -> assertThat(held.reason()).isEqualTo(HoldReason.PRIME_NODE_DOWN));
            assertThat(wire.cluster.received()).isEmpty();

            mark = wire.recorder.size();
            wire.restart(101, LinkRole.BACKUP);
            wire.await(mark, ClusterEvent.DialingResumed.class, 101);
            assertThat(wire.dial(predictive(regular(), "resumed"))).isInstanceOf(DialOutcome.Dialed.class);
        }
    }

    @Test
    void anAsmGroupsEngagingAndOutboundCallsLandOnOneNodeAndShareOneMediaServer() throws Exception {
        CampaignGroup asm = CampaignGroup.of("Retention", DialingMode.PREDICTIVE_SEIZING, "AG_Retention", NodeId.of(102));
        try (WireCluster wire = WireCluster.start(3, config -> config.campaignGroup(asm))) {
            List<String> engagingConnIds = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                wire.dial(predictive(asm, "out" + i));
                DialOutcome outcome = wire.dial(engaging(asm, "eng" + i));
                assertThat(outcome).isInstanceOf(DialOutcome.Dialed.class);
                engagingConnIds.add(((DialOutcome.Dialed) outcome).connId());
            }
            assertThat(wire.cluster.received()).hasSize(12).extracting(ReceivedRequest::node).containsOnly(NodeId.of(102));

            List<TelephonyEvent> established = wire.recorder.awaitTelephony(6, event -> event.name().equals("EventEstablished")
                    && engagingConnIds.contains(event.connId()), WAIT, "EventEstablished of the engaging calls");
            assertThat(established).allMatch(event -> event.scope() == TelephonyEvent.Scope.CALL);
            Set<String> mediaServers = established.stream().map(event -> event.attributes().get("GSW_MEDIA_SRV_ID"))
                    .collect(Collectors.toSet());
            assertThat(mediaServers).containsExactly(wire.cluster.server(NodeId.of(102), LinkRole.PRIMARY).mediaServer());
        }
    }

    @Test
    void requestsInFlightOnAKilledNodeFailAndNoneOfThemReachesAnotherNode() throws Exception {
        CampaignGroup pinned = CampaignGroup.of("Pinned", DialingMode.PREDICTIVE_SEIZING, "AG_Pinned", NodeId.of(102));
        try (WireCluster wire = WireCluster.start(3, config -> config.campaignGroup(pinned))) {
            wire.cluster.server(NodeId.of(102), LinkRole.PRIMARY).latency(Duration.ofSeconds(30));
            List<CompletableFuture<DialOutcome>> inFlight = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                inFlight.add(wire.balancer.dial(predictive(pinned, "flight" + i)).toCompletableFuture());
            }
            wire.cluster.awaitRequests(20, request -> request.node().equals(NodeId.of(102)), WAIT);
            assertThat(inFlight).noneMatch(CompletableFuture::isDone);

            wire.kill(102, LinkRole.PRIMARY);

            for (CompletableFuture<DialOutcome> outcome : inFlight) {
                assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                    assertThat(failed.reason()).isEqualTo(FailureReason.LINK_LOST_AFTER_WRITE);
                    assertThat(failed.reason().written()).isTrue();
                });
            }
            assertThat(wire.cluster.received()).filteredOn(request -> request.userData().getOrDefault("id", "").startsWith("flight"))
                    .hasSize(20).allMatch(request -> request.node().equals(NodeId.of(102)) && request.role() == LinkRole.PRIMARY);
        }
    }

    @Test
    void aBlackholedApplicationIsDeclaredDownByKeepAlive() throws Exception {
        try (WireCluster wire = WireCluster.start(2)) {
            int mark = wire.recorder.size();
            long start = System.nanoTime();

            wire.cluster.server(NodeId.of(102), LinkRole.PRIMARY).blackhole(true);

            wire.await(mark, ClusterEvent.LinkSwitched.class, 102);
            long detectedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(detectedMillis).as("detected within a few keep-alive periods").isLessThan(WireCluster.ADDP.toMillis() * 10);
            assertThat(wire.cluster.server(NodeId.of(102), LinkRole.PRIMARY).isRunning()).as("its socket is still open").isTrue();
            assertThat(wire.balancer.snapshot().servingLink(NodeId.of(102))).contains(LinkRole.BACKUP);
        }
    }
}
