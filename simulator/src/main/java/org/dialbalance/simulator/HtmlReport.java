package org.dialbalance.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes a self-contained HTML report of a run: how it ran (fault mode, measured rate against the requested
 * one), the verdict, requests per second per node and per outcome over time with the faults numbered, the
 * fault table (when each fault was applied and observed), node states over time, requests dialed per node
 * and the summary tables, which show what the console summary shows. The charts are drawn by XChart
 * ({@link ReportCharts}) and embedded as PNG images.
 */
final class HtmlReport {

    private HtmlReport() {
    }

    static void write(Path file, SimulationResult run, Summary summary, List<Verdict.Result> verdict) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.writeString(prepared(file), html(run, summary, verdict), StandardCharsets.UTF_8);
    }

    /** The report as one HTML page. */
    static String html(SimulationResult run, Summary summary, List<Verdict.Result> verdict) throws IOException {
        StringBuilder html = head(run.scenario());
        html.append("<p>Policy for regular groups: <b>").append(escape(run.policyName())).append("</b>; prime node <b>")
                .append(run.config().topology().prime()).append("</b>; seed ").append(run.scenario().seed()).append(".<br>")
                .append(escape(rateLine(summary))).append("<br>Fault mode: <b>").append(run.faultMode().optionName()).append("</b> ")
                .append(escape(faultModeNote(run.faultMode()))).append(".</p>");
        if (run.interrupted()) {
            html.append("<p><b>Stopped early (interrupted)</b>: the tables and the verdict cover the requests issued.</p>");
        }
        verdictTable(html, verdict);
        html.append("<h2>Requests per second</h2>").append(image(ReportCharts.rateChart(run)));
        html.append("<p class=note>Requests per second by the time they were issued, by outcome: dialed per node; held, failed")
                .append(" and rejected for the whole cluster (failed/s: link lost after writing, timed out, not sent or refused by")
                .append(" the balancer, rejections apart; rejected/s: a server answered EventError). Red lines: the faults F1, F2, …")
                .append(" of the table below.</p>");
        faultTable(html, run);
        html.append("<h2>Node states</h2>").append(image(ReportCharts.stateChart(run)));
        html.append("<h2>Requests dialed per node</h2>").append(image(ReportCharts.shareChart(run, summary)));
        if (LoadChart.worthDrawing(run)) {
            html.append("<h2>Calls in progress per node</h2>").append(image(LoadChart.chart(run)));
        }
        html.append("<h2>Per node</h2><table><tr><th class=l>node</th><th>dialed (regular)</th><th>dialed (ASM)</th><th>failed</th>")
                .append("<th>rejected</th><th>held</th><th>share of regular while active</th><th>time active</th></tr>");
        for (Summary.NodeRow row : summary.nodes) {
            boolean prime = row.node().equals(run.config().topology().prime());
            html.append(String.format(Locale.ROOT, "<tr><td class=l>%s%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
                    + "<td>%.1f%%</td><td>%.1f s</td></tr>", row.node(), prime ? " (prime)" : "", row.dialed(), row.dialedAsm(),
                    row.failed(), row.rejected(), row.held(), 100 * row.shareWhileActive(), row.activeSeconds()));
        }
        html.append("</table><p class=note>dialed (regular): regular-mode requests dialed on the node; dialed (ASM): seizing")
                .append(" groups' calls on their dialer node, apart so that a fair rotation never looks unfair; failed and rejected:")
                .append(" requests sent to (or meant for) the node that failed, rejections apart; held: refused because this node")
                .append(" was down; share of regular while active: of the regular-mode requests routed while the node was active,")
                .append(" the part it got; time active: measured, down time subtracted.</p>");
        html.append("<h2>Outcomes</h2><table><tr><th class=l>outcome</th><th>requests</th></tr>");
        summary.outcomes.forEach((outcome, count) -> html.append("<tr><td class=l>").append(escape(outcome.strip()))
                .append(outcome.startsWith(" ") ? " (of the dialed)" : "").append("</td><td>").append(count).append("</td></tr>"));
        html.append("<tr><th class=l>total</th><th>").append(summary.requests).append("</th></tr>");
        html.append("</table><h2>Timeline</h2><table><tr><th>time</th><th class=l>what</th></tr>");
        for (TimelineEntry entry : run.timeline()) {
            String number = "";
            for (int i = 0; entry.fault() != null && i < run.faults().size(); i++) {
                if (run.faults().get(i).appliedNanos() == entry.nanos() && run.faults().get(i).fault().equals(entry.fault())) {
                    number = "F" + (i + 1) + " ";
                }
            }
            html.append(String.format(Locale.ROOT, "<tr><td>%.3f s</td><td class=l>%s%s</td></tr>", entry.nanos() / 1e9, number,
                    escape(entry.describe())));
        }
        html.append("</table></body></html>");
        return html.toString();
    }

    /**
     * Each fault: its number on the charts, the line of the script, when it was applied (seconds since start
     * and before which request), when the balancer was seen to observe it and what it was expected to show.
     * A fault of the script never applied has a row too.
     */
    private static void faultTable(StringBuilder html, SimulationResult run) {
        html.append("<h2>Faults</h2>");
        if (run.scenario().faults().isEmpty()) {
            html.append("<p>The scenario has no faults.</p>");
            return;
        }
        html.append("<table class=nw><tr><th class=l>#</th><th class=l>fault</th><th>applied at</th><th>before request</th>")
                .append("<th>observed at</th><th>observed after</th><th class=l>balancer expected to show</th></tr>");
        List<ReportCharts.Mark> marks = ReportCharts.marks(run);
        List<Fault> notApplied = new ArrayList<>(run.scenario().faults());
        for (int i = 0; i < run.faults().size(); i++) {
            FaultRecord fault = run.faults().get(i);
            notApplied.remove(fault.fault());
            html.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td class=l>%s</td><td>%.3f s</td><td>#%d</td>",
                    marks.get(i).label(), escape(fault.fault().text()), fault.appliedNanos() / 1e9, fault.beforeRequest()));
            if (fault.observed()) {
                html.append(String.format(Locale.ROOT, "<td>%.3f s</td><td>%d ms</td>", fault.observedNanos() / 1e9,
                        Math.max(0, Math.round((fault.observedNanos() - fault.appliedNanos()) / 1e6))));
            } else {
                html.append("<td class=f colspan=2>never (run fails)</td>");
            }
            html.append("<td class=l>").append(escape(fault.expectation())).append("</td></tr>");
        }
        for (Fault fault : notApplied) {
            html.append("<tr><td class=l>-</td><td class=l>").append(escape(fault.text()))
                    .append("</td><td class=f colspan=4>never applied").append(run.interrupted() ? " (run stopped early)" : " (run fails)")
                    .append("</td><td class=l></td></tr>");
        }
        html.append("</table><p class=note>Fault mode <b>").append(run.faultMode().optionName()).append("</b> ")
                .append(escape(faultModeNote(run.faultMode()))).append(". Observed: when the balancer's snapshot first showed")
                .append(" the fault's effect.</p>");
    }

    /** Requests issued, time, measured and requested rates, as the console prints them. */
    static String rateLine(Summary summary) {
        String line = String.format(Locale.ROOT, "Issued %d of %d requests in %.1f s: %,.0f requests/s measured, %,d/s requested",
                summary.requests, summary.plannedRequests, summary.seconds, summary.requests / Math.max(summary.seconds, 1e-9),
                summary.rate);
        if (summary.waitedSeconds > 0 && summary.seconds - summary.waitedSeconds > 1e-3) {
            line += String.format(Locale.ROOT, " (%,.0f/s while issuing; %.1f s waiting for requests in flight and faults to take effect)",
                    summary.requests / (summary.seconds - summary.waitedSeconds), summary.waitedSeconds);
        }
        return line + ".";
    }

    /** The verdict: PASS or FAIL, and a table of the guarantees. */
    static void verdictTable(StringBuilder html, List<Verdict.Result> verdict) {
        boolean passed = Verdict.passed(verdict);
        html.append("<h2>Verdict: <span class=\"").append(passed ? "PASS" : "FAIL").append("\">")
                .append(passed ? "PASS" : "FAIL").append("</span></h2><table><tr><th class=l>guarantee</th><th>result</th>")
                .append("<th>checked</th><th class=l>first violation / note</th></tr>");
        for (Verdict.Result result : verdict) {
            html.append("<tr><td class=l>").append(escape(result.name())).append("</td><td class=\"").append(result.status())
                    .append("\">").append(result.status()).append("</td><td>").append(result.checked()).append("</td><td class=l>")
                    .append(escape(result.firstViolation())).append("</td></tr>");
        }
        html.append("</table>");
    }

    /** The page up to and including the scenario's name and description, with the report's styles. */
    static StringBuilder head(Scenario scenario) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>dialbalance simulation: ")
                .append(escape(scenario.name())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}.PASS{color:#1a7f37;font-weight:bold}")
                .append(".FAIL{color:#c62828;font-weight:bold}.SKIP{color:#777}img{max-width:100%}")
                .append("p.note{color:#555;font-size:90%;margin-top:-.5em}td.f{color:#c62828;font-weight:bold}table.nw td{white-space:nowrap}</style></head><body>");
        html.append("<h1>dialbalance simulation: ").append(escape(scenario.name())).append("</h1>");
        html.append("<p>").append(escape(scenario.description())).append("</p>");
        return html;
    }

    private static String faultModeNote(FaultMode mode) {
        return mode == FaultMode.IN_STREAM
                ? "(each fault placed in the request stream and observed before the workload goes on: same seed, same tables)"
                : "(faults at wall-clock times: realistic, not reproducible request for request)";
    }

    private static Path prepared(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return file;
    }

    private static String image(Chart<?, ?> chart) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        String alt = chart.getTitle() + " (x axis: " + chart.getXAxisTitle() + "; y axis: " + chart.getYAxisTitle() + "; series: "
                + String.join(", ", chart.getSeriesMap().keySet()) + ")";
        return "<p><img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"></p>";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
