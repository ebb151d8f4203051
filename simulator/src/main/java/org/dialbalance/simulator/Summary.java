package org.dialbalance.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.core.BalancerConfig;

/**
 * The numbers of a run. Per node: regular-mode requests dialed, ASM-pinned requests dialed (apart, so that a
 * fair rotation never looks unfair), failed, rejected and held requests meant for it, its share of the
 * regular-mode routing decisions made while it was active, and how long it was active. Per outcome: dialed
 * (with the re-routed ones under it), held by reason, failed by reason.
 */
final class Summary {

    /**
     * @param node             the node
     * @param dialed           regular-mode requests dialed on it
     * @param dialedAsm        seizing-mode (ASM-pinned) requests dialed on it
     * @param failed           requests sent to it (or meant for it) that failed, rejections apart
     * @param rejected         requests it answered with EventError
     * @param held             requests held because of it: the prime's PRIME_NODE_DOWN, a dialer node's DIALER_NODE_DOWN
     * @param shareWhileActive its share of the regular-mode decisions made while it was active
     * @param activeSeconds    how long it was active during the workload (time down subtracted)
     */
    record NodeRow(NodeId node, long dialed, long dialedAsm, long failed, long rejected, long held, double shareWhileActive,
                   double activeSeconds) {
    }

    final List<NodeRow> nodes;
    final Map<String, Long> outcomes;
    final double seconds;
    final double waitedSeconds;
    final long requests;
    final int plannedRequests;
    final int rate;
    final FaultMode faultMode;
    final boolean interrupted;
    final List<TimelineEntry> unplanned;

    private Summary(List<NodeRow> nodes, Map<String, Long> outcomes, SimulationResult run) {
        this.nodes = nodes;
        this.outcomes = outcomes;
        this.seconds = run.durationNanos() / 1e9;
        this.waitedSeconds = run.waitedNanos() / 1e9;
        this.requests = run.requests().size();
        this.plannedRequests = run.scenario().requests();
        this.rate = run.scenario().rate();
        this.faultMode = run.faultMode();
        this.interrupted = run.interrupted();
        this.unplanned = unplannedChanges(run);
    }

    /**
     * Link changes the balancer saw that no fault of the script caused: a node going down or switching links
     * outside the time between a fault and its observation (keep-alive timeouts on a starved machine, say).
     * In-stream runs are reproducible only when there are none; wall-clock runs are not judged here.
     */
    private static final long EVENT_GRACE_NANOS = 2_000_000_000L;

    private static NodeId eventNode(ClusterEvent event) {
        if (event instanceof ClusterEvent.NodeDeactivated deactivated) {
            return deactivated.node();
        }
        if (event instanceof ClusterEvent.LinkSwitched switched) {
            return switched.node();
        }
        return ((ClusterEvent.NodeActivated) event).node();
    }

    static List<TimelineEntry> unplannedChanges(SimulationResult run) {
        if (run.faultMode() != FaultMode.IN_STREAM) {
            return List.of();
        }
        List<TimelineEntry> unplanned = new ArrayList<>();
        for (TimelineEntry entry : run.timeline()) {
            if (!(entry.event() instanceof ClusterEvent.NodeDeactivated || entry.event() instanceof ClusterEvent.LinkSwitched
                    || entry.event() instanceof ClusterEvent.NodeActivated)) {
                continue;
            }
            NodeId node = eventNode(entry.event());
            // caused by a fault on that node: after it was applied, and no later than a moment after the balancer
            // was seen to observe it (events are delivered just after the snapshot changes)
            boolean caused = run.faults().stream().anyMatch(fault -> (fault.fault().node() == null || fault.fault().node().equals(node))
                    && entry.nanos() >= fault.appliedNanos()
                    && (fault.observedNanos() < 0 || entry.nanos() <= fault.observedNanos() + EVENT_GRACE_NANOS));
            if (!caused) {
                unplanned.add(entry);
            }
        }
        return unplanned;
    }

    static Summary of(SimulationResult run) {
        Map<NodeId, long[]> perNode = new TreeMap<>();    // dialed, dialedAsm, failed, rejected, held, regularDecisions, regularWhileActive
        run.nodes().forEach(node -> perNode.put(node, new long[7]));
        long dialed = 0;
        long rerouted = 0;
        Map<String, Long> held = new TreeMap<>();
        Map<String, Long> failed = new TreeMap<>();
        long none = 0;
        NodeId prime = run.config().topology().prime();
        for (RequestRecord request : run.requests()) {
            DialOutcome outcome = request.outcome();
            if (outcome instanceof DialOutcome.Dialed d) {
                dialed++;
                rerouted += d.routeAttempts() > 1 ? 1 : 0;
                perNode.get(d.node())[request.group.mode().isSeizing() ? 1 : 0]++;
            } else if (outcome instanceof DialOutcome.Held h) {
                held.merge("held: " + h.reason(), 1L, Long::sum);
                NodeId blamed = h.reason().equals(HoldReason.PRIME_NODE_DOWN)
                        ? request.lastDecision() == null ? prime : request.lastDecision().snapshot().prime()
                        : h.reason().equals(HoldReason.DIALER_NODE_DOWN) && request.lastDecision() != null
                        ? dialerOf(run, request) : null;
                if (blamed != null && perNode.containsKey(blamed)) {
                    perNode.get(blamed)[4]++;
                }
            } else if (outcome instanceof DialOutcome.Failed f) {
                failed.merge("failed: " + f.reason(), 1L, Long::sum);
                f.node().filter(perNode::containsKey).ifPresent(node -> perNode.get(node)[f.reason() == FailureReason.REJECTED ? 3 : 2]++);
            } else {
                none++;
            }
        }
        for (Decision decision : run.decisions()) {
            RequestRecord request = run.requests().get(decision.requestId());
            if (request.group.mode().isSeizing() || decision.node().isEmpty() || !decision.snapshot().isPrimeActive()) {
                continue;
            }
            perNode.get(decision.node().get())[5]++;
            for (NodeId active : decision.snapshot().activeNodes()) {
                perNode.get(active)[6]++;
            }
        }
        Map<String, Long> outcomes = new LinkedHashMap<>();
        outcomes.put("dialed", dialed);
        if (rerouted > 0) {
            outcomes.put("  of which re-routed before write", rerouted);
        }
        outcomes.putAll(held);
        outcomes.putAll(failed);
        if (none > 0) {
            outcomes.put("no outcome", none);
        }
        double seconds = run.durationNanos() / 1e9;
        Map<NodeId, Double> active = activeSeconds(run, seconds);
        List<NodeRow> rows = new ArrayList<>();
        for (NodeId node : run.nodes()) {
            long[] n = perNode.get(node);
            double share = n[6] == 0 ? 0 : (double) n[5] / n[6];
            rows.add(new NodeRow(node, n[0], n[1], n[2], n[3], n[4], share, active.getOrDefault(node, 0.0)));
        }
        return new Summary(rows, outcomes, run);
    }

    private static NodeId dialerOf(SimulationResult run, RequestRecord request) {
        List<BalancerConfig> configs = run.configsAt(request.lastDecision());
        BalancerConfig config = configs.get(configs.size() - 1);
        return request.group.asmDialNode().filter(config.topology()::contains).orElse(config.topology().prime());
    }

    /**
     * Seconds each node was active during the workload, from the cluster events of the timeline: every node
     * configured at start starts active (the workload starts on a settled cluster), a NodeDeactivated ends an active
     * stretch and a NodeActivated starts one; a reload that removes a node ends its stretch
     * ({@code ConfigurationApplied}).
     */
    static Map<NodeId, Double> activeSeconds(SimulationResult run, double totalSeconds) {
        Map<NodeId, Double> total = new TreeMap<>();
        Map<NodeId, Double> since = new TreeMap<>();
        for (NodeId node : run.nodes()) {
            total.put(node, 0.0);
        }
        for (NodeSpec node : run.config().topology().nodes()) {
            since.put(node.id(), 0.0);
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
            } else if (entry.event() instanceof ClusterEvent.ConfigurationApplied applied) {
                run.configs().stream().filter(epoch -> epoch.configurationVersion() == applied.configurationVersion()).findFirst()
                        .ifPresent(epoch -> List.copyOf(since.keySet()).stream().filter(node -> !epoch.config().topology().contains(node))
                                .forEach(node -> total.merge(node, at - since.remove(node), Double::sum)));
            }
        }
        since.forEach((node, from) -> total.merge(node, totalSeconds - from, Double::sum));
        return total;
    }

    /** The tables as plain text for the console. */
    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-6s %9s %7s %7s %9s %7s %13s%n", "node", "dialed", "ASM", "failed", "rejected",
                "held", "share (RR)"));
        for (NodeRow row : nodes) {
            out.append(String.format(Locale.ROOT, "%-6s %9d %7d %7d %9d %7d %12.1f%%%n", row.node(), row.dialed(), row.dialedAsm(),
                    row.failed(), row.rejected(), row.held(), 100 * row.shareWhileActive()));
        }
        out.append("(dialed: regular-mode requests; ASM: seizing groups' calls on their dialer node; share (RR): of the regular-mode\n"
                + " requests routed while the node was active, the part it got; held: refused because this node was down)\n");
        out.append(String.format(Locale.ROOT, "%n%-34s %10s%n", "outcome", "requests"));
        outcomes.forEach((outcome, count) -> out.append(String.format(Locale.ROOT, "%-34s %10d%n", outcome, count)));
        out.append(String.format(Locale.ROOT, "%-34s %10d%n", "total", requests));
        out.append("\nTime active (measured, down time subtracted):");
        for (NodeRow row : nodes) {
            out.append(String.format(Locale.ROOT, " %s %.1f s%s", row.node(), row.activeSeconds(), row == nodes.get(nodes.size() - 1) ? "" : ","));
        }
        out.append(String.format(Locale.ROOT, "%nIssued %d of %d requests in %.1f s (%.0f req/s measured, %d/s requested)", requests,
                plannedRequests, seconds, requests / Math.max(seconds, 1e-9), rate));
        if (faultMode == FaultMode.IN_STREAM && waitedSeconds > 0) {
            out.append(String.format(Locale.ROOT, "; %.1f s of it waiting for faults to take effect", waitedSeconds));
        }
        out.append(String.format(Locale.ROOT, ".%nFault mode: %s%s%n", faultMode.optionName(), faultMode == FaultMode.IN_STREAM
                ? " (each fault placed in the request stream and observed before the workload goes on: same seed, same tables)"
                : " (faults at wall-clock times: realistic, not reproducible request for request)"));
        if (interrupted) {
            out.append("Stopped early (interrupted): the tables and the verdict cover the requests issued.\n");
        }
        if (!unplanned.isEmpty()) {
            out.append(String.format(Locale.ROOT, "Note: the balancer saw %d link change(s) that no fault caused (first: %s at %.3f s),"
                    + " such as keep-alive timeouts on a starved machine; the verdict still holds, but the tables may differ from"
                    + " another run with this seed.%n", unplanned.size(), unplanned.get(0).describe(), unplanned.get(0).nanos() / 1e9));
        }
        return out.toString();
    }
}
