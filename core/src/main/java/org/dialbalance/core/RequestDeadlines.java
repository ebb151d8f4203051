package org.dialbalance.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.dialbalance.api.DialOutcome;

/**
 * Ends requests whose reply does not come within {@code request-timeout}, without a timer per request:
 * every request has the same timeout, so deadlines arrive in the order requests were sent, and one FIFO
 * queue swept by a periodic tick finds every expired request. Adding a request is one lock-free queue
 * offer; requests that completed in time are dropped from the head as the sweep reaches them.
 *
 * <p>A request times out between its deadline and one tick later; the tick is a twentieth of the timeout,
 * between 1 ms and 100 ms.
 */
final class RequestDeadlines {

    /** What to complete a request with when its deadline passes. */
    interface Expiry {
        DialOutcome timedOut();
    }

    private record Entry(long deadline, CompletableFuture<DialOutcome> outcome, Expiry expiry) {
    }

    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final Duration tick;
    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private volatile boolean running;

    RequestDeadlines(Scheduler scheduler, Duration timeout) {
        this.scheduler = scheduler;
        this.timeoutNanos = timeout.toNanos();
        long tickNanos = Math.max(1_000_000L, Math.min(100_000_000L, timeoutNanos / 20));
        this.tick = Duration.ofNanos(tickNanos);
    }

    /** The sweep interval. */
    Duration tick() {
        return tick;
    }

    void start() {
        running = true;
        scheduler.schedule(tick, this::sweep);
    }

    void stop() {
        running = false;
    }

    /** Watches a written request: if {@code outcome} is not complete by its deadline, it completes with {@code expiry}. */
    void watch(CompletableFuture<DialOutcome> outcome, Expiry expiry) {
        queue.offer(new Entry(scheduler.nanoTime() + timeoutNanos, outcome, expiry));
    }

    /** How many requests are watched (completed ones included until the sweep drops them). */
    int watched() {
        return queue.size();
    }

    private void sweep() {
        long now = scheduler.nanoTime();
        Entry head;
        while ((head = queue.peek()) != null && (head.outcome.isDone() || head.deadline - now <= 0)) {
            queue.poll();
            if (!head.outcome.isDone()) {
                head.outcome.complete(head.expiry.timedOut());
            }
        }
        if (running) {
            scheduler.schedule(tick, this::sweep);
        }
    }
}
