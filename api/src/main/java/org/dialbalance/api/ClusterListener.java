package org.dialbalance.api;

/**
 * Receives cluster changes and telephony events from a running balancer.
 *
 * <p>Threading: callbacks run on the framework's internal threads (a transport's I/O thread or its
 * scheduler) and should return quickly. They are never called while the framework holds its lock: events
 * are queued as the changes happen and delivered one at a time, in the order of the changes (cluster
 * events in snapshot-version order), so a slow listener delays only later events, never a state change,
 * a snapshot or dialing. An exception thrown by a listener is logged and does not affect other listeners,
 * later events or dialing.
 */
@Stable(since = "0.1")
public interface ClusterListener {

    /** A node changed state, or dialing was suspended or resumed. */
    default void onClusterEvent(ClusterEvent event) {
    }

    /**
     * A telephony event: DN-level events come from the prime node's serving link only; call-level
     * events come from the link that placed the call.
     */
    default void onTelephonyEvent(TelephonyEvent event) {
    }
}
