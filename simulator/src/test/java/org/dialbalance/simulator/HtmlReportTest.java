package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.Route;
import org.dialbalance.core.BalancerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The report reads right: every chart axis titled with its unit and rounded tick labels, failed and rejected
 * traffic on the rate chart, ASM calls apart on the per-node chart, a fault table with when each fault was
 * applied and observed, the fault mode and the measured rate, and no unrounded number in any table. Built on
 * a small run put together by hand; no pixel is looked at.
 */
class HtmlReportTest {

    private static final CampaignGroup REGULAR = RunFixtures.REGULAR;
    private static final CampaignGroup PINNED = RunFixtures.PINNED;
    private static final BalancerConfig CONFIG = RunFixtures.CONFIG;
    private static final Fault KILL_PRIMARY = Fault.parse("at 20%: kill 102 primary");
    private static final Fault KILL_BACKUP = Fault.parse("at 40%: kill 102 backup");
    private static final Fault RESTART = Fault.parse("at 90%: restart 102 both");

    private final List<RequestRecord> requests = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();

    @Test
    void everyChartAxisIsTitledWithItsUnitAndTicksAreRounded() {
        SimulationResult run = run(FaultMode.IN_STREAM);

        XYChart rate = ReportCharts.rateChart(run);
        XYChart state = ReportCharts.stateChart(run);
        CategoryChart share = ReportCharts.shareChart(run, Summary.of(run));

        assertThat(rate.getXAxisTitle()).isEqualTo("time since start (s)");
        assertThat(rate.getYAxisTitle()).startsWith("requests per second");
        assertThat(state.getXAxisTitle()).isEqualTo("time since start (s)");
        assertThat(state.getYAxisTitle()).isEqualTo("state (high = active)");
        assertThat(share.getXAxisTitle()).startsWith("node");
        assertThat(share.getYAxisTitle()).isEqualTo("requests dialed");
        assertThat(rate.getStyler().getXAxisDecimalPattern()).isEqualTo("0.#");
        assertThat(rate.getStyler().getYAxisDecimalPattern()).isEqualTo("#,##0");
        assertThat(state.getStyler().getXAxisDecimalPattern()).isEqualTo("0.#");
        assertThat(share.getStyler().getYAxisDecimalPattern()).isEqualTo("#,##0");
    }

    @Test
    void theRateChartShowsFailedAndRejectedTrafficBesideDialedPerNodeAndHeld() {
        SimulationResult run = run(FaultMode.IN_STREAM);

        XYChart rate = ReportCharts.rateChart(run);

        assertThat(rate.getSeriesMap()).containsOnlyKeys("101 (prime) dialed/s", "102 dialed/s", "103 dialed/s", "held/s", "failed/s",
                "rejected/s");
        // 10 requests over 2 s in 0.5 s buckets: the failed one (issued at 0.6 s) and the rejected one (0.8 s) are 2/s in the second bucket
        assertThat(rate.getSeriesMap().get("failed/s").getYData()).containsExactly(0.0, 2.0, 0.0, 0.0);
        assertThat(rate.getSeriesMap().get("rejected/s").getYData()).containsExactly(0.0, 2.0, 0.0, 0.0);
        assertThat(rate.getSeriesMap().get("held/s").getYData()).containsExactly(0.0, 0.0, 2.0, 0.0);
    }

    @Test
    void theStateChartShowsTheServingLinkAndThePrime() {
        SimulationResult run = run(FaultMode.IN_STREAM);

        XYChart state = ReportCharts.stateChart(run);

        assertThat(state.getSeriesMap()).containsKeys("node 101 (prime)", "node 102", "node 103", "dialing (low = suspended, prime down)");
        XYSeries node102 = state.getSeriesMap().get("node 102");
        double base = 2 * 1.5;    // the second of three rows
        // active via primary, via backup after the primary was killed, inactive, back via backup
        assertThat(node102.getYData()).containsSubsequence(base + 1, base + 0.6, base, base + 0.6);
    }

    @Test
    void theShareChartStacksAsmPinnedCallsOnTheRegularModeOnes() {
        SimulationResult run = run(FaultMode.IN_STREAM);

        CategoryChart share = ReportCharts.shareChart(run, Summary.of(run));

        assertThat(share.getStyler().isStacked()).isTrue();
        assertThat(share.getSeriesMap()).containsOnlyKeys("regular mode (shared by round-robin)",
                "ASM-pinned (seizing groups, on their dialer node)");
        assertThat(new ArrayList<Number>(share.getSeriesMap().get("regular mode (shared by round-robin)").getYData()))
                .containsExactly(2L, 2L, 2L);
        // no bar (and no "0" label) where a node has no ASM call
        assertThat(new ArrayList<Number>(share.getSeriesMap().get("ASM-pinned (seizing groups, on their dialer node)").getYData()))
                .containsExactly(null, null, 1L);
    }

    @Test
    void theReportHasAFaultTableTheFaultModeAndTheMeasuredRate(@TempDir Path dir) throws Exception {
        SimulationResult run = run(FaultMode.WALL_CLOCK);
        Path file = dir.resolve("sub/report.html");

        HtmlReport.write(file, run, Summary.of(run), Verdict.judge(run));

        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(html).contains("<h2>Faults</h2>")
                .contains("<tr><td class=l>F1</td><td class=l>at 20%: kill 102 primary</td><td>0.400 s</td><td>#2</td>"
                        + "<td>0.412 s</td><td>12 ms</td><td class=l>node 102: primary down, backup up</td></tr>")
                .contains("<tr><td class=l>F2</td><td class=l>at 40%: kill 102 backup</td><td>0.900 s</td><td>#4</td>"
                        + "<td class=f colspan=2>never (run fails)</td><td class=l>node 102: primary down, backup down</td></tr>")
                .contains("<td class=l>at 90%: restart 102 both</td><td class=f colspan=4>never applied (run fails)</td>")
                .contains("Fault mode: <b>wall-clock</b> (faults at wall-clock times")
                .contains("Issued 10 of 10 requests in 2.0 s: 5 requests/s measured, 5/s requested")
                .contains("F1 fault: at 20%: kill 102 primary");
    }

    @Test
    void theImagesNameTheirAxesWithUnitsAndTheirSeries() throws Exception {
        SimulationResult run = run(FaultMode.IN_STREAM);

        String html = HtmlReport.html(run, Summary.of(run), Verdict.judge(run));

        assertThat(html).contains("x axis: time since start (s); y axis: requests per second")
                .contains("x axis: time since start (s); y axis: state (high = active)")
                .contains("y axis: requests dialed")
                .contains("held/s, failed/s, rejected/s")
                .contains("ASM-pinned (seizing groups, on their dialer node)");
    }

    @Test
    void thePerNodeTableShowsWhatTheConsoleSummaryShows() throws Exception {
        SimulationResult run = run(FaultMode.IN_STREAM);

        String html = HtmlReport.html(run, Summary.of(run), Verdict.judge(run));

        // dialed regular, ASM, failed, rejected, held, share of regular while active, time active
        assertThat(html).contains("<tr><td class=l>101 (prime)</td><td>2</td><td>0</td><td>0</td><td>0</td><td>1</td>")
                .contains("<tr><td class=l>102</td><td>2</td><td>0</td><td>1</td><td>0</td><td>0</td>")
                .contains("<tr><td class=l>103</td><td>2</td><td>1</td><td>0</td><td>1</td><td>0</td><td>33.3%</td><td>2.0 s</td></tr>")
                .contains("<tr><th class=l>total</th><th>10</th></tr>");
    }

    @Test
    void noTableHoldsAnUnroundedNumber() throws Exception {
        SimulationResult run = run(FaultMode.IN_STREAM);

        String html = HtmlReport.html(run, Summary.of(run), Verdict.judge(run));

        String text = html.replaceAll("<img [^>]*>", "");
        Matcher unrounded = Pattern.compile("\\d\\.\\d{4,}").matcher(text);
        assertThat(unrounded.find()).as(() -> "unrounded number " + unrounded.group() + " in " + text).isFalse();
        assertThat(text).contains("<td>0.400 s</td>").contains("%</td>");
    }

    /**
     * Ten requests over about 2 s on three nodes, 102 losing its primary then its backup: six regular ones dialed
     * in turn, one ASM-pinned call on 103, one failed on 102, one rejected by 103, one held while the prime was down.
     */
    private SimulationResult run(FaultMode mode) {
        ClusterSnapshot allUp = ClusterSnapshot.initial(CONFIG.topology());
        for (NodeSpec node : CONFIG.topology().nodes()) {
            allUp = allUp.with(new NodeStatus(node.id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        int[] regular = {101, 102, 103, 101, 102, 103};
        for (int node : regular) {
            dialed(REGULAR, node, allUp);
        }
        dialed(PINNED, 103, allUp);
        RequestRecord failed = record(REGULAR, 600_000_000L);
        failed.complete(new DialOutcome.Failed(request(REGULAR), FailureReason.LINK_LOST_AFTER_WRITE, "gone",
                Optional.of(NodeId.of(102))), 1);
        RequestRecord rejected = record(REGULAR, 800_000_000L);
        rejected.complete(new DialOutcome.Failed(request(REGULAR), FailureReason.REJECTED, "EventError",
                Optional.of(NodeId.of(103))), 1);
        RequestRecord held = record(REGULAR, 1_100_000_000L);
        Decision hold = new Decision(decisions.size(), held.id, 1, allUp.with(NodeStatus.down(NodeId.of(101))), Route.primeNodeDown(NodeId.of(101)));
        held.routed(hold);
        decisions.add(hold);
        held.complete(new DialOutcome.Held(request(REGULAR), HoldReason.PRIME_NODE_DOWN, "prime down"), 1);

        List<TimelineEntry> timeline = List.of(
                new TimelineEntry(400_000_000L, KILL_PRIMARY, null),
                new TimelineEntry(412_345_678L, null, new ClusterEvent.LinkSwitched(2, NodeId.of(102), LinkRole.PRIMARY, LinkRole.BACKUP)),
                new TimelineEntry(900_000_000L, KILL_BACKUP, null),
                new TimelineEntry(950_123_456L, null, new ClusterEvent.NodeDeactivated(3, NodeId.of(102))),
                new TimelineEntry(1_500_987_654L, null, new ClusterEvent.NodeActivated(4, NodeId.of(102), LinkRole.BACKUP)));
        List<FaultRecord> faults = List.of(
                new FaultRecord(KILL_PRIMARY, 2, 400_000_000L, 412_345_678L, "node 102: primary down, backup up"),
                new FaultRecord(KILL_BACKUP, 4, 900_000_000L, -1, "node 102: primary down, backup down"));
        Scenario scenario = Scenario.defaultScenario().withoutFaults().withFaults(List.of(KILL_PRIMARY, KILL_BACKUP, RESTART))
                .withRequests(10).withRate(5).withFaultMode(mode);
        return new SimulationResult(scenario, CONFIG, "round-robin", mode, requests, decisions, timeline, faults, List.of(),
                List.of(), List.of(), 2_000_000_000L, 123_456_789L, false);
    }

    private void dialed(CampaignGroup group, int node, ClusterSnapshot snapshot) {
        RequestRecord record = record(group, requests.size() * 75_000_000L);
        Decision decision = new Decision(decisions.size(), record.id, 1, snapshot, new Route.To(NodeId.of(node)));
        record.routed(decision);
        decisions.add(decision);
        record.complete(new DialOutcome.Dialed(request(group), NodeId.of(node), LinkRole.PRIMARY, record.id, "c" + record.id, 1), 1);
    }

    private RequestRecord record(CampaignGroup group, long issuedNanos) {
        RequestRecord record = new RequestRecord(requests.size(), group, false, issuedNanos);
        requests.add(record);
        return record;
    }

    private static DialRequest request(CampaignGroup group) {
        return RunFixtures.request(group);
    }

}
