package org.dialbalance.core;

/**
 * Marks the stretches where a thread of the balancer or of its transport runs host code: listener
 * callbacks and dial-outcome callbacks. {@link DialBalancer#stop()} called there must not wait for the
 * threads to end, since it runs on one of them.
 */
final class LibraryThreads {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private LibraryThreads() {
    }

    /** The current thread starts running host code on the balancer's behalf. */
    static void enter() {
        DEPTH.get()[0]++;
    }

    /** The host code started by the matching {@link #enter()} returned. */
    static void exit() {
        DEPTH.get()[0]--;
    }

    /** Whether the current thread is running a callback of the balancer. */
    static boolean inCallback() {
        return DEPTH.get()[0] > 0;
    }
}
