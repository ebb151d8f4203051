package org.dialbalance.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Property violations seen during a run, by category, with the first few examples of each. Every category fails
 * the run. Thread-safe.
 */
final class Findings {

    private static final int EXAMPLES = 5;

    private final long seed;
    private final Map<String, AtomicLong> counts = new TreeMap<>();
    private final Map<String, List<String>> examples = new TreeMap<>();

    Findings(long seed) {
        this.seed = seed;
    }

    /** A violation of a property the library promises. */
    synchronized void violation(String category, String example) {
        counts.computeIfAbsent(category, key -> new AtomicLong()).incrementAndGet();
        List<String> list = examples.computeIfAbsent(category, key -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(example);
        }
    }

    synchronized long count(String category) {
        AtomicLong count = counts.get(category);
        return count == null ? 0 : count.get();
    }

    /** The categories seen: each one fails the run. */
    synchronized List<String> failing() {
        return new ArrayList<>(counts.keySet());
    }

    /** Every category with its count and examples, and the seed. */
    synchronized String report() {
        if (counts.isEmpty()) {
            return "no violations (seed " + seed + ")";
        }
        StringBuilder text = new StringBuilder("violations (seed ").append(seed).append("):");
        counts.forEach((category, count) -> {
            text.append("\n  ").append(category).append(": ").append(count.get());
            for (String example : examples.get(category)) {
                text.append("\n      e.g. ").append(example);
            }
        });
        return text.toString();
    }
}
