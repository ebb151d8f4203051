package org.dialbalance.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;

/**
 * The numbers of a run: per node (dialed, share of regular requests while it was active, time active)
 * and per outcome (dialed, held by reason, failed by reason).
 */
final class Summary {

    /**
     * @param node          the node
     * @param dialed        requests dialed on it
     * @param shareWhileActive its share of the regular requests dialed while it was active
     * @param activeSeconds how long it was active during the workload
     */
    record NodeRow(NodeId node, long dialed, double shareWhileActive, double activeSeconds) {
    }

    final List<NodeRow> nodes;
    final Map<String, Long> outcomes;
    final double seconds;
    final long requests;

    private Summary(List<NodeRow> nodes, Map<String, Long> outcomes, double seconds, long requests) {
        this.nodes = nodes;
        this.outcomes = outcomes;
        this.seconds = seconds;
        this.requests = requests;
    }

    static Summary of(SimulationResult run) {
        Map<NodeId, Long> dialed = new TreeMap<>();
        Map<NodeId, Long> regularDialed = new TreeMap<>();
        Map<NodeId, Long> regularWhileActive = new TreeMap<>();
        Map<String, Long> outcomes = new LinkedHashMap<>();
        outcomes.put("dialed", 0L);
        for (RequestRecord request : run.requests()) {
            DialOutcome outcome = request.outcome();
            if (outcome instanceof DialOutcome.Dialed d) {
                outcomes.merge("dialed", 1L, Long::sum);
                if (d.routeAttempts() > 1) {
                    outcomes.merge("  of which re-routed before write", 1L, Long::sum);
                }
                dialed.merge(d.node(), 1L, Long::sum);
                if (!request.group.mode().isSeizing()) {
                    regularDialed.merge(d.node(), 1L, Long::sum);
                    for (NodeId active : request.snapshotBefore.activeNodes()) {
                        regularWhileActive.merge(active, 1L, Long::sum);
                    }
                }
            } else if (outcome instanceof DialOutcome.Held held) {
                outcomes.merge("held: " + held.reason(), 1L, Long::sum);
            } else if (outcome instanceof DialOutcome.Failed failed) {
                outcomes.merge("failed: " + failed.reason(), 1L, Long::sum);
            } else {
                outcomes.merge("no outcome", 1L, Long::sum);
            }
        }
        double seconds = run.durationNanos() / 1e9;
        Map<NodeId, Double> active = activeSeconds(run, seconds);
        List<NodeRow> rows = new ArrayList<>();
        for (NodeSpec spec : run.config().topology().nodes()) {
            long whileActive = regularWhileActive.getOrDefault(spec.id(), 0L);
            double share = whileActive == 0 ? 0 : (double) regularDialed.getOrDefault(spec.id(), 0L) / whileActive;
            rows.add(new NodeRow(spec.id(), dialed.getOrDefault(spec.id(), 0L), share, active.getOrDefault(spec.id(), 0.0)));
        }
        return new Summary(rows, outcomes, seconds, run.requests().size());
    }

    /** Seconds each node was active during the workload, from the cluster events of the timeline. */
    static Map<NodeId, Double> activeSeconds(SimulationResult run, double totalSeconds) {
        Map<NodeId, Double> total = new TreeMap<>();
        Map<NodeId, Double> since = new TreeMap<>();
        if (!run.requests().isEmpty()) {
            for (NodeId node : run.requests().get(0).snapshotBefore.activeNodes()) {
                since.put(node, 0.0);
            }
        }
        for (TimelineEntry entry : run.timeline()) {
            double at = Math.min(entry.nanos() / 1e9, totalSeconds);
            if (entry.event() instanceof ClusterEvent.NodeActivated activated) {
                since.putIfAbsent(activated.node(), at);
            } else if (entry.event() instanceof ClusterEvent.NodeDeactivated deactivated) {
                Double from = since.remove(deactivated.node());
                if (from != null) {
                    total.merge(deactivated.node(), at - from, Double::sum);
                }
            }
        }
        since.forEach((node, from) -> total.merge(node, totalSeconds - from, Double::sum));
        return total;
    }

    /** The tables as plain text for the console. */
    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-8s %10s %20s %14s%n", "node", "dialed", "share while active", "time active"));
        for (NodeRow row : nodes) {
            out.append(String.format(Locale.ROOT, "%-8s %10d %19.1f%% %13.1fs%n", row.node(), row.dialed(),
                    100 * row.shareWhileActive(), row.activeSeconds()));
        }
        out.append(String.format(Locale.ROOT, "%n%-34s %10s%n", "outcome", "requests"));
        outcomes.forEach((outcome, count) -> out.append(String.format(Locale.ROOT, "%-34s %10d%n", outcome, count)));
        out.append(String.format(Locale.ROOT, "%-34s %10d  in %.1f s (%.0f req/s)%n", "total", requests, seconds, requests / Math.max(seconds, 1e-9)));
        return out.toString();
    }
}
