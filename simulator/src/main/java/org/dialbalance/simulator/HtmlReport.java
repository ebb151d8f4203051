package org.dialbalance.simulator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a self-contained HTML report of a run: requests per second per node over time with the faults
 * marked, the share per node, the timeline of node states and suspensions, the verdict and the summary
 * tables. The charts are drawn by XChart and embedded as PNG images.
 */
final class HtmlReport {

    private static final double BUCKET_SECONDS = 0.5;

    private HtmlReport() {
    }

    static void write(Path file, SimulationResult run, Summary summary, List<Verdict.Result> verdict) throws IOException {
        System.setProperty("java.awt.headless", "true");
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>dialbalance simulation: ")
                .append(escape(run.scenario().name())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}.PASS{color:#1a7f37;font-weight:bold}")
                .append(".FAIL{color:#c62828;font-weight:bold}.SKIP{color:#777}img{max-width:100%}</style></head><body>");
        html.append("<h1>dialbalance simulation: ").append(escape(run.scenario().name())).append("</h1>");
        html.append("<p>").append(escape(run.scenario().description())).append("</p>");
        html.append("<p>Policy for regular groups: <b>").append(escape(run.policyName())).append("</b>; prime node <b>")
                .append(run.config().topology().prime()).append("</b>; ").append(run.requests().size()).append(" requests at ")
                .append(run.scenario().rate()).append("/s; seed ").append(run.scenario().seed()).append(".</p>");
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
        html.append("<h2>Requests per second per node</h2>").append(image(rateChart(run)));
        html.append("<h2>Node states</h2>").append(image(stateChart(run)));
        html.append("<h2>Share per node</h2>").append(image(shareChart(summary)));
        html.append("<h2>Per node</h2><table><tr><th class=l>node</th><th>dialed (regular)</th><th>dialed (ASM)</th><th>failed</th>")
                .append("<th>rejected</th><th>held</th><th>share of regular while active</th><th>time active</th></tr>");
        for (Summary.NodeRow row : summary.nodes) {
            html.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
                    + "<td>%.1f%%</td><td>%.1f s</td></tr>", row.node(), row.dialed(), row.dialedAsm(), row.failed(), row.rejected(),
                    row.held(), 100 * row.shareWhileActive(), row.activeSeconds()));
        }
        html.append("</table><h2>Outcomes</h2><table><tr><th class=l>outcome</th><th>requests</th></tr>");
        summary.outcomes.forEach((outcome, count) -> html.append("<tr><td class=l>").append(escape(outcome)).append("</td><td>")
                .append(count).append("</td></tr>"));
        html.append("</table><h2>Timeline</h2><table><tr><th>time</th><th class=l>what</th></tr>");
        for (TimelineEntry entry : run.timeline()) {
            html.append(String.format(Locale.ROOT, "<tr><td>%.3f s</td><td class=l>%s</td></tr>", entry.nanos() / 1e9,
                    escape(entry.describe())));
        }
        html.append("</table></body></html>");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static XYChart rateChart(SimulationResult run) {
        int buckets = (int) Math.ceil(run.durationNanos() / 1e9 / BUCKET_SECONDS) + 1;
        Map<NodeId, double[]> perNode = new TreeMap<>();
        for (NodeSpec spec : run.config().topology().nodes()) {
            perNode.put(spec.id(), new double[buckets]);
        }
        double[] held = new double[buckets];
        for (RequestRecord request : run.requests()) {
            int bucket = Math.min(buckets - 1, (int) (request.issuedNanos / 1e9 / BUCKET_SECONDS));
            if (request.outcome() instanceof DialOutcome.Dialed dialed) {
                perNode.get(dialed.node())[bucket] += 1 / BUCKET_SECONDS;
            } else if (request.outcome() instanceof DialOutcome.Held) {
                held[bucket] += 1 / BUCKET_SECONDS;
            }
        }
        double[] x = new double[buckets];
        for (int i = 0; i < buckets; i++) {
            x[i] = i * BUCKET_SECONDS;
        }
        XYChart chart = new XYChartBuilder().width(1000).height(420).title("Requests per second per node (faults marked)")
                .xAxisTitle("seconds").yAxisTitle("requests/s").build();
        chart.getStyler().setMarkerSize(0);
        perNode.forEach((node, values) -> chart.addSeries("node " + node, x, values).setMarker(SeriesMarkers.NONE));
        XYSeries heldSeries = chart.addSeries("held", x, held);
        heldSeries.setMarker(SeriesMarkers.NONE);
        heldSeries.setLineColor(Color.GRAY);
        heldSeries.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        markFaults(chart, run);
        return chart;
    }

    private static XYChart stateChart(SimulationResult run) {
        XYChart chart = new XYChartBuilder().width(1000).height(80 + 60 * run.config().topology().size())
                .title("Node states (high = active) and suspensions").xAxisTitle("seconds").build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisTicksVisible(false);
        double end = run.durationNanos() / 1e9;
        List<NodeSpec> nodes = run.config().topology().nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NodeId node = nodes.get(i).id();
            double base = (nodes.size() - 1 - i) * 1.5;
            boolean active = true;    // the workload starts on a settled cluster
            List<Double> xs = new ArrayList<>(List.of(0.0));
            List<Double> ys = new ArrayList<>(List.of(base + (active ? 1 : 0)));
            for (TimelineEntry entry : run.timeline()) {
                boolean up = entry.event() instanceof ClusterEvent.NodeActivated a && a.node().equals(node);
                boolean down = entry.event() instanceof ClusterEvent.NodeDeactivated d && d.node().equals(node);
                if (up || down) {
                    double at = Math.min(entry.nanos() / 1e9, end);
                    xs.add(at);
                    ys.add(ys.get(ys.size() - 1));
                    xs.add(at);
                    ys.add(base + (up ? 1 : 0));
                }
            }
            xs.add(end);
            ys.add(ys.get(ys.size() - 1));
            chart.addSeries("node " + node + (node.equals(run.config().topology().prime()) ? " (prime)" : ""), xs, ys)
                    .setMarker(SeriesMarkers.NONE);
        }
        markFaults(chart, run);
        return chart;
    }

    private static CategoryChart shareChart(Summary summary) {
        CategoryChart chart = new CategoryChartBuilder().width(700).height(350).title("Requests dialed per node")
                .xAxisTitle("node").yAxisTitle("dialed").build();
        chart.getStyler().setLegendVisible(false);
        List<String> names = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Summary.NodeRow row : summary.nodes) {
            names.add(row.node().toString());
            counts.add(row.dialed());
        }
        chart.addSeries("dialed", names, counts);
        return chart;
    }

    private static void markFaults(XYChart chart, SimulationResult run) {
        chart.getStyler().setAnnotationLineColor(new Color(198, 40, 40));
        chart.getStyler().setAnnotationLineStroke(new BasicStroke(1.5f));
        chart.getStyler().setAnnotationTextFontColor(new Color(198, 40, 40));
        for (TimelineEntry entry : run.timeline()) {
            if (entry.fault() != null) {
                double at = entry.nanos() / 1e9;
                chart.addAnnotation(new org.knowm.xchart.AnnotationLine(at, true, false));
                org.knowm.xchart.AnnotationText text = new org.knowm.xchart.AnnotationText(
                        entry.fault().stateText(), at, 0, false);
                chart.addAnnotation(text);
            }
        }
    }

    private static String image(Chart<?, ?> chart) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        return "<p><img alt=\"" + escape(chart.getTitle()) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"></p>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
