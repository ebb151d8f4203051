package org.dialbalance.core;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Scheduler}: one daemon thread named {@code dialbalance-scheduler-<application>}, started on
 * first use and ended by {@link #close()}. Cancelled tasks are removed at once, so request timeouts
 * that never fire do not pile up.
 */
final class ExecutorScheduler implements Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    /** @param threadName name of the one thread, which should start with {@code dialbalance-} */
    ExecutorScheduler(String threadName) {
        String name = threadName;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("A scheduled task failed; the scheduler goes on", e);
            }
        };
        try {
            ScheduledFuture<?> future = executor.schedule(guarded, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the balancer is stopping and nothing scheduled now may run
            return () -> { };
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The scheduler thread did not end within 5 s of close()");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
