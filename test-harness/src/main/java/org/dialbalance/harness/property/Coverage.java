package org.dialbalance.harness.property;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How often generated runs reached the situations that matter (those of operations — drain, reloads, requests in
 * flight across them — only for {@link #withOperations()}). A generator that never takes the prime down
 * proves nothing about the prime; {@link #assertFloors(double)} fails a run whose cases fall below a floor.
 */
public final class Coverage {

    /** A situation a run can reach. */
    public enum Situation {
        /** A request while the prime was inactive. */
        PRIME_DOWN,
        /** A seizing request while its dialer node was inactive (and the prime active). */
        DIALER_DOWN,
        /** A seizing request of a group whose dialer is unset or unknown, dialed on the prime. */
        FALLBACK_TO_PRIME,
        /** A step with every node inactive. */
        ALL_NODES_DOWN,
        /** A node that became active again after being inactive. */
        NODE_REJOINING,
        /** A request routed a second time, its first link found gone before the write. */
        RE_ROUTED,
        /** A request routed to a node that failed in the transport (lost after the write, no reply, a late reply, ...). */
        FAILED_AFTER_ROUTE,
        /** Operations: a request routed while an operator was draining a node. */
        ROUTED_WHILE_DRAINING,
        /** Operations: a request in flight while a node was drained or the configuration reloaded. */
        IN_FLIGHT_ACROSS_OPERATION,
        /** Operations: a request routed after a reload changed the nodes. */
        ROUTED_ON_NEW_NODES,
        /** Operations: a request routed after a reload moved the prime. */
        ROUTED_ON_NEW_PRIME
    }

    /** The situations of runs without operations. */
    private static final Set<Situation> CLASSIC = EnumSet.range(Situation.PRIME_DOWN, Situation.FAILED_AFTER_ROUTE);

    private final Map<Situation, Integer> reached = new EnumMap<>(Situation.class);
    private final Set<Situation> tracked;
    private int runs;

    /** Coverage of the situations of runs without operations (drain, enable, reloads). */
    public Coverage() {
        this(CLASSIC);
    }

    private Coverage(Set<Situation> tracked) {
        this.tracked = EnumSet.copyOf(tracked);
    }

    /** Coverage of every situation, the operations' included: for runs whose sequences drain, enable and reload. */
    public static Coverage withOperations() {
        return new Coverage(EnumSet.allOf(Situation.class));
    }

    /** Records which situations one run reached. */
    public synchronized void record(List<Step> steps) {
        runs++;
        boolean[] seen = new boolean[Situation.values().length];
        boolean inFlight = false;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            var before = step.before();
            if (before.activeCount() == 0) {
                seen[Situation.ALL_NODES_DOWN.ordinal()] = true;
            }
            if (i > 0) {
                var earlier = steps.get(i - 1).before();
                for (var node : before.topology().nodes()) {
                    if (!earlier.isActive(node.id()) && before.isActive(node.id())) {
                        seen[Situation.NODE_REJOINING.ordinal()] = true;
                    }
                }
            }
            inFlight = recordOperations(step, steps.get(0).before(), inFlight, seen);
            if (!step.isRequest()) {
                continue;
            }
            if (step.dialed() && step.failure() != null) {
                seen[(step.failure().equals("not written") ? Situation.RE_ROUTED : Situation.FAILED_AFTER_ROUTE).ordinal()] = true;
            }
            if (!before.isPrimeActive()) {
                seen[Situation.PRIME_DOWN.ordinal()] = true;
            } else if (step.group().mode().isSeizing()) {
                int named = step.group().asmDialNode().map(before.topology()::indexOf).orElse(-1);
                if (named < 0 && step.dialed()) {
                    seen[Situation.FALLBACK_TO_PRIME.ordinal()] = true;
                }
                if (named >= 0 && !before.isActive(named)) {
                    seen[Situation.DIALER_DOWN.ordinal()] = true;
                }
            }
        }
        for (Situation situation : Situation.values()) {
            if (seen[situation.ordinal()]) {
                reached.merge(situation, 1, Integer::sum);
            }
        }
    }

    /** Marks what one step reached of the operations' situations; returns whether a request is in flight after it. */
    private static boolean recordOperations(Step step, org.dialbalance.api.ClusterSnapshot first, boolean inFlight, boolean[] seen) {
        var before = step.before();
        if (step.action() instanceof Action.InFlight && step.dialed()) {
            inFlight = true;
        } else if (step.action() instanceof Action.Answer) {
            inFlight = false;
        } else if (inFlight && (step.action() instanceof Action.Drain || step.action() instanceof Action.Reconfigure)) {
            seen[Situation.IN_FLIGHT_ACROSS_OPERATION.ordinal()] = true;
        }
        if (step.isRequest() && step.dialed()) {
            for (var node : before.topology().nodes()) {
                if (before.isDraining(node.id())) {
                    seen[Situation.ROUTED_WHILE_DRAINING.ordinal()] = true;
                }
            }
            if (!before.topology().nodes().equals(first.topology().nodes())) {
                seen[Situation.ROUTED_ON_NEW_NODES.ordinal()] = true;
            }
            if (!before.prime().equals(first.prime())) {
                seen[Situation.ROUTED_ON_NEW_PRIME.ordinal()] = true;
            }
        }
        return inFlight;
    }

    /** The share of runs that reached a situation. */
    public synchronized double share(Situation situation) {
        return runs == 0 ? 0 : (double) reached.getOrDefault(situation, 0) / runs;
    }

    /** One line per situation, for the log. */
    public synchronized String summary() {
        StringBuilder text = new StringBuilder("coverage over " + runs + " runs:");
        for (Situation situation : tracked) {
            text.append(String.format(Locale.ROOT, " %s %.1f%%", situation.name().toLowerCase(Locale.ROOT), 100 * share(situation)));
        }
        return text.toString();
    }

    /** Fails if any situation was reached by fewer than {@code floor} (a share, e.g. 0.02) of the runs. */
    public synchronized void assertFloors(double floor) {
        for (Situation situation : tracked) {
            if (share(situation) < floor) {
                throw new AssertionError("the generator reached " + situation + " in only " + String.format(Locale.ROOT, "%.2f%%",
                        100 * share(situation)) + " of runs (floor " + 100 * floor + "%): the properties prove little about it. "
                        + summary());
            }
        }
    }
}
