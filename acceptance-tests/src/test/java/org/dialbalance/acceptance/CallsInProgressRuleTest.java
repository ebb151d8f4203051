package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.ArrayList;
import java.util.List;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.ConfigException;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.junit.jupiter.api.Test;

/** Operating: calls dialed and not yet released are counted per node, within a bound. */
class CallsInProgressRuleTest {

    @Test
    void aDialedCallIsInProgressOnItsNodeUntilItsEventReleased() {
        try (OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            DialOutcome.Dialed on101 = cluster.dialed(predictive(group, 0));
            DialOutcome.Dialed on102 = cluster.dialed(predictive(group, 1));
            DialOutcome.Dialed againOn101 = cluster.dialed(predictive(group, 2));

            assertThat(cluster.balancer.callsInProgress(node(101))).isEqualTo(2);
            assertThat(cluster.balancer.callsInProgress(node(102))).isEqualTo(1);
            assertThat(cluster.balancer.health().node(node(101)).orElseThrow().callsInProgress()).isEqualTo(2);

            cluster.release(on101);
            assertThat(cluster.balancer.callsInProgress(node(101))).isEqualTo(1);
            cluster.release(on101);
            assertThat(cluster.balancer.callsInProgress(node(101))).as("a second release changes nothing").isEqualTo(1);
            cluster.release(againOn101);
            cluster.release(on102);
            assertThat(cluster.balancer.callsInProgress(node(101))).isZero();
            assertThat(cluster.balancer.callsInProgress(node(102))).isZero();
        }
    }

    @Test
    void otherOutcomesAndOtherEventsLeaveNoCallInProgress() {
        try (OperatedCluster cluster = OperatedCluster.start(config(1).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            cluster.transport.replyMode(node(101), InMemoryTransport.ReplyMode.REJECT);
            assertThat(cluster.dialNow(predictive(group, 0))).isInstanceOf(DialOutcome.Failed.class);
            cluster.transport.replyMode(node(101), InMemoryTransport.ReplyMode.ACCEPT);
            cluster.dialed(predictive(group, 1));
            cluster.transport.emit(node(101), LinkRole.PRIMARY, TelephonyEvent.Scope.CALL, "EventEstablished", "7000");

            assertThat(cluster.balancer.callsInProgress(node(101))).isEqualTo(1);
        }
    }

    @Test
    void aNodeRemembersAtMostMaxCallsInProgressForgettingTheOldestWithOneWarning() {
        try (LogCapture log = LogCapture.warnings();
             OperatedCluster cluster = OperatedCluster.start(config(1).lbMode("round-robin").maxCallsInProgress(3))) {
            List<DialOutcome.Dialed> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(cluster.dialed(predictive(regular("g"), i)));
                assertThat(cluster.balancer.callsInProgress(node(101))).isEqualTo(Math.min(i + 1, 3));
            }

            assertThat(log.messagesContaining("calls in progress without their EventReleased")).singleElement()
                    .asString().contains("Node 101 has 3 calls in progress").contains("max-calls-in-progress");
            cluster.release(calls.get(0));
            assertThat(cluster.balancer.callsInProgress(node(101))).as("the oldest was forgotten").isEqualTo(3);
            cluster.release(calls.get(5));
            assertThat(cluster.balancer.callsInProgress(node(101))).isEqualTo(2);
        }
    }

    @Test
    void aNodeThatLosesBothLinksForgetsItsCalls() {
        try (OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin"))) {
            cluster.dialed(predictive(regular("g"), 0));
            cluster.dialed(predictive(regular("g"), 1));
            cluster.down(102, LinkRole.PRIMARY);
            assertThat(cluster.balancer.callsInProgress(node(102))).as("a switch to the backup keeps them").isEqualTo(1);

            cluster.down(102, LinkRole.BACKUP);

            assertThat(cluster.balancer.callsInProgress(node(102))).isZero();
        }
    }

    @Test
    void aCallDialedOnThePrimaryIsReleasedThroughTheBackupToo() {
        try (OperatedCluster cluster = OperatedCluster.start(config(2).lbMode("round-robin"))) {
            cluster.dialed(predictive(regular("g"), 0));
            DialOutcome.Dialed call = cluster.dialed(predictive(regular("g"), 1));
            cluster.down(102, LinkRole.PRIMARY);

            cluster.release(new DialOutcome.Dialed(call.request(), call.node(), LinkRole.BACKUP, call.referenceId(),
                    call.connId(), call.routeAttempts()));

            assertThat(cluster.balancer.callsInProgress(node(102))).isZero();
        }
    }

    @Test
    void maxCallsInProgressIsCheckedAtStartup() {
        assertThatThrownBy(() -> config(1).maxCallsInProgress(0).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .contains(new ConfigProblem("max-calls-in-progress", "0", "a number of calls from 1 to 10000000")));
    }
}
