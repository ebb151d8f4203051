package org.dialbalance.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Route;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;

/**
 * The guarantees of the design, judged on facts that do not depend on timing: every routing decision with
 * the exact snapshot it was made on (reported by the balancer itself), the outcome of every request, and
 * what each simulated server application actually received.
 *
 * <ul>
 *   <li>A request re-routed after its first link was found gone is judged on the snapshot of the route that
 *       sent it, and each of its decisions on its own snapshot.</li>
 *   <li>Fairness is judged over runs of consecutive decisions of regular-mode groups made on one active
 *       set; ASM-pinned requests take no turn of the rotation and are left out.</li>
 *   <li>Across reloads, each decision is judged against the configuration in force when it was made
 *       ({@link ConfigEpoch}); one routed while a reload was being applied may follow either.</li>
 *   <li>A check with nothing to check says SKIP and why, never PASS; a fault of the script that was not
 *       applied (a reload the balancer refused, say), or not observed by the balancer, fails the run.</li>
 * </ul>
 */
final class Verdict {

    /** How one guarantee fared. */
    enum Status { PASS, FAIL, SKIP }

    /**
     * @param name             the guarantee
     * @param status           PASS, FAIL, or SKIP when there was nothing to check
     * @param checked          how many decisions, requests or events it was checked on
     * @param firstViolation   the first violation, or why it was skipped; empty on PASS
     */
    record Result(String name, Status status, long checked, String firstViolation) {
    }

    /**
     * Policies whose contract is round-robin fairness. {@code neighbour-takes-all} is the simulator's own
     * deliberately broken round-robin (test class path only), listed so that its run is judged, and fails.
     */
    static final Set<String> FAIR_POLICIES = Set.of("round-robin", "neighbour-takes-all");

    private Verdict() {
    }

    static List<Result> judge(SimulationResult run) {
        Map<String, List<ClusterUnderTest.ServerRecord>> receivedById = new HashMap<>();
        for (ClusterUnderTest.ServerRecord record : run.received()) {
            receivedById.computeIfAbsent(record.requestId(), ignored -> new ArrayList<>()).add(record);
        }
        List<Result> results = new ArrayList<>();
        results.add(faultScript(run));
        results.add(neverOnInactive(run, receivedById));
        results.add(fairness(run));
        results.add(primeDownHeld(run, receivedById));
        results.add(asmPinning(run));
        results.add(exactlyOnce(run, receivedById));
        results.add(dnEventsFromPrime(run));
        results.add(nothingToDrainedOrRemoved(run, receivedById));
        results.addAll(LoadVerdict.judge(run));
        return results;
    }

    static boolean passed(List<Result> results) {
        return results.stream().noneMatch(result -> result.status() == Status.FAIL);
    }

    /** 0. The run did what the scenario says: every fault applied during the workload and observed by the balancer. */
    private static Result faultScript(SimulationResult run) {
        String name = "0. the fault script ran: every fault applied and observed";
        List<Fault> script = run.scenario().faults();
        if (script.isEmpty()) {
            return new Result(name, Status.SKIP, 0, "the scenario has no faults");
        }
        long checked = 0;
        for (Fault fault : script) {
            FaultRecord record = run.faults().stream().filter(candidate -> candidate.fault() == fault).findFirst().orElse(null);
            checked++;
            if (record == null) {
                if (run.interrupted()) {
                    return new Result(name, Status.SKIP, checked, "the run was stopped before fault '" + fault.text() + "'");
                }
                return new Result(name, Status.FAIL, checked, "fault '" + fault.text() + "' was never applied (the workload ended first)");
            }
            if (!record.observed()) {
                return new Result(name, Status.FAIL, checked, "fault '" + fault.text() + "' was applied before request #"
                        + record.beforeRequest() + " but the balancer never showed its effect (" + record.expectation() + ")");
            }
        }
        return new Result(name, Status.PASS, checked, "");
    }

    /** 1. No decision routes to a node that its own snapshot shows inactive; every copy a server got was sent there by one. */
    private static Result neverOnInactive(SimulationResult run, Map<String, List<ClusterUnderTest.ServerRecord>> received) {
        String name = "1. never routed to an inactive node";
        long checked = 0;
        for (Decision decision : run.decisions()) {
            Optional<NodeId> node = decision.node();
            if (node.isEmpty()) {
                continue;
            }
            checked++;
            if (!decision.snapshot().isActive(node.get())) {
                return fail(name, checked, request(run, decision), "routed to node " + node.get() + " (attempt " + decision.attempt()
                        + "), which was inactive in the snapshot v" + decision.snapshot().version() + " it was routed on");
            }
        }
        for (RequestRecord request : run.requests()) {
            for (ClusterUnderTest.ServerRecord copy : received.getOrDefault(Integer.toString(request.id), List.of())) {
                Decision last = request.lastDecision();
                if (last == null || !last.node().equals(Optional.of(copy.node()))) {
                    return fail(name, checked, request, "received by node " + copy.node() + " " + copy.role()
                            + ", but no routing decision of the balancer sent it there (its decisions: " + request.decisions() + ")");
                }
            }
        }
        return checked == 0 ? new Result(name, Status.SKIP, 0, "no request was routed to a node") : new Result(name, Status.PASS, checked, "");
    }

    /**
     * 2. Regular modes: within each run of consecutive decisions made on one active set, per-node counts
     * differ by at most one. A second attempt is routed on a transport thread and may be reported a little
     * out of order; each one that may have taken its turn within a run allows that run one more.
     * Without balancing: every request on the prime.
     */
    private static Result fairness(SimulationResult run) {
        if (!run.config().balancingEnabled()) {
            String name = "2. no lb-mode: every request dials on the prime";
            long checked = 0;
            for (Decision decision : run.decisions()) {
                if (decision.node().isPresent()) {
                    checked++;
                    if (!decision.node().get().equals(decision.snapshot().prime())) {
                        return fail(name, checked, request(run, decision), "routed to node " + decision.node().get() + ", not to the prime");
                    }
                }
            }
            return checked == 0 ? new Result(name, Status.SKIP, 0, "no request was routed to a node") : new Result(name, Status.PASS, checked, "");
        }
        String name = "2. round-robin fairness: counts per active node differ by at most 1";
        if (!FAIR_POLICIES.contains(run.config().lbMode().orElse(""))) {
            return new Result(name, Status.SKIP, 0, "sip-cluster-lb-mode = " + run.config().lbMode().orElse("")
                    + " does not claim round-robin fairness");
        }
        List<Decision> all = run.decisions();
        List<long[]> concurrent = concurrentIntervals(all);
        long checked = 0;
        int judged = 0;
        List<Decision> window = new ArrayList<>();
        List<NodeId> windowSet = null;
        for (Decision decision : all) {
            if (!regularRoute(run, decision)) {
                continue;
            }
            List<NodeId> active = decision.snapshot().activeNodes();
            if (!active.equals(windowSet)) {
                Result verdict = closeWindow(run, name, checked, windowSet, window, concurrent);
                if (verdict != null) {
                    return verdict;
                }
                judged += wholeRound(windowSet, window) ? 1 : 0;
                windowSet = active;
                window = new ArrayList<>();
            }
            window.add(decision);
            checked++;
        }
        Result verdict = closeWindow(run, name, checked, windowSet, window, concurrent);
        if (verdict != null) {
            return verdict;
        }
        judged += wholeRound(windowSet, window) ? 1 : 0;
        if (judged == 0) {
            return new Result(name, Status.SKIP, checked, "no active set lasted a whole round of regular-mode requests");
        }
        return new Result(name, Status.PASS, checked, "");
    }

    private static boolean wholeRound(List<NodeId> set, List<Decision> window) {
        return set != null && window.size() >= set.size();
    }

    private static boolean regularRoute(SimulationResult run, Decision decision) {
        RequestRecord request = run.requests().get(decision.requestId());
        return !request.group.mode().isSeizing() && decision.snapshot().isPrimeActive() && decision.node().isPresent();
    }

    /**
     * For each second attempt: the span of decision numbers within which it may have taken its turn — from
     * the last decision made on an older snapshot than its own to its own report.
     */
    private static List<long[]> concurrentIntervals(List<Decision> all) {
        List<long[]> intervals = new ArrayList<>();
        TreeMap<Long, Long> latestSeqByVersion = new TreeMap<>();    // of the decisions seen so far, in seq order
        for (Decision decision : all) {
            if (decision.attempt() >= 2) {
                long from = -1;
                for (long seq : latestSeqByVersion.headMap(decision.snapshot().version(), false).values()) {
                    from = Math.max(from, seq);
                }
                intervals.add(new long[] {from, decision.seq()});
            }
            latestSeqByVersion.put(decision.snapshot().version(), decision.seq());
        }
        return intervals;
    }

    private static Result closeWindow(SimulationResult run, String name, long checked, List<NodeId> set, List<Decision> window,
                                      List<long[]> concurrent) {
        if (!wholeRound(set, window)) {
            return null;    // fewer decisions than nodes: not a whole round, nothing to say
        }
        Map<NodeId, Integer> counts = new TreeMap<>();
        set.forEach(node -> counts.put(node, 0));
        for (Decision decision : window) {
            counts.merge(decision.node().orElseThrow(), 1, Integer::sum);
        }
        long first = window.get(0).seq();
        long last = window.get(window.size() - 1).seq();
        int allowed = 1;
        for (long[] interval : concurrent) {
            if (interval[0] <= last + 1 && interval[1] >= first - 1) {
                allowed++;
            }
        }
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        if (max - min > allowed) {
            return fail(name, checked, request(run, window.get(0)), "in the " + window.size() + " regular-mode decisions made on active nodes "
                    + set + " from here on, per-node counts were " + counts + " (spread " + (max - min) + ", allowed " + allowed
                    + (allowed > 1 ? ": 1, plus 1 per concurrent second attempt" : "") + ")");
        }
        return null;
    }

    /** 3. Every decision made while the prime was inactive holds with PRIME_NODE_DOWN, and that request reaches no server. */
    private static Result primeDownHeld(SimulationResult run, Map<String, List<ClusterUnderTest.ServerRecord>> received) {
        String name = "3. prime down => every request held (PRIME_NODE_DOWN)";
        long checked = 0;
        for (Decision decision : run.decisions()) {
            if (decision.snapshot().isPrimeActive()) {
                continue;
            }
            checked++;
            RequestRecord request = request(run, decision);
            if (!(decision.route() instanceof Route.Hold hold) || !hold.reason().equals(HoldReason.PRIME_NODE_DOWN)) {
                return fail(name, checked, request, "routed while the prime was inactive (snapshot v" + decision.snapshot().version()
                        + ") to " + decision.route());
            }
            if (!(request.outcome() instanceof DialOutcome.Held held) || !held.reason().equals(HoldReason.PRIME_NODE_DOWN)) {
                return fail(name, checked, request, "held while the prime was inactive, but ended " + describe(request.outcome()));
            }
            if (received.containsKey(Integer.toString(request.id))) {
                return fail(name, checked, request, "held, yet a server received it");
            }
        }
        return checked == 0 ? new Result(name, Status.SKIP, 0, "no request was routed while the prime was down")
                : new Result(name, Status.PASS, checked, "");
    }

    /**
     * 4. ASM: every call of a seizing group on its dialer node (configured, else the prime); dialer down ⇒ held. Each
     * decision is judged against the configuration in force when it was made ({@link SimulationResult#configsAt}): a
     * reload that moves a group's dialer node moves it for the decisions after the reload took effect, and a request
     * carrying the group as another configuration had it is held with {@code CAMPAIGN_GROUP_NOT_CONFIGURED}. What the
     * servers received is tied to these decisions by check 1.
     */
    private static Result asmPinning(SimulationResult run) {
        String name = "4. ASM: each seizing group's calls on its one dialer node";
        long checked = 0;
        for (Decision decision : run.decisions()) {
            RequestRecord request = request(run, decision);
            if (!request.group.mode().isSeizing() || !decision.snapshot().isPrimeActive()) {
                continue;
            }
            checked++;
            List<String> expected = new ArrayList<>();
            boolean matches = false;
            for (BalancerConfig config : run.configsAt(decision)) {
                String expectation = asmExpectation(config, request, decision.snapshot());
                expected.add(expectation);
                matches |= expectation.equals(decision.route() instanceof Route.Hold hold ? "held " + hold.reason() : "to "
                        + decision.node().orElseThrow());
            }
            if (!matches) {
                return fail(name, checked, request, (request.engaging ? "engaging" : "outbound") + " call of group '"
                        + request.group.name() + "' routed to " + decision.route() + " on snapshot v" + decision.snapshot().version()
                        + "; the configuration in force expected it " + String.join(" or ", expected)
                        + (expected.size() > 1 ? " (routed while a reload was applied)" : ""));
            }
        }
        return checked == 0 ? new Result(name, Status.SKIP, 0, "no seizing-mode request was routed while the prime was up")
                : new Result(name, Status.PASS, checked, "");
    }

    /** Where this configuration routes a seizing request on this snapshot: {@code to <node>} or {@code held <reason>}. */
    private static String asmExpectation(BalancerConfig config, RequestRecord request, ClusterSnapshot snapshot) {
        if (!config.campaignGroup(request.group.name()).equals(Optional.of(request.group))) {
            return "held " + HoldReason.CAMPAIGN_GROUP_NOT_CONFIGURED;
        }
        NodeId dialer = !config.balancingEnabled() ? config.topology().prime()
                : request.group.asmDialNode().filter(config.topology()::contains).orElse(config.topology().prime());
        return snapshot.isActive(dialer) ? "to " + dialer : "held " + HoldReason.DIALER_NODE_DOWN;
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
            if (request.decisions().size() > 2) {
                return fail(name, checked, request, "routed " + request.decisions().size() + " times; at most twice is allowed");
            }
            if (outcome instanceof DialOutcome.Dialed dialed) {
                if (copies.isEmpty() || !copies.get(0).node().equals(dialed.node()) || copies.get(0).role() != dialed.via()) {
                    return fail(name, checked, request, "reported dialed on node " + dialed.node() + " " + dialed.via()
                            + " but the servers received " + copies);
                }
                if (dialed.routeAttempts() != request.decisions().size()) {
                    return fail(name, checked, request, "reported " + dialed.routeAttempts() + " route attempts, but the balancer reported "
                            + request.decisions().size() + " routing decisions");
                }
            }
            boolean mustNotArrive = outcome instanceof DialOutcome.Held
                    || outcome instanceof DialOutcome.Failed failed && !failed.reason().written();
            if (mustNotArrive && !copies.isEmpty()) {
                return fail(name, checked, request, "ended " + describe(outcome) + " (never written), yet received by " + copies);
            }
        }
        return checked == 0 ? new Result(name, Status.SKIP, 0, "no request was issued") : new Result(name, Status.PASS, checked, "");
    }

    /** 6. DN-level events come from the prime node only; DNs are registered on the prime only. */
    private static Result dnEventsFromPrime(SimulationResult run) {
        String name = "6. DN-level events from the prime node only";
        // a reload may name another prime: each prime the run had may have carried them (the servers' records have no time)
        Set<NodeId> primes = new java.util.LinkedHashSet<>();
        run.configs().forEach(epoch -> primes.add(epoch.config().topology().prime()));
        String prime = primes.size() == 1 ? primes.iterator().next().toString() : "primes " + primes;
        if (run.config().monitoredDns().isEmpty()) {
            return new Result(name, Status.SKIP, 0, "the configuration monitors no DN (monitored-dns)");
        }
        long checked = 0;
        for (ClusterUnderTest.Registration registration : run.registrations()) {
            checked++;
            if (!primes.contains(registration.node())) {
                return new Result(name, Status.FAIL, checked, "DN " + registration.dn() + " was registered on node "
                        + registration.node() + " " + registration.role() + ", not on the prime " + prime);
            }
        }
        for (TelephonyEvent event : run.dnEvents()) {
            checked++;
            if (!primes.contains(event.node())) {
                return new Result(name, Status.FAIL, checked, event.name() + " for DN " + event.thisDn() + " reached the listeners from node "
                        + event.node() + ", not from the prime " + prime);
            }
        }
        if (run.dnEvents().isEmpty()) {
            return new Result(name, Status.FAIL, checked, "DNs are monitored but no DN-level event reached the listeners");
        }
        return new Result(name, Status.PASS, checked, "");
    }

    /**
     * 7. Drain and removal: no request is routed to a node from the moment its drain began until it is enabled again,
     * and none routed after a reload removed a node reaches that node (one routed just before may be sent there while
     * it drains; a later one finds it gone before the write and is routed once more). Which configuration was in force
     * is judged per request from its decisions ({@link ConfigEpoch#inForceAt}), not from when it was issued: in
     * wall-clock mode a request issued while a reload is being applied may be routed on the new one.
     */
    private static Result nothingToDrainedOrRemoved(SimulationResult run, Map<String, List<ClusterUnderTest.ServerRecord>> received) {
        String name = "7. nothing routed to a draining node or sent to a removed one";
        boolean drains = run.scenario().faults().stream().anyMatch(fault -> fault.action() == Fault.Action.DRAIN);
        List<ConfigEpoch> configs = run.configs();
        boolean removes = false;
        for (int i = 1; i < configs.size(); i++) {
            removes |= !configs.get(i).config().topology().nodes().stream().map(spec -> spec.id()).toList()
                    .containsAll(configs.get(i - 1).config().topology().nodes().stream().map(spec -> spec.id()).toList());
        }
        if (!drains && !removes) {
            return new Result(name, Status.SKIP, 0, "the scenario drains no node and no reload removes one");
        }
        long checked = 0;
        for (Decision decision : run.decisions()) {
            if (decision.node().isEmpty()) {
                continue;
            }
            checked++;
            if (decision.snapshot().isDraining(decision.node().get())) {
                return fail(name, checked, request(run, decision), "routed to node " + decision.node().get()
                        + ", which was draining in the snapshot v" + decision.snapshot().version() + " it was routed on");
            }
        }
        Map<Integer, List<Decision>> decisionsOf = new HashMap<>();
        for (Decision decision : run.decisions()) {
            decisionsOf.computeIfAbsent(decision.requestId(), id -> new ArrayList<>()).add(decision);
        }
        for (RequestRecord request : run.requests()) {
            ConfigEpoch inForce = inForceFor(configs, decisionsOf.getOrDefault(request.id, List.of()));
            for (ClusterUnderTest.ServerRecord copy : received.getOrDefault(Integer.toString(request.id), List.of())) {
                checked++;
                if (!inForce.config().topology().contains(copy.node())) {
                    return fail(name, checked, request, "routed while configuration v" + inForce.configurationVersion()
                            + " was in force, which does not have node " + copy.node() + ", yet received by it (" + copy.role() + ")");
                }
            }
        }
        return new Result(name, Status.PASS, checked, "");
    }

    /**
     * The newest configuration certainly in force when the request was routed ({@link ConfigEpoch#inForceAt}): in
     * wall-clock mode a request issued while a reload was being applied may be routed on the new configuration, and is
     * then judged by it.
     */
    private static ConfigEpoch inForceFor(List<ConfigEpoch> configs, List<Decision> decisions) {
        ConfigEpoch inForce = configs.get(0);
        for (ConfigEpoch epoch : configs) {
            for (Decision decision : decisions) {
                if (epoch.inForceAt(decision)) {
                    inForce = epoch;
                }
            }
        }
        return inForce;
    }

    private static RequestRecord request(SimulationResult run, Decision decision) {
        return run.requests().get(decision.requestId());
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
                + (request.engaging ? "engaging" : "outbound") + ", issued at " + String.format(Locale.ROOT, "%.3f s",
                request.issuedNanos / 1e9) + "): " + what);
    }
}
