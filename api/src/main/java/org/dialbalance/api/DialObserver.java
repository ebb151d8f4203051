package org.dialbalance.api;

/**
 * Watches every routing decision and every outcome of a running balancer: the hook that metrics, tracing
 * and the simulator's verdict are built on, without touching the dial path's logic.
 *
 * <p>Promises:
 * <ul>
 *   <li>{@link #onRouted} is called once per routing decision, with the exact snapshot the decision was
 *       made on, on the thread that made it, before anything is sent. A request is routed once, or twice
 *       when the link first chosen turned out to be gone before anything was written ({@code attempt} 2).
 *       A decision the policy could not make (it threw) is not reported here; its outcome is.</li>
 *   <li>{@link #onOutcome} is called exactly once per request that {@code dial} accepted, with its one
 *       outcome, on the thread that completed it.</li>
 *   <li>Decisions made on one thread are reported in the order they were made. Requests are routed on the
 *       caller's thread; a second attempt is routed on the transport's thread.</li>
 * </ul>
 *
 * <p>Threading: callbacks run on the dial path, concurrently; they must be fast, must not block and must
 * not call back into the balancer. An exception thrown by an observer is logged and does not affect
 * dialing or other observers.
 */
@Experimental(reason = "new in 0.2: the hook metrics and the simulator build on; its callbacks may grow (by default methods)")
public interface DialObserver {

    /**
     * A routing decision.
     *
     * @param request  the request
     * @param snapshot the snapshot the decision was made on
     * @param route    the route taken: to a node, or a hold (the prime-down hold included)
     * @param attempt  1, or 2 when the request is routed once more after a first link was found gone before
     *                 anything was written
     */
    default void onRouted(DialRequest request, ClusterSnapshot snapshot, Route route, int attempt) {
    }

    /**
     * The request's one outcome.
     *
     * @param outcome        the outcome
     * @param nanosSinceDial time from the {@code dial} call to this outcome, in nanoseconds
     */
    default void onOutcome(DialOutcome outcome, long nanosSinceDial) {
    }
}
