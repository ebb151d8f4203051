package org.dialbalance.simulator;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows how a simulation is going: a progress bar redrawn in place on a terminal, or a plain line every
 * few seconds when the output is a file or a pipe.
 */
final class Progress {

    private static final long PLAIN_EVERY_NANOS = 2_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final boolean quiet;
    private long lastPlain = Long.MIN_VALUE;

    Progress(PrintStream out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    void update(int done, int total, long elapsedNanos, int held, int failed, String faultState) {
        if (quiet) {
            return;
        }
        double seconds = Math.max(elapsedNanos, 1) / 1e9;
        double rate = done / seconds;
        if (terminal) {
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) done * width / total);
            out.printf(Locale.ROOT, "\r[%s%s] %6d/%d  %6.0f req/s  held %5d  failed %4d  fault: %-24s",
                    "#".repeat(filled), " ".repeat(width - filled), done, total, rate, held, failed, faultState);
            out.flush();
        } else if (done == total || elapsedNanos - lastPlain >= PLAIN_EVERY_NANOS) {
            lastPlain = elapsedNanos;
            out.printf(Locale.ROOT, "progress %d/%d (%.0f%%), %.0f req/s, held %d, failed %d, fault state: %s%n",
                    done, total, 100.0 * done / Math.max(total, 1), rate, held, failed, faultState);
        }
    }

    void note(String text) {
        if (terminal && !quiet) {
            out.println();
        }
        out.println(text);
    }

    void finish() {
        if (terminal && !quiet) {
            out.println();
        }
    }
}
