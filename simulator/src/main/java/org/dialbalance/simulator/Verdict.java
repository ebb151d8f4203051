package org.dialbalance.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.TelephonyEvent;

/**
 * The six guarantees of the design, checked against what actually happened: the outcomes the balancer
 * reported and, above all, the requests each simulated server application received.
 *
 * <p>A request's routing snapshot is known exactly when the snapshot version did not change during its
 * {@code dial} call (routing happens inside it); requests that raced a change are left out of the checks
 * that depend on the snapshot, and counted.
 */
final class Verdict {

    /** How one guarantee fared. */
    enum Status { PASS, FAIL, SKIP }

    /**
     * @param name             the guarantee
     * @param status           PASS, FAIL, or SKIP when it does not apply
     * @param checked          how many requests (or events) it was checked on
     * @param firstViolation   the first violating request, or why it was skipped; empty on PASS
     */
    record Result(String name, Status status, long checked, String firstViolation) {
    }

    /**
     * Policies whose contract is round-robin fairness. {@code neighbour-takes-all} is the simulator's own
     * deliberately broken round-robin (test class path only), listed so that its run is judged, and fails.
     */
    static final java.util.Set<String> FAIR_POLICIES = java.util.Set.of("round-robin", "neighbour-takes-all");

    private Verdict() {
    }

    static List<Result> judge(SimulationResult run) {
        Map<String, List<ClusterUnderTest.ServerRecord>> receivedById = new HashMap<>();
        for (ClusterUnderTest.ServerRecord record : run.received()) {
            receivedById.computeIfAbsent(record.requestId(), ignored -> new ArrayList<>()).add(record);
        }
        List<Result> results = new ArrayList<>();
        results.add(neverOnInactive(run, receivedById));
        results.add(fairness(run));
        results.add(primeDownHeld(run, receivedById));
        results.add(asmPinning(run, receivedById));
        results.add(exactlyOnce(run, receivedById));
        results.add(dnEventsFromPrime(run));
        return results;
    }

    static boolean passed(List<Result> results) {
        return results.stream().noneMatch(result -> result.status() == Status.FAIL);
    }

    /** 1. A request is never routed to a node that its routing snapshot shows inactive. */
    private static Result neverOnInactive(SimulationResult run, Map<String, List<ClusterUnderTest.ServerRecord>> received) {
        String name = "1. never routed to an inactive node";
        long checked = 0;
        for (RequestRecord request : run.requests()) {
            if (!request.routedOnKnownSnapshot()) {
                continue;
            }
            for (ClusterUnderTest.ServerRecord record : received.getOrDefault(Integer.toString(request.id), List.of())) {
                checked++;
                if (!request.snapshotBefore.isActive(record.node())) {
                    return fail(name, checked, request, "received by node " + record.node() + " " + record.role()
                            + ", which was inactive in its routing snapshot v" + request.snapshotBefore.version());
                }
            }
        }
        return new Result(name, Status.PASS, checked, "");
    }

    /**
     * 2. Regular modes: within each run of consecutive requests routed on the same active set, per-node
     * counts differ by at most one (plus one for each request of that run that was re-routed or failed
     * before a reply, since each consumes a turn). Without balancing: every request on the prime.
     */
    private static Result fairness(SimulationResult run) {
        if (!run.config().balancingEnabled()) {
            String name = "2. no lb-mode: every request dials on the prime";
            long checked = 0;
            for (RequestRecord request : run.requests()) {
                Optional<NodeId> node = routedNode(request.outcome());
                if (node.isPresent()) {
                    checked++;
                    if (!node.get().equals(run.config().topology().prime())) {
                        return fail(name, checked, request, "dialed on node " + node.get() + ", not on the prime");
                    }
                }
            }
            return new Result(name, Status.PASS, checked, "");
        }
        String name = "2. round-robin fairness: counts per active node differ by at most 1";
        if (!FAIR_POLICIES.contains(run.config().lbMode().orElse(""))) {
            return new Result(name, Status.SKIP, 0, "sip-cluster-lb-mode = " + run.config().lbMode().orElse("")
                    + " does not claim round-robin fairness");
        }
        long checked = 0;
        List<NodeId> window = null;
        Map<NodeId, Integer> counts = new TreeMap<>();
        int tolerance = 1;
        RequestRecord windowStart = null;
        for (RequestRecord request : run.requests()) {
            if (request.group.mode().isSeizing() || !request.snapshotBefore.isPrimeActive()) {
                continue;
            }
            if (!request.routedOnKnownSnapshot()) {
                tolerance++;    // it took a turn of the shared counter, but on which snapshot is unknown
                continue;
            }
            List<NodeId> active = request.snapshotBefore.activeNodes();
            if (!active.equals(window)) {
                Result verdict = closeWindow(name, checked, window, counts, tolerance, windowStart);
                if (verdict != null) {
                    return verdict;
                }
                window = active;
                counts = new TreeMap<>();
                tolerance = 1;
                windowStart = request;
            }
            Optional<NodeId> node = routedNode(request.outcome());
            if (node.isPresent()) {
                counts.merge(node.get(), 1, Integer::sum);
                checked++;
            }
            if (request.outcome() instanceof DialOutcome.Dialed dialed) {
                tolerance += dialed.routeAttempts() - 1;    // a re-route took a second turn
            } else {
                tolerance++;
            }
        }
        Result verdict = closeWindow(name, checked, window, counts, tolerance, windowStart);
        return verdict != null ? verdict : new Result(name, Status.PASS, checked, "");
    }

    private static Result closeWindow(String name, long checked, List<NodeId> window, Map<NodeId, Integer> counts, int tolerance,
                                      RequestRecord windowStart) {
        if (window == null) {
            return null;
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (total < window.size()) {
            return null;    // too few requests in this active set to say anything
        }
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (NodeId node : window) {
            int count = counts.getOrDefault(node, 0);
            max = Math.max(max, count);
            min = Math.min(min, count);
        }
        if (max - min > tolerance) {
            return fail(name, checked, windowStart, "in the run of requests starting here on active nodes " + window
                    + ", per-node counts were " + counts + " (spread " + (max - min) + ", allowed " + tolerance + ")");
        }
        return null;
    }

    /** 3. Prime node inactive ⇒ every request held with PRIME_NODE_DOWN, and none reaches a server. */
    private static Result primeDownHeld(SimulationResult run, Map<String, List<ClusterUnderTest.ServerRecord>> received) {
        String name = "3. prime down => every request held (PRIME_NODE_DOWN)";
        long checked = 0;
        for (RequestRecord request : run.requests()) {
            if (!request.routedOnKnownSnapshot() || request.snapshotBefore.isPrimeActive()) {
                continue;
            }
            checked++;
            if (!(request.outcome() instanceof DialOutcome.Held held) || !held.reason().equals(HoldReason.PRIME_NODE_DOWN)) {
                return fail(name, checked, request, "routed while the prime was inactive, but ended " + describe(request.outcome()));
            }
            if (received.containsKey(Integer.toString(request.id))) {
                return fail(name, checked, request, "held, yet a server received it");
            }
        }
        return new Result(name, Status.PASS, checked, checked == 0 ? "(the prime was never down)" : "");
    }

    /** 4. ASM: every call of a seizing group on its dialer node (configured, else the prime); dialer down ⇒ held. */
    private static Result asmPinning(SimulationResult run, Map<String, List<ClusterUnderTest.ServerRecord>> received) {
        String name = "4. ASM: each seizing group's calls on its one dialer node";
        long checked = 0;
        for (RequestRecord request : run.requests()) {
            if (!request.group.mode().isSeizing()) {
                continue;
            }
            NodeId dialer = dialerNode(request.group, run);
            for (ClusterUnderTest.ServerRecord record : received.getOrDefault(Integer.toString(request.id), List.of())) {
                checked++;
                if (!record.node().equals(dialer)) {
                    return fail(name, checked, request, (request.engaging ? "engaging" : "outbound") + " call of group '"
                            + request.group.name() + "' received by node " + record.node() + "; its dialer node is " + dialer);
                }
            }
            ClusterSnapshot snapshot = request.snapshotBefore;
            if (request.routedOnKnownSnapshot() && snapshot.isPrimeActive() && !snapshot.isActive(dialer)
                    && !(request.outcome() instanceof DialOutcome.Held held && held.reason().equals(HoldReason.DIALER_NODE_DOWN))) {
                return fail(name, checked, request, "dialer node " + dialer + " was inactive, but the request ended "
                        + describe(request.outcome()));
            }
        }
        return new Result(name, Status.PASS, checked, "");
    }

    private static NodeId dialerNode(CampaignGroup group, SimulationResult run) {
        if (!run.config().balancingEnabled()) {
            return run.config().topology().prime();
        }
        return group.asmDialNode().filter(run.config().topology()::contains).orElse(run.config().topology().prime());
    }

    /** 5. Every request ends in exactly one outcome; none is lost; none is sent twice. */
    private static Result exactlyOnce(SimulationResult run, Map<String, List<ClusterUnderTest.ServerRecord>> received) {
        String name = "5. exactly one outcome per request, none lost, none sent twice";
        long checked = 0;
        for (RequestRecord request : run.requests()) {
            checked++;
            List<ClusterUnderTest.ServerRecord> copies = received.getOrDefault(Integer.toString(request.id), List.of());
            DialOutcome outcome = request.outcome();
            if (outcome == null) {
                return fail(name, checked, request, "no outcome at all");
            }
            if (request.completions() != 1) {
                return fail(name, checked, request, request.completions() + " outcomes");
            }
            if (copies.size() > 1) {
                return fail(name, checked, request, "sent twice: received by " + copies);
            }
            if (outcome instanceof DialOutcome.Dialed dialed
                    && (copies.isEmpty() || !copies.get(0).node().equals(dialed.node()) || copies.get(0).role() != dialed.via())) {
                return fail(name, checked, request, "reported dialed on node " + dialed.node() + " " + dialed.via()
                        + " but the servers received " + copies);
            }
            boolean mustNotArrive = outcome instanceof DialOutcome.Held
                    || outcome instanceof DialOutcome.Failed failed && !failed.reason().written();
            if (mustNotArrive && !copies.isEmpty()) {
                return fail(name, checked, request, "ended " + describe(outcome) + " (never written), yet received by " + copies);
            }
        }
        return new Result(name, Status.PASS, checked, "");
    }

    /** 6. DN-level events come from the prime node only; DNs are registered on the prime only. */
    private static Result dnEventsFromPrime(SimulationResult run) {
        String name = "6. DN-level events from the prime node only";
        NodeId prime = run.config().topology().prime();
        long checked = 0;
        for (ClusterUnderTest.Registration registration : run.registrations()) {
            checked++;
            if (!registration.node().equals(prime)) {
                return new Result(name, Status.FAIL, checked, "DN " + registration.dn() + " was registered on node "
                        + registration.node() + " " + registration.role() + ", not on the prime " + prime);
            }
        }
        for (TelephonyEvent event : run.dnEvents()) {
            checked++;
            if (!event.node().equals(prime)) {
                return new Result(name, Status.FAIL, checked, event.name() + " for DN " + event.thisDn() + " reached the listeners from node "
                        + event.node() + ", not from the prime " + prime);
            }
        }
        if (!run.config().monitoredDns().isEmpty() && run.dnEvents().isEmpty()) {
            return new Result(name, Status.FAIL, checked, "DNs are monitored but no DN-level event reached the listeners");
        }
        return new Result(name, Status.PASS, checked, "");
    }

    private static Optional<NodeId> routedNode(DialOutcome outcome) {
        if (outcome instanceof DialOutcome.Dialed dialed) {
            return Optional.of(dialed.node());
        }
        if (outcome instanceof DialOutcome.Failed failed && failed.reason() != FailureReason.NOT_SENT) {
            return failed.node();
        }
        return Optional.empty();
    }

    static String describe(DialOutcome outcome) {
        if (outcome == null) {
            return "without an outcome";
        }
        if (outcome instanceof DialOutcome.Dialed dialed) {
            return "dialed on node " + dialed.node() + " " + dialed.via();
        }
        if (outcome instanceof DialOutcome.Held held) {
            return "held " + held.reason();
        }
        DialOutcome.Failed failed = (DialOutcome.Failed) outcome;
        return "failed " + failed.reason() + failed.node().map(node -> " on node " + node).orElse("");
    }

    private static Result fail(String name, long checked, RequestRecord request, String what) {
        return new Result(name, Status.FAIL, checked, "request #" + request.id + " (group '" + request.group.name() + "', "
                + (request.engaging ? "engaging" : "outbound") + ", issued at " + String.format(java.util.Locale.ROOT, "%.3f s",
                request.issuedNanos / 1e9) + "): " + what);
    }
}
