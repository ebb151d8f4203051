package org.dialbalance.acceptance.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.wire.WireCluster.WAIT;
import static org.dialbalance.acceptance.wire.WireCluster.predictive;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.simcluster.SimulatedCluster;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 11 items 3 and 8 through the whole balancer, over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)   // sockets: a hang fails fast instead of stalling CI
class WireHardeningTest {

    @Test
    void anOversizedRequestFailsAsInvalidUnwrittenAndIsNeitherReRoutedNorFatalToItsLink() throws Exception {
        try (WireCluster wire = WireCluster.start(3)) {
            DialRequest oversized = new DialRequest.PredictiveCall(WireCluster.regular(), "7000", "5550000", Duration.ofSeconds(20),
                    Map.of("a", "x".repeat(40_000), "b", "y".repeat(40_000)), Map.of());

            DialOutcome outcome = wire.dial(oversized);

            assertThat(outcome).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.INVALID_REQUEST);
                assertThat(failed.reason().written()).isFalse();
                assertThat(failed.detail()).contains("max-frame-size").contains("not re-routed");
            });
            assertThat(wire.cluster.received()).as("nothing reached any server").isEmpty();
            for (int i = 0; i < 3; i++) {
                assertThat(wire.dial(predictive(WireCluster.regular(), "after" + i))).isInstanceOf(DialOutcome.Dialed.class);
            }
            assertThat(wire.recorder.events()).noneMatch(event -> event instanceof ClusterEvent.LinkSwitched
                    || event instanceof ClusterEvent.NodeDeactivated);
        }
    }

    @Test
    void theBackupsEventReleasedForACallDialedThroughTheDeadPrimaryReachesTheHostAsACallEventOfTheNode() throws Exception {
        CampaignGroup pinned = CampaignGroup.of("Retention", DialingMode.PREDICTIVE_SEIZING, "AG_Retention", NodeId.of(102));
        EventRecorder recorder = new EventRecorder();
        try (SimulatedCluster prime = SimulatedCluster.builder().node(101, false).build();
             FakeTserver primary = new FakeTserver(FakeTserver::standard);
             FakeTserver backup = new FakeTserver(FakeTserver::standard)) {
            BalancerConfig config = BalancerConfig.builder().primeNode(NodeId.of(101)).lbMode("round-robin")
                    .node(prime.nodeSpecs().get(0)).node(NodeSpec.of(NodeId.of(102), "SIP_Node_2", primary.endpoint(), backup.endpoint()))
                    .campaignGroup(pinned).reconnectTimeout(WireCluster.RECONNECT).requestTimeout(Duration.ofSeconds(3))
                    .connectTimeout(Duration.ofSeconds(2)).applicationName("wire-test").build();
            DialBalancer balancer = DialBalancer.builder(config).listener(recorder).build();
            try {
                balancer.start();
                recorder.await(0, event -> event instanceof ClusterEvent.NodeActivated activated && activated.node().dbid() == 102,
                        WAIT, "node 102 active");
                recorder.await(0, event -> event instanceof ClusterEvent.DialingResumed, WAIT, "dialing resumed");
                // both links of 102 up before its primary dies, so that the backup takes over (not a fresh start)
                WireCluster.awaitBothLinksUp(balancer, NodeId.of(102));
                DialOutcome.Dialed dialed = (DialOutcome.Dialed) balancer.dial(predictive(pinned, "1")).toCompletableFuture()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(dialed.node()).isEqualTo(NodeId.of(102));
                assertThat(dialed.via()).isEqualTo(LinkRole.PRIMARY);
                int mark = recorder.size();

                primary.kill();
                recorder.await(mark, event -> event instanceof ClusterEvent.LinkSwitched switched && switched.node().dbid() == 102,
                        WAIT, "node 102 switched to its backup");
                backup.send(Message.of(MessageType.EVENT_RELEASED).text(Attribute.CONN_ID, dialed.connId()).text(Attribute.THIS_DN, "7000")
                        .number(Attribute.CALL_STATE, 4).build());

                TelephonyEvent released = recorder.awaitTelephony(1, event -> event.name().equals("EventReleased"), WAIT,
                        "the backup's EventReleased").get(0);
                assertThat(released.scope()).isEqualTo(TelephonyEvent.Scope.CALL);
                assertThat(released.node()).isEqualTo(NodeId.of(102));
                assertThat(released.via()).isEqualTo(LinkRole.BACKUP);
                assertThat(released.connId()).isEqualTo(dialed.connId());
                assertThat(released.attributes()).containsEntry("CallState", "4");
            } finally {
                balancer.stop();
            }
        }
    }
}
