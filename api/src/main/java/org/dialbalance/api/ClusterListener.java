package org.dialbalance.api;

/**
 * Receives cluster changes and telephony events from a running balancer.
 *
 * <p>Threading: callbacks run on the framework's internal threads (a transport's I/O thread or its
 * scheduler); they must return quickly and never block. Events of one kind arrive in order. An
 * exception thrown by a listener is logged and does not affect other listeners or dialing.
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
