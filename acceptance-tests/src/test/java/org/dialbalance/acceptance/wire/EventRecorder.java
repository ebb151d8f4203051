package org.dialbalance.acceptance.wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.TelephonyEvent;

/** Records what a balancer publishes and lets a test wait for an event without sleeping. */
final class EventRecorder implements ClusterListener {

    private final List<ClusterEvent> events = new ArrayList<>();
    private final List<TelephonyEvent> telephony = new ArrayList<>();

    @Override
    public synchronized void onClusterEvent(ClusterEvent event) {
        events.add(event);
        notifyAll();
    }

    @Override
    public synchronized void onTelephonyEvent(TelephonyEvent event) {
        telephony.add(event);
        notifyAll();
    }

    synchronized List<ClusterEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<TelephonyEvent> telephony() {
        return List.copyOf(telephony);
    }

    /** Waits for a cluster event recorded at or after position {@code from} that matches; returns it. */
    ClusterEvent await(int from, Predicate<ClusterEvent> which, Duration timeout, String what) throws InterruptedException {
        return awaitIn(() -> events, from, which, timeout, what);
    }

    /** Waits until {@code count} telephony events match. */
    List<TelephonyEvent> awaitTelephony(int count, Predicate<TelephonyEvent> which, Duration timeout, String what)
            throws InterruptedException {
        synchronized (this) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<TelephonyEvent> matching = telephony.stream().filter(which).toList();
                if (matching.size() >= count) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + count + " × " + what + "; got "
                            + matching.size());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    synchronized int size() {
        return events.size();
    }

    private interface Source<T> {
        List<T> list();
    }

    private <T> T awaitIn(Source<T> source, int from, Predicate<T> which, Duration timeout, String what) throws InterruptedException {
        synchronized (this) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<T> list = source.list();
                for (int i = from; i < list.size(); i++) {
                    if (which.test(list.get(i))) {
                        return list.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; events: " + new ArrayList<>(list));
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
