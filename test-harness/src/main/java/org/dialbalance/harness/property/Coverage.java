package org.dialbalance.harness.property;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How often generated runs reached the situations that matter. A generator that never takes the prime down
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
        FAILED_AFTER_ROUTE
    }

    private final Map<Situation, Integer> reached = new EnumMap<>(Situation.class);
    private int runs;

    /** Records which situations one run reached. */
    public synchronized void record(List<Step> steps) {
        runs++;
        boolean[] seen = new boolean[Situation.values().length];
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            var before = step.before();
            if (before.activeCount() == 0) {
                seen[Situation.ALL_NODES_DOWN.ordinal()] = true;
            }
            if (i > 0) {
                var earlier = steps.get(i - 1).before();
                for (int node = 0; node < before.nodeCount(); node++) {
                    if (!earlier.isActive(node) && before.isActive(node)) {
                        seen[Situation.NODE_REJOINING.ordinal()] = true;
                    }
                }
            }
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

    /** The share of runs that reached a situation. */
    public synchronized double share(Situation situation) {
        return runs == 0 ? 0 : (double) reached.getOrDefault(situation, 0) / runs;
    }

    /** One line per situation, for the log. */
    public synchronized String summary() {
        StringBuilder text = new StringBuilder("coverage over " + runs + " runs:");
        for (Situation situation : Situation.values()) {
            text.append(String.format(Locale.ROOT, " %s %.1f%%", situation.name().toLowerCase(Locale.ROOT), 100 * share(situation)));
        }
        return text.toString();
    }

    /** Fails if any situation was reached by fewer than {@code floor} (a share, e.g. 0.02) of the runs. */
    public synchronized void assertFloors(double floor) {
        for (Situation situation : Situation.values()) {
            if (share(situation) < floor) {
                throw new AssertionError("the generator reached " + situation + " in only " + String.format(Locale.ROOT, "%.2f%%",
                        100 * share(situation)) + " of runs (floor " + 100 * floor + "%): the properties prove little about it. "
                        + summary());
            }
        }
    }
}
