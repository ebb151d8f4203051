package org.dialbalance.harness.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs a property over many seeded random cases; on the first failure, shrinks the case to a minimal one
 * and reports it. Deterministic for a seed: {@code -Ddialbalance.seed=S} re-runs exactly the cases of a
 * report; without it a fresh seed is drawn and printed in every report. {@code -Ddialbalance.soak=K}
 * multiplies the number of cases (a longer soak).
 */
public final class PropertyRunner {

    /** The system property that fixes the seed. */
    public static final String SEED_PROPERTY = "dialbalance.seed";
    /** The system property that multiplies case counts. */
    public static final String SOAK_PROPERTY = "dialbalance.soak";

    /** What a property says about one case: a violation, or empty. */
    @FunctionalInterface
    public interface Property {
        /** The first violation in this case, or empty. */
        Optional<String> test(ClusterCase cluster);
    }

    private PropertyRunner() {
    }

    /** The seed of this run: the system property if set, otherwise a fresh one. */
    public static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        return fixed != null ? Long.parseLong(fixed.trim()) : new SplittableRandom().nextLong();
    }

    /** {@code cases} times the soak factor. */
    public static int cases(int cases) {
        return cases * Integer.getInteger(SOAK_PROPERTY, 1);
    }

    /**
     * Tries {@code cases} generated cases; returns the first failure, shrunk.
     *
     * @param observer sees every case that passed (for coverage statistics)
     */
    public static Optional<Counterexample> find(String name, long seed, int cases, Generator generator, Property property,
                                                Consumer<ClusterCase> observer) {
        for (int i = 0; i < cases; i++) {
            ClusterCase cluster = generator.next(new SplittableRandom(seed + i * 0x9E3779B97F4A7C15L));
            Optional<String> violation = property.test(cluster);
            if (violation.isPresent()) {
                ClusterCase shrunk = shrink(cluster, property);
                return Optional.of(new Counterexample(name, seed, i, cluster, shrunk, property.test(shrunk).orElseThrow()));
            }
            observer.accept(cluster);
        }
        return Optional.empty();
    }

    /** Like {@link #find}, but fails with the report. */
    public static void check(String name, long seed, int cases, Generator generator, Property property,
                             Consumer<ClusterCase> observer) {
        find(name, seed, cases, generator, property, observer).ifPresent(counterexample -> {
            throw new AssertionError(counterexample.report());
        });
    }

    /**
     * The smallest sequence found by removing ever smaller chunks of actions while the property still
     * fails (delta debugging); the cluster itself is kept.
     */
    public static ClusterCase shrink(ClusterCase failing, Property property) {
        List<Action> current = new ArrayList<>(failing.actions());
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
                int start = 0;
                while (start + chunk <= current.size()) {
                    List<Action> candidate = new ArrayList<>(current.subList(0, start));
                    candidate.addAll(current.subList(start + chunk, current.size()));
                    if (!candidate.isEmpty() && property.test(failing.withActions(candidate)).isPresent()) {
                        current = candidate;
                        progress = true;
                    } else {
                        start += chunk;
                    }
                }
                if (chunk == 1) {
                    break;
                }
            }
        }
        return failing.withActions(current);
    }
}
