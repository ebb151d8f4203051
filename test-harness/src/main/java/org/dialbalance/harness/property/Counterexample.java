package org.dialbalance.harness.property;

/**
 * A failing case, found and shrunk: enough to understand the failure and to run it again.
 *
 * @param property  the property that failed
 * @param seed      the run's base seed (re-run with {@code -Ddialbalance.seed=<seed>})
 * @param caseIndex which generated case failed, or -1 for an enumerated one
 * @param original  the case as generated
 * @param shrunk    the smallest case found that still fails
 * @param violation what failed, in the shrunk case
 */
public record Counterexample(String property, long seed, int caseIndex, ClusterCase original, ClusterCase shrunk, String violation) {

    /** The report a failing test prints. */
    public String report() {
        StringBuilder text = new StringBuilder();
        text.append("Property '").append(property).append("' failed.\n");
        if (caseIndex >= 0) {
            text.append("  seed ").append(seed).append(", case ").append(caseIndex)
                    .append(" (re-run: -Ddialbalance.seed=").append(seed).append(")\n");
        } else {
            text.append("  found by exhaustive enumeration\n");
        }
        text.append("  cluster: ").append(shrunk.describeCluster()).append('\n');
        text.append("  shrunk from ").append(original.actions().size()).append(" to ").append(shrunk.actions().size()).append(" steps:\n");
        for (int i = 0; i < shrunk.actions().size(); i++) {
            text.append("    ").append(i + 1).append(". ").append(shrunk.actions().get(i)).append('\n');
        }
        text.append("  violation: ").append(violation);
        return text.toString();
    }
}
