package org.dialbalance.reliability;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Heap and thread readings for the no-growth checks, and a condition await with a timeout. */
final class Jvm {

    private Jvm() {
    }

    /** Used heap after a full collection (a weak reference cleared proves one ran). */
    static long usedHeapAfterGc() {
        for (int round = 0; round < 3; round++) {
            WeakReference<Object> probe = new WeakReference<>(new Object());
            for (int i = 0; i < 20 && probe.get() != null; i++) {
                System.gc();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Live threads whose name starts with {@code prefix}. */
    static List<String> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).sorted().toList();
    }

    static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /**
     * Waits until {@code condition} holds, checking every millisecond; false if it did not within {@code timeout}.
     * Not a sleep standing in for synchronization: it waits for a condition, and gives up with a verdict.
     */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    static long mib(long bytes) {
        return bytes >> 20;
    }
}
