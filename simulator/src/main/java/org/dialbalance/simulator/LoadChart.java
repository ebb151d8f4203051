package org.dialbalance.simulator;

import java.awt.Color;
import java.util.List;

import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.policy.NodeOptions;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The report's chart of calls in progress per node over time: one line per node from the run's load samples (calls in
 * progress plus requests awaiting replies, what {@code max-calls} caps), and a dashed line at each capped node's
 * {@code max-calls}.
 */
final class LoadChart {

    private LoadChart() {
    }

    /** Whether the run has samples worth a chart: taken, and some node had something in progress. */
    static boolean worthDrawing(SimulationResult run) {
        return run.loadSamples().stream().anyMatch(sample -> {
            for (int i = 0; i < sample.callsInProgress().length; i++) {
                if (sample.load(i) > 0) {
                    return true;
                }
            }
            return false;
        });
    }

    static XYChart chart(SimulationResult run) {
        List<LoadSample> samples = run.loadSamples();
        ClusterTopology topology = run.config().topology();
        double[] x = new double[samples.size()];
        for (int s = 0; s < x.length; s++) {
            x[s] = samples.get(s).atNanos() / 1e9;
        }
        XYChart chart = new XYChartBuilder().width(1000).height(420)
                .title("Calls in progress per node (calls dialed and not released, plus requests awaiting replies)")
                .xAxisTitle(ReportCharts.TIME_AXIS).yAxisTitle("calls in progress").build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        for (int i = 0; i < topology.size(); i++) {
            double[] y = new double[samples.size()];
            for (int s = 0; s < y.length; s++) {
                y[s] = samples.get(s).load(i);
            }
            NodeOptions options = run.config().nodeOptions(i);
            String node = "node " + topology.node(i).id() + (options.weight() > 1 ? " (weight " + options.weight() + ")" : "");
            chart.addSeries(node, x, y);
            if (options.capped() && x.length > 0) {
                chart.addSeries(node + " max-calls", new double[] {x[0], x[x.length - 1]},
                        new double[] {options.maxCalls(), options.maxCalls()});
            }
        }
        return chart;
    }
}
