package org.dialbalance.api.policy;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.Experimental;

/**
 * An optional interface a {@link BalancingPolicy} may also implement to learn the fate of what it routed. The
 * balancer checks for it once, when the policy is created; a policy that does not implement it costs nothing.
 *
 * <p>Promises, per {@link org.dialbalance.api.Route.To} the policy returned that the balancer acted on:
 * <ul>
 *   <li>exactly one of {@link #dialed} or {@link #failed}, for the node the policy chose. A request found gone
 *       before the write and routed once more is {@link #failed} with {@link FailureReason#NOT_SENT} on its
 *       first node, then has its own fate on the second route;</li>
 *   <li>a route the balancer refused (a node inactive in the snapshot) gets no callback: the policy broke its
 *       contract;</li>
 *   <li>{@link #released} once per call in progress on a node that ends with its EventReleased, whichever policy
 *       routed it. Calls forgotten because both links of their node went down are not reported:
 *       {@link NodeLoadView} tells the truth at any time.</li>
 * </ul>
 *
 * <p>Threading: callbacks run on the balancer's and the transport's threads, concurrently with
 * {@link BalancingPolicy#route} and with each other; they must be fast, must not block and must not throw (an
 * exception is logged and ignored). {@link #released} runs while the balancer holds its cluster lock (the same
 * step that updates the node's count): update the policy's own state only, and never call back into the balancer.
 */
@Experimental(reason = "new in 0.3 with load-aware balancing; callbacks may grow (by default methods)")
public interface RoutingFeedback {

    /**
     * The node accepted the request (EventDialing): a call in progress on it now.
     *
     * @param request   the request
     * @param nodeIndex position of the node in configured order
     */
    default void dialed(DialRequest request, int nodeIndex) {
    }

    /**
     * The request routed to the node did not dial there.
     *
     * @param request   the request
     * @param nodeIndex position of the node in configured order
     * @param reason    why; {@code reason.written()} says whether it reached the node's link
     */
    default void failed(DialRequest request, int nodeIndex, FailureReason reason) {
    }

    /**
     * A call in progress on the node ended (EventReleased).
     *
     * @param nodeIndex position of the node in configured order
     */
    default void released(int nodeIndex) {
    }
}
