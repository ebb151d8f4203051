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
 */
public final class ManualScheduler implements Scheduler {

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private boolean closed;

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

    /** Moves time forward by {@code duration}, running every task that falls due, in due order. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nowNanos + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueNanos > target) {
                    nowNanos = target;
                    return;
                }
                queue.poll();
                nowNanos = next.dueNanos;
            }
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
