package org.dialbalance.core;

import java.time.Duration;

/**
 * Runs delayed tasks for the core: reconnect attempts and request timeouts. Injected so tests can
 * drive time by hand (see the test harness's {@code ManualScheduler}); the default runs one daemon
 * thread that exists only while the balancer runs.
 *
 * <p>Thread-safe. Tasks must be short and must not block.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once, after {@code delay}.
     *
     * @return a handle that cancels the task if it has not run yet
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** This scheduler's clock, in nanoseconds from an arbitrary origin; only differences are meaningful. */
    long nanoTime();

    /**
     * Releases the scheduler's threads; pending tasks are dropped. Idempotent. The balancer calls it
     * only for a scheduler it created itself.
     */
    void close();

    /** A scheduled task that can still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task; no effect if it already ran or was cancelled. */
        void cancel();
    }
}
