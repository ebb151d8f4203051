package org.dialbalance.api.policy;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.Stable;

/**
 * Decides which node a dial request goes to.
 *
 * <h2>Threading contract</h2>
 * <ul>
 *   <li>{@link #route} is called concurrently from many threads, for requests of any campaign
 *       group, with no lock held. Implementations must be thread-safe.</li>
 *   <li>{@link #route} must not block, sleep, wait on a lock held across I/O, or do I/O. It should
 *       not allocate on its common path: use {@link org.dialbalance.api.ClusterTopology#routeTo(int)}
 *       for the result.</li>
 *   <li>The snapshot passed in is immutable and may be older than the newest one; a policy must base
 *       its decision on that snapshot only, so that its choice is consistent with what it saw.</li>
 * </ul>
 *
 * <h2>Result contract</h2>
 * <ul>
 *   <li>{@link Route.To} must name a node that is active in the given snapshot. The dispatcher
 *       refuses any other node and fails the request with {@code POLICY_ERROR}.</li>
 *   <li>{@link Route.Hold} refuses the request with a reason; it is never sent.</li>
 *   <li>The dispatcher itself holds every request with {@code PRIME_NODE_DOWN} while the prime node
 *       is inactive, before any policy is asked, so a policy never decides to dial without a prime.
 *       Policies should still hold in that case when called directly (the contract suite checks
 *       this for policies that claim the outbound server's prime semantics).</li>
 *   <li>The method returns a route or throws; a thrown exception fails that request with
 *       {@code POLICY_ERROR} and is logged.</li>
 * </ul>
 */
@Stable(since = "0.1")
@FunctionalInterface
public interface BalancingPolicy {

    /**
     * Chooses where one request goes.
     *
     * @param request  the request, never {@code null}
     * @param snapshot the cluster as it was when the request arrived, never {@code null}
     * @return a route, never {@code null}
     */
    Route route(DialRequest request, ClusterSnapshot snapshot);
}
