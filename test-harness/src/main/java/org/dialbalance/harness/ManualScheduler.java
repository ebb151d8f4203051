package org.dialbalance.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import org.dialbalance.core.Scheduler;

/**
 * A {@link Scheduler} whose time moves only when a test calls {@link #advance(Duration)}: no threads,
 * fully deterministic. Tasks due at the same instant run in the order they were scheduled. Tasks run
 * on the calling thread, outside this scheduler's lock, so they may schedule more tasks.
 *
 * <p>One {@link #advance} runs at most {@link #maxTasksPerAdvance()} tasks (default
 * {@value #DEFAULT_MAX_TASKS_PER_ADVANCE}): a task that keeps rescheduling itself with no delay (a zero retry
 * delay, say) would otherwise spin the clock forever at one instant and hang the test; instead the advance
 * fails with an {@link IllegalStateException} naming the instant and how many tasks ran.
 */
public final class ManualScheduler implements Scheduler {

    /** How many tasks one {@link #advance} may run by default. */
    public static final long DEFAULT_MAX_TASKS_PER_ADVANCE = 1_000_000;

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final long maxTasksPerAdvance;
    private long nowNanos;
    private long sequence;
    private boolean closed;

    /** A clock whose advances run at most {@value #DEFAULT_MAX_TASKS_PER_ADVANCE} tasks each. */
    public ManualScheduler() {
        this(DEFAULT_MAX_TASKS_PER_ADVANCE);
    }

    /** A clock whose advances run at most {@code maxTasksPerAdvance} tasks each (at least 1). */
    public ManualScheduler(long maxTasksPerAdvance) {
        if (maxTasksPerAdvance < 1) {
            throw new IllegalArgumentException("maxTasksPerAdvance must be at least 1, not " + maxTasksPerAdvance);
        }
        this.maxTasksPerAdvance = maxTasksPerAdvance;
    }

    /** How many tasks one {@link #advance} may run before it fails. */
    public long maxTasksPerAdvance() {
        return maxTasksPerAdvance;
    }

    /** Time passed since creation. */
    public synchronized Duration now() {
        return Duration.ofNanos(nowNanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nowNanos;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        if (closed) {
            return () -> { };
        }
        Task scheduled = new Task(nowNanos + Math.max(0, delay.toNanos()), sequence++, task);
        queue.add(scheduled);
        return () -> cancel(scheduled);
    }

    private synchronized void cancel(Task task) {
        queue.remove(task);
    }

    /**
     * Moves time forward by {@code duration}, running every task that falls due, in due order.
     *
     * @throws IllegalStateException when more than {@link #maxTasksPerAdvance()} tasks fall due in this advance
     *                               (a task rescheduling itself with no delay spins the clock); time stays
     *                               at the instant reached and the remaining tasks stay queued
     */
    public void advance(Duration duration) {
        long target;
        long start;
        synchronized (this) {
            start = nowNanos;
            target = nowNanos + duration.toNanos();
        }
        long ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                if (ran >= maxTasksPerAdvance && !queue.isEmpty() && queue.peek().dueNanos <= target) {
                    long sameInstant = queue.stream().filter(task -> task.dueNanos == nowNanos).count();
                    throw new IllegalStateException("ManualScheduler: " + ran + " tasks ran in one advance of " + duration
                            + " (from " + Duration.ofNanos(start) + ", now at " + Duration.ofNanos(nowNanos) + ") and more are due"
                            + (sameInstant > 0 ? ", " + sameInstant + " of them at this same instant" : "")
                            + ": a task that reschedules itself with no delay spins the clock (a zero retry delay?)."
                            + " The limit is " + maxTasksPerAdvance + " tasks per advance (new ManualScheduler(limit) to change it).");
                }
                next = queue.peek();
                if (next == null || next.dueNanos > target) {
                    nowNanos = target;
                    return;
                }
                queue.poll();
                nowNanos = next.dueNanos;
            }
            ran++;
            next.action.run();
        }
    }

    /** Runs the tasks due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** How many tasks wait to run. */
    public synchronized int pendingTasks() {
        return queue.size();
    }

    /** The delays from now of the waiting tasks, soonest first (for assertions). */
    public synchronized List<Duration> pendingDelays() {
        List<Duration> delays = new ArrayList<>();
        queue.stream().sorted().forEach(task -> delays.add(Duration.ofNanos(task.dueNanos - nowNanos)));
        return delays;
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }

    private record Task(long dueNanos, long sequence, Runnable action) implements Comparable<Task> {
        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(dueNanos, other.dueNanos);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
