package org.dialbalance.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Property violations seen during a run, by category, with the first few examples of each. A category that is
 * a {@link KnownDefect} is reported but does not fail the run unless {@code -Dreliability.strict=true}.
 * Thread-safe.
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

    synchronized void violation(KnownDefect defect, String example) {
        violation(defect.category(), example);
    }

    synchronized long count(String category) {
        AtomicLong count = counts.get(category);
        return count == null ? 0 : count.get();
    }

    /** The categories that fail the run: all but known defects, or all when strict. */
    synchronized List<String> failing() {
        List<String> failing = new ArrayList<>();
        for (String category : counts.keySet()) {
            if (Knobs.strict() || !KnownDefect.isKnown(category)) {
                failing.add(category);
            }
        }
        return failing;
    }

    /** Every category with its count and examples, and the seed. */
    synchronized String report() {
        if (counts.isEmpty()) {
            return "no violations (seed " + seed + ")";
        }
        StringBuilder text = new StringBuilder("violations (seed ").append(seed).append("):");
        counts.forEach((category, count) -> {
            text.append("\n  ").append(category).append(KnownDefect.isKnown(category) ? " [known defect, reported]" : "")
                    .append(": ").append(count.get());
            for (String example : examples.get(category)) {
                text.append("\n      e.g. ").append(example);
            }
        });
        return text.toString();
    }
}
