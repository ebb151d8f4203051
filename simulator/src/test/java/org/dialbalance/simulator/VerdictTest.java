package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;
import org.junit.jupiter.api.Test;

/** The verdict passes a correct run and fails each kind of violation, naming the first violating request. */
class VerdictTest {

    private static final CampaignGroup REGULAR = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");
    private static final CampaignGroup PINNED = CampaignGroup.of("Retention", DialingMode.PREDICTIVE_SEIZING, "AG_R", NodeId.of(103));
    private static final BalancerConfig CONFIG = config();
    private static final ClusterSnapshot ALL_UP = allUp();

    private final List<RequestRecord> requests = new ArrayList<>();
    private final List<ClusterUnderTest.ServerRecord> received = new ArrayList<>();
    private final List<TelephonyEvent> dnEvents = new ArrayList<>();

    @Test
    void aCorrectRunPassesEveryGuarantee() {
        correctRun();

        assertThat(Verdict.judge(result())).extracting(Verdict.Result::status).containsOnly(Verdict.Status.PASS);
    }

    @Test
    void aRequestReceivedTwiceFailsExactlyOnce() {
        correctRun();
        received.add(new ClusterUnderTest.ServerRecord(NodeId.of(102), LinkRole.BACKUP, "4", false));

        assertThat(failure("5.")).contains("request #4").contains("sent twice");
    }

    @Test
    void aHeldRequestThatReachedAServerFails() {
        correctRun();
        ClusterSnapshot primeDown = ALL_UP.with(NodeStatus.down(NodeId.of(101)));
        RequestRecord held = record(REGULAR, primeDown);
        held.complete(new DialOutcome.Held(request(REGULAR), HoldReason.PRIME_NODE_DOWN, "prime down"), 1);
        received.add(new ClusterUnderTest.ServerRecord(NodeId.of(102), LinkRole.PRIMARY, Integer.toString(held.id), false));

        assertThat(failure("3.")).contains("request #" + held.id).contains("a server received it");
    }

    @Test
    void aRequestDialedWhileThePrimeWasDownFails() {
        ClusterSnapshot primeDown = ALL_UP.with(NodeStatus.down(NodeId.of(101)));
        dialed(record(REGULAR, primeDown), 102);

        assertThat(failure("3.")).contains("request #0").contains("while the prime was inactive");
    }

    @Test
    void aSeizingCallOffItsDialerNodeFails() {
        correctRun();
        dialed(record(PINNED, ALL_UP), 102);

        assertThat(failure("4.")).contains("group 'Retention'").contains("received by node 102; its dialer node is 103");
    }

    @Test
    void aRequestOnANodeInactiveInItsSnapshotFails() {
        ClusterSnapshot without102 = ALL_UP.with(NodeStatus.down(NodeId.of(102)));
        dialed(record(REGULAR, without102), 102);

        assertThat(failure("1.")).contains("inactive in its routing snapshot");
    }

    @Test
    void anUnfairRunFails() {
        for (int i = 0; i < 9; i++) {
            dialed(record(REGULAR, ALL_UP), i < 6 ? 101 : 102 + i % 2);
        }

        assertThat(failure("2.")).contains("spread");
    }

    @Test
    void aDnEventFromANodeOtherThanThePrimeFails() {
        correctRun();
        dnEvents.add(new TelephonyEvent(NodeId.of(102), LinkRole.PRIMARY, TelephonyEvent.Scope.DN, "EventAgentReady", "7001", "", Map.of()));

        assertThat(failure("6.")).contains("from node 102");
    }

    private void correctRun() {
        int[] order = {101, 102, 103, 101, 102, 103};
        for (int node : order) {
            dialed(record(REGULAR, ALL_UP), node);
        }
        dialed(record(PINNED, ALL_UP), 103);
        dnEvents.add(new TelephonyEvent(NodeId.of(101), LinkRole.PRIMARY, TelephonyEvent.Scope.DN, "EventAgentReady", "7001", "", Map.of()));
    }

    private RequestRecord record(CampaignGroup group, ClusterSnapshot snapshot) {
        RequestRecord record = new RequestRecord(requests.size(), group, false, requests.size() * 1_000_000L, snapshot, snapshot.version());
        requests.add(record);
        return record;
    }

    private void dialed(RequestRecord record, int node) {
        record.complete(new DialOutcome.Dialed(request(record.group), NodeId.of(node), LinkRole.PRIMARY, record.id, "c" + record.id), 1);
        received.add(new ClusterUnderTest.ServerRecord(NodeId.of(node), LinkRole.PRIMARY, Integer.toString(record.id), false));
    }

    private String failure(String guarantee) {
        List<Verdict.Result> results = Verdict.judge(result());
        assertThat(Verdict.passed(results)).isFalse();
        return results.stream().filter(result -> result.name().startsWith(guarantee)).findFirst().map(result -> {
            assertThat(result.status()).isEqualTo(Verdict.Status.FAIL);
            return result.firstViolation();
        }).orElseThrow();
    }

    private SimulationResult result() {
        return new SimulationResult(Scenario.defaultScenario(), CONFIG, "round-robin", requests, List.of(), dnEvents, received,
                List.of(new ClusterUnderTest.Registration(NodeId.of(101), LinkRole.PRIMARY, "7001")), 1_000_000_000L);
    }

    private static DialRequest request(CampaignGroup group) {
        return DialRequest.PredictiveCall.of(group, "7000", "555", Duration.ofSeconds(20));
    }

    private static BalancerConfig config() {
        BalancerConfig.Builder builder = BalancerConfig.builder().lbMode("round-robin").primeNode(NodeId.of(101)).monitorDn("7001")
                .campaignGroup(REGULAR).campaignGroup(PINNED);
        for (int dbid = 101; dbid <= 103; dbid++) {
            builder.node(NodeSpec.of(NodeId.of(dbid), "n" + dbid, new Endpoint("127.0.0.1", dbid, PortKind.TC_PORT)));
        }
        return builder.build();
    }

    private static ClusterSnapshot allUp() {
        ClusterSnapshot snapshot = ClusterSnapshot.initial(CONFIG.topology());
        for (NodeSpec node : CONFIG.topology().nodes()) {
            snapshot = snapshot.with(new NodeStatus(node.id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        return snapshot;
    }
}
