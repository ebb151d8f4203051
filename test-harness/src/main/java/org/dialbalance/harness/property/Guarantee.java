package org.dialbalance.harness.property;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;

/**
 * The guarantees of the design that can be judged from a run's steps alone, each a named property.
 * (Exactly-one-outcome, never-sent-twice, DN events from the prime and agreement with the reference model
 * need the real system and are checked by {@link CoreDriver}.)
 */
public enum Guarantee {

    /**
     * A request is never routed to a node that the snapshot it was routed on shows inactive — and, so that a
     * policy that never dials cannot pass, every request makes progress when it can (see {@link #progress}).
     */
    NEVER_INACTIVE("never routed to an inactive node, and progress") {
        @Override
        Optional<String> check(ClusterCase cluster, List<Step> steps) {
            for (Step step : steps) {
                if (step.isRequest() && step.dialed() && !step.before().isActive(step.node())) {
                    return violation(step, "node #" + step.node() + " is inactive in the snapshot it was routed on");
                }
                Optional<String> stalled = progress(step);
                if (stalled.isPresent()) {
                    return stalled;
                }
            }
            return Optional.empty();
        }
    },

    /**
     * Regular groups: any two nodes that have stayed active since the start are never more than one request
     * apart, and within a run of requests on an unchanged active set, per-node counts differ by at most one.
     * (Catches a cursor reset on membership change and a departed node's share falling to its neighbour.) Nodes are
     * told apart by DBID, so reloads may add and remove them: a node not configured is not active, and a reload that
     * changes the nodes ends a run (a node removed and added back by two reloads may be chosen again at once, as the
     * rotation goes on after the nearest remaining node before the one that left).
     */
    FAIR_ROUND_ROBIN("round-robin fairness, and progress") {
        @Override
        Optional<String> check(ClusterCase cluster, List<Step> steps) {
            // by DBID, not position: a reload may add or remove nodes; a node not configured is not active
            Map<NodeId, Boolean> alwaysActive = new LinkedHashMap<>();
            Map<NodeId, Integer> total = new LinkedHashMap<>();
            Map<NodeId, Integer> window = new LinkedHashMap<>();
            if (!steps.isEmpty()) {
                steps.get(0).before().topology().nodes().forEach(spec -> alwaysActive.put(spec.id(), true));
            }
            List<NodeId> windowSet = null;
            Object topology = steps.isEmpty() ? null : steps.get(0).before().topology().nodes();
            for (Step step : steps) {
                ClusterSnapshot before = step.before();
                alwaysActive.replaceAll((node, active) -> active && before.isActive(node));
                if (!before.topology().nodes().equals(topology)) {
                    topology = before.topology().nodes();
                    windowSet = null;       // a reload changed the nodes: a membership change, even if it comes back to the same set
                }
                if (step.isRequest() && !step.group().mode().isSeizing()) {
                    Optional<String> stalled = progress(step);
                    if (stalled.isPresent()) {
                        return stalled;
                    }
                }
                if (!step.isRequest() || step.group().mode().isSeizing() || !before.isPrimeActive() || !step.dialed()) {
                    continue;
                }
                if (!before.activeNodes().equals(windowSet)) {
                    windowSet = before.activeNodes();
                    window.clear();
                }
                NodeId chosen = before.topology().node(step.node()).id();
                total.merge(chosen, 1, Integer::sum);
                window.merge(chosen, 1, Integer::sum);
                List<NodeId> throughout = alwaysActive.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
                if (spread(total, throughout) > 1) {
                    return violation(step, "nodes active throughout are " + spread(total, throughout) + " requests apart: "
                            + counts(total, throughout));
                }
                if (spread(window, windowSet) > 1) {
                    return violation(step, "on the unchanged active set " + windowSet + " counts spread by " + spread(window, windowSet)
                            + ": " + counts(window, windowSet));
                }
            }
            return Optional.empty();
        }
    },

    /**
     * The prime node inactive ⇒ every request is held with PRIME_NODE_DOWN; the prime active ⇒ never held for
     * it, and progress (see {@link #progress}).
     */
    PRIME_DOWN_HELD("prime down ⇒ held, prime up ⇒ progress") {
        @Override
        Optional<String> check(ClusterCase cluster, List<Step> steps) {
            for (Step step : steps) {
                if (step.isRequest() && !step.before().isPrimeActive() && !HoldReason.PRIME_NODE_DOWN.equals(step.hold())) {
                    return violation(step, "the prime was inactive, but the request was " + step.outcome());
                }
                Optional<String> stalled = progress(step);
                if (stalled.isPresent()) {
                    return stalled;
                }
            }
            return Optional.empty();
        }
    },

    /**
     * Seizing groups: every call on the group's dialer node (configured, else the prime) whenever it is active
     * (progress: a hold is wrong then); dialer inactive ⇒ held with DIALER_NODE_DOWN, the only legitimate hold.
     */
    ASM_PINNING("ASM pinning and fallback") {
        @Override
        Optional<String> check(ClusterCase cluster, List<Step> steps) {
            for (Step step : steps) {
                if (!step.isRequest() || !step.group().mode().isSeizing() || !step.before().isPrimeActive()) {
                    continue;
                }
                int named = step.group().asmDialNode().map(step.before().topology()::indexOf).orElse(-1);
                int dialer = named >= 0 ? named : step.before().topology().primeIndex();
                if (step.before().isActive(dialer)) {
                    if (!step.dialed() || step.node() != dialer) {
                        return violation(step, "its dialer node is #" + dialer + ", but the request was " + step.outcome());
                    }
                } else if (!HoldReason.DIALER_NODE_DOWN.equals(step.hold())) {
                    return violation(step, "its dialer node #" + dialer + " was inactive, but the request was " + step.outcome());
                }
            }
            return Optional.empty();
        }
    };

    private final String title;

    Guarantee(String title) {
        this.title = title;
    }

    /** A short title. */
    public String title() {
        return title;
    }

    /** The first violation in a run's steps, if any. */
    abstract Optional<String> check(ClusterCase cluster, List<Step> steps);

    /** The first violation of this guarantee in a run's steps, if any. */
    public Optional<String> test(ClusterCase cluster, List<Step> steps) {
        return check(cluster, steps);
    }

    /**
     * Progress: a hold is allowed only with the legitimate reason for its situation, and a request is not
     * refused (a policy that throws, returns nothing or names an unknown node) when it could be routed.
     * <ul>
     *   <li>prime inactive: any hold (which one is {@link #PRIME_DOWN_HELD}'s business);</li>
     *   <li>prime active, regular group: it must be routed to a node — at least the prime is active, so no
     *       hold is legitimate;</li>
     *   <li>prime active, seizing group: its dialer node (the one its agent group names if configured, else
     *       the prime) active ⇒ it must be routed to a node; inactive ⇒ routed, or held with
     *       DIALER_NODE_DOWN only.</li>
     * </ul>
     * A request routed to a node that then failed in the transport has made progress: routing is judged.
     */
    static Optional<String> progress(Step step) {
        if (!step.isRequest() || !step.before().isPrimeActive() || step.dialed()) {
            return Optional.empty();
        }
        ClusterSnapshot before = step.before();
        if (!step.group().mode().isSeizing()) {
            return violation(step, "no progress: the prime was active (active nodes " + positions(before) + "), so a regular-mode "
                    + "request must be routed to a node, but it was " + step.outcome());
        }
        int dialer = dialerOf(step);
        if (before.isActive(dialer)) {
            return violation(step, "no progress: the prime and the group's dialer node #" + dialer + " were active, but the request was "
                    + step.outcome());
        }
        if (!HoldReason.DIALER_NODE_DOWN.equals(step.hold())) {
            return violation(step, "the group's dialer node #" + dialer + " was inactive: the only legitimate hold is DIALER_NODE_DOWN, "
                    + "but the request was " + step.outcome());
        }
        return Optional.empty();
    }

    private static int dialerOf(Step step) {
        int named = step.group().asmDialNode().map(step.before().topology()::indexOf).orElse(-1);
        return named >= 0 ? named : step.before().topology().primeIndex();
    }

    private static List<String> positions(ClusterSnapshot snapshot) {
        List<String> active = new java.util.ArrayList<>();
        for (int i = 0; i < snapshot.nodeCount(); i++) {
            if (snapshot.isActive(i)) {
                active.add("#" + i);
            }
        }
        return active;
    }

    static Optional<String> violation(Step step, String what) {
        return Optional.of("at step " + (step.index() + 1) + " (" + step.action() + "): " + what);
    }

    /** The largest difference between the counts of the given nodes (0 for none). */
    private static int spread(Map<NodeId, Integer> counts, List<NodeId> nodes) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (NodeId node : nodes) {
            int count = counts.getOrDefault(node, 0);
            min = Math.min(min, count);
            max = Math.max(max, count);
        }
        return nodes.isEmpty() ? 0 : max - min;
    }

    /** The counts of the given nodes, each named by its position in the case ({@code #0} is node 101). */
    private static Map<String, Integer> counts(Map<NodeId, Integer> counts, List<NodeId> nodes) {
        Map<String, Integer> shown = new java.util.TreeMap<>();
        for (NodeId node : nodes) {
            shown.put("#" + (node.dbid() - ClusterCase.dbid(0).dbid()), counts.getOrDefault(node, 0));
        }
        return shown;
    }
}
