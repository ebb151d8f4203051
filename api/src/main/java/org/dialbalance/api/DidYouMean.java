package org.dialbalance.api;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggestions for misspelled option and plugin names, for {@link ConfigProblem} expectations: the known name
 * closest to what was written, when it is close enough to be a typo. One implementation for the core and for
 * plugins, so that every message suggests alike.
 */
@Experimental(reason = "a helper for messages; its threshold may be tuned")
public final class DidYouMean {

    /** Names longer than this get no suggestion: no real option or plugin name is that long, and it bounds the work. */
    public static final int MAX_CHARS = 64;

    private DidYouMean() {
    }

    /**
     * The known name closest to {@code written} (compared in lower case), if at most
     * {@code max(2, length / 4)} edits away; empty for names longer than {@value #MAX_CHARS} characters.
     */
    public static Optional<String> closest(String written, Collection<String> known) {
        if (written.isEmpty() || written.length() > MAX_CHARS) {
            return Optional.empty();
        }
        String lower = written.toLowerCase(Locale.ROOT);
        int threshold = Math.max(2, written.length() / 4);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            if (candidate.length() > MAX_CHARS || Math.abs(candidate.length() - lower.length()) > threshold) {
                continue;
            }
            int distance = editDistance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= threshold ? Optional.ofNullable(best) : Optional.empty();
    }

    /** {@code " (did you mean 'name'?)"} for the {@link #closest closest} known name, or {@code ""}. */
    public static String hint(String written, Collection<String> known) {
        return closest(written, known).map(name -> " (did you mean '" + name + "'?)").orElse("");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
