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
import org.dialbalance.api.Route;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;
import org.junit.jupiter.api.Test;

/** The verdict passes a correct run and fails each kind of violation, naming the first violating request. */
class VerdictTest {

    private static final CampaignGroup REGULAR = RunFixtures.REGULAR;
    private static final CampaignGroup PINNED = RunFixtures.PINNED;
    private static final BalancerConfig CONFIG = RunFixtures.CONFIG;
    private static final ClusterSnapshot ALL_UP = allUp();
    /** Retention as a reload configures it: dialer node 102 instead of 103. */
    private static final CampaignGroup MOVED = CampaignGroup.of("Retention", DialingMode.PREDICTIVE_SEIZING, "AG_R", NodeId.of(102));

    private final List<RequestRecord> requests = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final java.util.Map<Integer, ClusterSnapshot> snapshots = new java.util.HashMap<>();
    private final List<ClusterUnderTest.ServerRecord> received = new ArrayList<>();
    private final List<TelephonyEvent> dnEvents = new ArrayList<>();
    private final List<FaultRecord> faults = new ArrayList<>();
    private final List<Fault> script = new ArrayList<>();
    private final List<ConfigEpoch> configs = new ArrayList<>(List.of(ConfigEpoch.initial(CONFIG)));

    @Test
    void aCorrectRunPassesEveryGuarantee() {
        correctRun();

        List<Verdict.Result> results = Verdict.judge(result());

        assertThat(Verdict.passed(results)).isTrue();
        assertThat(results).filteredOn(result -> result.status() == Verdict.Status.SKIP).extracting(Verdict.Result::firstViolation)
                .containsExactly("the scenario has no faults", "no request was routed while the prime was down",
                        "the scenario drains no node and no reload removes one");
        assertThat(results).filteredOn(result -> result.status() == Verdict.Status.PASS).allSatisfy(result ->
                assertThat(result.checked()).isPositive());
    }

    @Test
    void aRequestReRoutedAfterItsLinkWasGoneIsJudgedOnTheSnapshotOfTheRouteThatSentIt() {
        correctRun();
        // routed to 102 on a snapshot where 103 was down; 102's link was found gone before writing; routed again on a
        // fresher snapshot where 102 is down and 103 is back, and received by 103: correct, although the first
        // snapshot shows 103 inactive (judging the request on its first snapshot was the old verdict's mistake)
        ClusterSnapshot without103 = ALL_UP.with(NodeStatus.down(NodeId.of(103)));
        ClusterSnapshot without102 = without103.with(NodeStatus.down(NodeId.of(102)))
                .with(new NodeStatus(NodeId.of(103), true, false, Optional.of(LinkRole.PRIMARY)));
        RequestRecord request = record(REGULAR, without103);
        decide(request, new Route.To(NodeId.of(102)));
        Decision second = new Decision(decisions.size(), request.id, 2, without102, new Route.To(NodeId.of(103)));
        request.routed(second);
        decisions.add(second);
        request.complete(new DialOutcome.Dialed(request(REGULAR), NodeId.of(103), LinkRole.PRIMARY, 1, "c", 2), 1);
        received.add(new ClusterUnderTest.ServerRecord(NodeId.of(103), LinkRole.PRIMARY, Integer.toString(request.id), false));

        assertThat(Verdict.passed(Verdict.judge(result()))).as(Verdict.judge(result()).toString()).isTrue();
    }

    @Test
    void aCopyNoDecisionSentThereFails() {
        correctRun();
        RequestRecord request = record(REGULAR, ALL_UP);
        dialed(request, 101);
        received.set(received.size() - 1, new ClusterUnderTest.ServerRecord(NodeId.of(103), LinkRole.PRIMARY,
                Integer.toString(request.id), false));

        assertThat(failure("1.")).contains("received by node 103 PRIMARY, but no routing decision of the balancer sent it there");
    }

    @Test
    void aFaultTheBalancerNeverObservedFailsTheRun() {
        correctRun();
        Fault fault = Fault.parse("at 50%: kill 102 primary");
        faults.add(new FaultRecord(fault, 3, 1_000, -1, "node 102: primary down, backup up"));
        script.add(fault);

        assertThat(failure("0.")).contains("fault 'at 50%: kill 102 primary' was applied before request #3 but the balancer never showed"
                + " its effect (node 102: primary down, backup up)");
    }

    @Test
    void aFaultNeverAppliedFailsTheRun() {
        correctRun();
        script.add(Fault.parse("at 100%: kill 101 both"));

        assertThat(failure("0.")).contains("fault 'at 100%: kill 101 both' was never applied");
    }

    @Test
    void aDecisionOnAStableSetThatSkewsTheRotationFailsEvenWhenOutcomesLookFair() {
        // the policy favoured 101 on one active set; each request was dialed where it was sent
        int[] order = {101, 101, 102, 101, 103, 101};
        for (int node : order) {
            dialed(record(REGULAR, ALL_UP), node);
        }

        assertThat(failure("2.")).contains("per-node counts were {101=4, 102=1, 103=1} (spread 3, allowed 1)");
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
        decide(held, Route.primeNodeDown(NodeId.of(101)));
        held.complete(new DialOutcome.Held(request(REGULAR), HoldReason.PRIME_NODE_DOWN, "prime down"), 1);
        received.add(new ClusterUnderTest.ServerRecord(NodeId.of(102), LinkRole.PRIMARY, Integer.toString(held.id), false));

        assertThat(failure("3.")).contains("request #" + held.id).contains("a server received it");
    }

    @Test
    void aRequestDialedWhileThePrimeWasDownFails() {
        ClusterSnapshot primeDown = ALL_UP.with(NodeStatus.down(NodeId.of(101)));
        dialed(record(REGULAR, primeDown), 102);

        assertThat(failure("3.")).contains("request #0").contains("routed while the prime was inactive");
    }

    @Test
    void aSeizingCallOffItsDialerNodeFails() {
        correctRun();
        dialed(record(PINNED, ALL_UP), 102);

        assertThat(failure("4.")).contains("group 'Retention'").contains("routed to To[node=102]").contains("expected it to 103");
    }

    @Test
    void aSeizingCallIsJudgedAgainstTheDialerNodeOfTheConfigurationInForceWhenItWasRouted() {
        correctRun();
        dialed(record(PINNED, ALL_UP), 103);
        reload(RunFixtures.config(103, REGULAR, MOVED), false);
        dialed(record(MOVED, ALL_UP), 102);
        dialed(record(REGULAR, ALL_UP), 102);

        List<Verdict.Result> results = Verdict.judge(result());

        assertThat(Verdict.passed(results)).as(results.toString()).isTrue();
        assertThat(results).filteredOn(result -> result.name().startsWith("4.")).extracting(Verdict.Result::checked).containsExactly(3L);
    }

    @Test
    void aSeizingCallSentToItsOldDialerNodeAfterAReloadMovedTheGroupFails() {
        // the request carries the group as the old configuration had it, and went to the old dialer node 103: judged by
        // its own group it looks pinned, but the configuration in force says Retention dials on 102 (or is held)
        correctRun();
        reload(RunFixtures.config(103, REGULAR, MOVED), false);
        dialed(record(PINNED, ALL_UP), 103);

        assertThat(failure("4.")).contains("routed to To[node=103]").contains("expected it held CAMPAIGN_GROUP_NOT_CONFIGURED");
    }

    @Test
    void aSeizingCallSentToItsNewDialerNodeBeforeTheReloadTookEffectFails() {
        correctRun();
        dialed(record(MOVED, ALL_UP), 102);
        reload(RunFixtures.config(103, REGULAR, MOVED), false);

        assertThat(failure("4.")).contains("routed to To[node=102]").contains("expected it held CAMPAIGN_GROUP_NOT_CONFIGURED");
    }

    @Test
    void aDecisionReportedWhileTheReloadWasAppliedMayFollowEitherConfiguration() {
        correctRun();
        RequestRecord old = record(PINNED, ALL_UP);
        RequestRecord moved = record(MOVED, ALL_UP);
        // reload called before either was routed, returned after both were issued: each may have met either configuration
        configs.add(new ConfigEpoch(2, RunFixtures.config(103, REGULAR, MOVED), ALL_UP.version(), false, decisions.size(),
                requests.size()));
        dialed(old, 103);
        dialed(moved, 102);

        assertThat(Verdict.passed(Verdict.judge(result()))).as(Verdict.judge(result()).toString()).isTrue();
    }

    @Test
    void aRequestIssuedWhileAReloadAddingANodeWasAppliedMayBeRoutedToThatNode() {
        // wall-clock mode: the reload adding 103 returned only after this request was issued, but routed it on its
        // new topology's snapshot; it is judged by the configuration it was routed on, which has 103
        configs.set(0, ConfigEpoch.initial(RunFixtures.config(102, REGULAR)));
        script.add(Fault.parse("at 90%: drain 102"));      // so that check 7 has something to check
        dnEvents.add(new TelephonyEvent(NodeId.of(101), LinkRole.PRIMARY, TelephonyEvent.Scope.DN, "EventAgentReady", "7001", "", Map.of()));
        dialed(record(REGULAR, ALL_UP), 101);
        configs.add(new ConfigEpoch(2, CONFIG, ALL_UP.version(), true, decisions.size(), requests.size() + 1));
        dialed(record(REGULAR, ALL_UP), 103);

        Verdict.Result seven = Verdict.judge(result()).stream().filter(result -> result.name().startsWith("7.")).findFirst()
                .orElseThrow();
        assertThat(seven.status()).as(seven.toString()).isEqualTo(Verdict.Status.PASS);
        assertThat(seven.checked()).isEqualTo(4);
    }

    @Test
    void aRequestIssuedAfterAReloadRemovedANodeThatReachesItFails() {
        correctRun();
        reload(RunFixtures.config(102, REGULAR, RunFixtures.PINNED_TO_PRIME), true);
        dialed(record(REGULAR, ALL_UP), 103);    // routed on a stale snapshot that still had 103, and written there

        assertThat(failure("7.")).contains("routed while configuration v2 was in force, which does not have node 103, yet received by it (PRIMARY)");
    }

    @Test
    void aRequestOnANodeInactiveInItsSnapshotFails() {
        ClusterSnapshot without102 = ALL_UP.with(NodeStatus.down(NodeId.of(102)));
        dialed(record(REGULAR, without102), 102);

        assertThat(failure("1.")).contains("routed to node 102 (attempt 1), which was inactive in the snapshot v");
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

    /** A reload applied here: requests issued from now on, and decisions reported from now on, are on {@code config}. */
    private void reload(BalancerConfig config, boolean topologyChanged) {
        configs.add(new ConfigEpoch(configs.size() + 1, config, ALL_UP.version() + (topologyChanged ? 1 : 0), topologyChanged,
                decisions.size(), requests.size()));
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
        RequestRecord record = new RequestRecord(requests.size(), group, false, requests.size() * 1_000_000L);
        requests.add(record);
        snapshots.put(record.id, snapshot);
        return record;
    }

    private void decide(RequestRecord record, Route route) {
        Decision decision = new Decision(decisions.size(), record.id, 1, snapshots.get(record.id), route);
        record.routed(decision);
        decisions.add(decision);
    }

    private void dialed(RequestRecord record, int node) {
        decide(record, new Route.To(NodeId.of(node)));
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
        Scenario scenario = Scenario.defaultScenario().withoutFaults().withFaults(script);
        return new SimulationResult(scenario, CONFIG, "round-robin", FaultMode.IN_STREAM, requests,
                decisions, List.of(), faults, dnEvents, received,
                List.of(new ClusterUnderTest.Registration(NodeId.of(101), LinkRole.PRIMARY, "7001")), 1_000_000_000L, 0L, false,
                List.of(), configs);
    }

    private static DialRequest request(CampaignGroup group) {
        return RunFixtures.request(group);
    }


    private static ClusterSnapshot allUp() {
        ClusterSnapshot snapshot = ClusterSnapshot.initial(CONFIG.topology());
        for (NodeSpec node : CONFIG.topology().nodes()) {
            snapshot = snapshot.with(new NodeStatus(node.id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        return snapshot;
    }
}
