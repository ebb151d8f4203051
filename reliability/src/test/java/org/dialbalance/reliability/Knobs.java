package org.dialbalance.reliability;

/**
 * The campaign's sizes and seed, from system properties (Maven passes {@code -D} options on to the test JVM):
 * {@code reliability.frames} (fuzzer, default 100,000), {@code reliability.requests} (chaos run, default 100,000),
 * {@code reliability.rate} (chaos dials per second, default 2,500), {@code reliability.seed} (default: a fresh one,
 * printed).
 */
final class Knobs {

    private Knobs() {
    }

    static long frames() {
        return Long.getLong("reliability.frames", 100_000);
    }

    static int requests() {
        return Integer.getInteger("reliability.requests", 100_000);
    }

    static int rate() {
        return Integer.getInteger("reliability.rate", 2_500);
    }

    /** The seed given with {@code -Dreliability.seed}, or a fresh one. */
    static long seed() {
        String given = System.getProperty("reliability.seed");
        if (given != null && !given.isBlank()) {
            return Long.parseLong(given.trim());
        }
        return System.nanoTime() ^ (System.currentTimeMillis() << 20);
    }
}
