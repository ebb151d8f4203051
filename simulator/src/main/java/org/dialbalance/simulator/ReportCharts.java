package org.dialbalance.simulator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.AnnotationTextPanel;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of the {@link HtmlReport}: rates per node and per outcome over time, node states over time, and
 * requests dialed per node. Every axis is titled with its unit, tick labels are rounded, and the faults are
 * numbered F1, F2, … on the time charts (labels staggered so that they never overlap), the same numbers as
 * in the report's fault table.
 */
final class ReportCharts {

    static final String TIME_AXIS = "time since start (s)";
    static final String RATE_AXIS = "requests per second (issued, by outcome)";
    static final String STATE_AXIS = "state (high = active)";
    static final String DIALED_AXIS = "requests dialed";
    static final String HELD_SERIES = "held/s";
    static final String FAILED_SERIES = "failed/s";
    static final String REJECTED_SERIES = "rejected/s";

    private static final int WIDTH = 1000;
    /** Width of everything but the plot area of a time chart with its legend below: y axis, titles, padding. */
    private static final int NON_PLOT_WIDTH = 95;
    /** Height of everything but the plot area of a time chart with its legend below: title, x axis, legend, padding. */
    private static final int NON_PLOT_HEIGHT = 130;
    private static final Color FAULT_COLOR = new Color(198, 40, 40);
    private static final Font FAULT_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 11);
    private static final int MAX_LABEL_ROWS = 4;
    private static final int LABEL_PADDING = 3;
    /** The height of a fault label's box, in pixels, with room between rows. */
    private static final int LABEL_HEIGHT = 21;
    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    private ReportCharts() {
    }

    /** A fault as marked on the time charts: its number (1, 2, …), when it was applied, its short text. */
    record Mark(int number, double atSeconds, String text) {
        String label() {
            return "F" + number;
        }
    }

    /** The faults applied, numbered in the order they were applied. */
    static List<Mark> marks(SimulationResult run) {
        List<Mark> marks = new ArrayList<>();
        for (FaultRecord fault : run.faults()) {
            marks.add(new Mark(marks.size() + 1, fault.appliedNanos() / 1e9, fault.fault().stateText()));
        }
        return marks;
    }

    /** How long a rate bucket is: half a second, longer for long runs so that a chart has at most about 200 points. */
    static double bucketSeconds(double seconds) {
        return Math.max(0.5, Math.ceil(seconds / 200 / 0.5) * 0.5);
    }

    /**
     * Requests per second over time, by the time they were issued: per node dialed, and for the whole
     * cluster held, failed and rejected.
     */
    static XYChart rateChart(SimulationResult run) {
        double end = Math.max(run.durationNanos() / 1e9, 1e-3);
        double bucket = bucketSeconds(end);
        int buckets = Math.max(1, (int) Math.ceil(end / bucket - 1e-9));
        if (buckets > 1 && end - (buckets - 1) * bucket < bucket / 2) {
            buckets--;    // a short last stretch joins the one before: a rate over a sliver is noise
        }
        Map<NodeId, double[]> dialed = new LinkedHashMap<>();
        for (NodeId node : run.nodes()) {
            dialed.put(node, new double[buckets]);
        }
        double[] held = new double[buckets];
        double[] failed = new double[buckets];
        double[] rejected = new double[buckets];
        for (RequestRecord request : run.requests()) {
            int index = Math.min(buckets - 1, (int) (request.issuedNanos / 1e9 / bucket));
            DialOutcome outcome = request.outcome();
            if (outcome instanceof DialOutcome.Dialed d && dialed.containsKey(d.node())) {
                dialed.get(d.node())[index]++;
            } else if (outcome instanceof DialOutcome.Held) {
                held[index]++;
            } else if (outcome instanceof DialOutcome.Failed f) {
                (f.reason() == FailureReason.REJECTED ? rejected : failed)[index]++;
            }
        }
        double[] x = new double[buckets];
        double max = 1;
        for (int i = 0; i < buckets; i++) {
            double from = i * bucket;
            double to = i == buckets - 1 ? end : from + bucket;
            x[i] = (from + to) / 2;
            for (double[] series : concat(dialed.values(), held, failed, rejected)) {
                series[i] /= to - from;
                max = Math.max(max, series[i]);
            }
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(470)
                .title(String.format(Locale.ROOT, "Requests per second by outcome (%s s buckets, faults F1, F2, … as in the fault table)",
                        trim(bucket)))
                .xAxisTitle(TIME_AXIS).yAxisTitle(RATE_AXIS).build();
        style(chart, end);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        dialed.forEach((node, values) -> line(chart.addSeries(node + primeTag(run, node) + " dialed/s", x, values), null, 2f, null));
        line(chart.addSeries(HELD_SERIES, x, held), Color.GRAY, 2f, new float[] {7f, 4f});
        line(chart.addSeries(FAILED_SERIES, x, failed), Color.BLACK, 1.5f, new float[] {2f, 3f});
        line(chart.addSeries(REJECTED_SERIES, x, rejected), new Color(150, 90, 0), 1.5f, new float[] {9f, 3f, 2f, 3f});
        markFaults(chart, marks(run), end, 0, max * 1.04, true);
        return chart;
    }

    /**
     * One row per node, high while it is active: at full height while its primary link serves it, a little
     * lower while its backup does, at the bottom while it is inactive; and a last row for dialing, low while
     * it is suspended (prime down).
     */
    static XYChart stateChart(SimulationResult run) {
        double end = Math.max(run.durationNanos() / 1e9, 1e-3);
        List<NodeId> nodes = run.nodes();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(200 + 55 * nodes.size())
                .title("Node states: high = active via its primary link, middle = via its backup, low = inactive")
                .xAxisTitle(TIME_AXIS).yAxisTitle(STATE_AXIS).build();
        style(chart, end);
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setAnnotationTextFont(FAULT_FONT);    // the row labels
        chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
        for (int i = 0; i < nodes.size(); i++) {
            NodeId node = nodes.get(i);
            double base = (nodes.size() - i) * 1.5;
            List<Double> xs = new ArrayList<>(List.of(0.0));
            // the workload starts on a settled cluster, primaries serving; a node only a reload adds starts inactive
            List<Double> ys = new ArrayList<>(List.of(run.config().topology().contains(node) ? base + 1 : base));
            for (TimelineEntry entry : run.timeline()) {
                double level;
                if (entry.event() instanceof ClusterEvent.NodeActivated a && a.node().equals(node)) {
                    level = base + (a.via() == LinkRole.PRIMARY ? 1 : 0.6);
                } else if (entry.event() instanceof ClusterEvent.LinkSwitched s && s.node().equals(node)) {
                    level = base + (s.to() == LinkRole.PRIMARY ? 1 : 0.6);
                } else if (entry.event() instanceof ClusterEvent.NodeDeactivated d && d.node().equals(node)) {
                    level = base;
                } else {
                    continue;
                }
                step(xs, ys, Math.min(entry.nanos() / 1e9, end), level);
            }
            xs.add(end);
            ys.add(ys.get(ys.size() - 1));
            boolean prime = node.equals(run.config().topology().prime());
            String name = "node " + node + (prime ? " (prime)" : "");
            line(chart.addSeries(name, xs, ys), null, prime ? 3.5f : 2f, null);
            rowLabel(chart, name, end, base + 1.3);
        }
        List<Double> xs = new ArrayList<>(List.of(0.0));
        List<Double> ys = new ArrayList<>(List.of(0.6));
        for (TimelineEntry entry : run.timeline()) {
            if (entry.event() instanceof ClusterEvent.DialingSuspended || entry.event() instanceof ClusterEvent.DialingResumed) {
                step(xs, ys, Math.min(entry.nanos() / 1e9, end), entry.event() instanceof ClusterEvent.DialingResumed ? 0.6 : 0);
            }
        }
        xs.add(end);
        ys.add(ys.get(ys.size() - 1));
        line(chart.addSeries("dialing (low = suspended, prime down)", xs, ys), Color.DARK_GRAY, 2f, new float[] {7f, 4f});
        rowLabel(chart, "dialing", end, 0.9);
        chart.getStyler().setYAxisMin(-0.3);
        markFaults(chart, marks(run), end, -0.3, nodes.size() * 1.5 + 1.55, false);
        return chart;
    }

    /**
     * Requests dialed per node: regular-mode requests (what the policy shares out) with the ASM-pinned calls
     * stacked on top, so that a node with a seizing group on it never makes a fair rotation look unfair.
     */
    static CategoryChart shareChart(SimulationResult run, Summary summary) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(420)
                .title("Requests dialed per node: regular mode (shared by the policy) and ASM-pinned (on their dialer node)")
                .xAxisTitle("node (share of the regular-mode requests routed while it was active)").yAxisTitle(DIALED_AXIS).build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setAvailableSpaceFill(0.6);
        List<String> names = new ArrayList<>();
        List<Long> regular = new ArrayList<>();
        List<Long> asm = new ArrayList<>();    // null, not 0, where a node has no ASM calls: no "0" label drawn on its bar
        for (Summary.NodeRow row : summary.nodes) {
            names.add(String.format(Locale.ROOT, "%s%s: %.1f%%", row.node(), primeTag(run, row.node()), 100 * row.shareWhileActive()));
            regular.add(row.dialed());
            asm.add(row.dialedAsm() == 0 ? null : row.dialedAsm());
        }
        CategorySeries regularSeries = chart.addSeries("regular mode (shared by " + run.policyName() + ")", names, regular);
        regularSeries.setFillColor(new Color(66, 103, 210));
        CategorySeries asmSeries = chart.addSeries("ASM-pinned (seizing groups, on their dialer node)", names, asm);
        asmSeries.setFillColor(new Color(245, 166, 35));
        return chart;
    }

    /**
     * Draws a line at each fault and its label in a box above the data, staggered: a label goes on the lowest
     * row where it overlaps no other, right of its line (left of it near the end of the chart). The boxes are
     * drawn after every line, so a line crossing another fault's label passes behind it.
     *
     * Sets the top of the y axis to make room for the rows of labels.
     *
     * @param bottom the bottom of the y axis
     * @param top    the top of the data, where the first row of labels goes
     */
    private static void markFaults(XYChart chart, List<Mark> marks, double end, double bottom, double top, boolean withText) {
        chart.getStyler().setAnnotationLineColor(FAULT_COLOR);
        chart.getStyler().setAnnotationLineStroke(new BasicStroke(1.5f));
        chart.getStyler().setAnnotationTextPanelFont(FAULT_FONT);
        chart.getStyler().setAnnotationTextPanelFontColor(FAULT_COLOR);
        chart.getStyler().setAnnotationTextPanelBackgroundColor(Color.WHITE);
        chart.getStyler().setAnnotationTextPanelBorderColor(FAULT_COLOR);
        chart.getStyler().setAnnotationTextPanelPadding(LABEL_PADDING);
        double secondsPerPixel = end / (WIDTH - NON_PLOT_WIDTH);
        double gap = 2 * secondsPerPixel;
        List<Double> rowEnds = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<double[]> places = new ArrayList<>();    // left, row
        for (Mark mark : marks) {
            String text = withText ? mark.label() + " " + mark.text() : mark.label();
            double width = (FAULT_FONT.getStringBounds(text, FRC).getWidth() + 3 * LABEL_PADDING + 2) * secondsPerPixel;
            double left = mark.atSeconds() + gap + width > end ? mark.atSeconds() - gap - width : mark.atSeconds() + gap;
            int row = 0;
            while (row < rowEnds.size() && rowEnds.get(row) + 3 * gap > left && row < MAX_LABEL_ROWS - 1) {
                row++;
            }
            if (row == rowEnds.size()) {
                rowEnds.add(left + width);
            } else {
                rowEnds.set(row, Math.max(rowEnds.get(row), left + width));
            }
            chart.addAnnotation(new AnnotationLine(mark.atSeconds(), true, false));
            texts.add(text);
            places.add(new double[] {left, row});
        }
        // rows of LABEL_HEIGHT pixels: h = LABEL_HEIGHT * (top - bottom + rows * h) / plotHeight, solved for h
        int rows = Math.max(1, rowEnds.size());
        double plotHeight = chart.getHeight() - NON_PLOT_HEIGHT;
        double rowHeight = LABEL_HEIGHT * (top - bottom) / (plotHeight - LABEL_HEIGHT * rows);
        chart.getStyler().setYAxisMax(top + rowHeight * rows);
        for (int i = 0; i < texts.size(); i++) {
            chart.addAnnotation(new AnnotationTextPanel(texts.get(i), places.get(i)[0], top + rowHeight * places.get(i)[1], false));
        }
    }

    /** A label at the left end of a row of the state chart, just above its high level. */
    private static void rowLabel(XYChart chart, String text, double end, double y) {
        double secondsPerPixel = end / (WIDTH - NON_PLOT_WIDTH);
        double width = FAULT_FONT.getStringBounds(text, FRC).getWidth() * secondsPerPixel;
        chart.addAnnotation(new AnnotationText(text, (6 * secondsPerPixel) + width / 2, y, false));
    }

    private static void style(XYChart chart, double end) {
        AxesChartStyler styler = chart.getStyler();
        styler.setXAxisDecimalPattern("0.#");
        styler.setXAxisMin(0.0);
        styler.setXAxisMax(end);
        styler.setYAxisMin(0.0);
        styler.setMarkerSize(0);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    }

    private static void line(XYSeries series, Color color, float width, float[] dash) {
        series.setMarker(SeriesMarkers.NONE);
        if (color != null) {
            series.setLineColor(color);
        }
        series.setLineStyle(dash == null ? new BasicStroke(width)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
    }

    private static void step(List<Double> xs, List<Double> ys, double at, double level) {
        xs.add(at);
        ys.add(ys.get(ys.size() - 1));
        xs.add(at);
        ys.add(level);
    }

    private static String primeTag(SimulationResult run, NodeId node) {
        return node.equals(run.config().topology().prime()) ? " (prime)" : "";
    }

    private static List<double[]> concat(java.util.Collection<double[]> first, double[]... more) {
        List<double[]> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    /** A number of seconds without a useless ".0". */
    static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
