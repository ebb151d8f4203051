package org.dialbalance.simulator;

import java.util.Optional;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Route;

/**
 * One routing decision as the balancer reported it to its {@link org.dialbalance.api.DialObserver}: the
 * exact snapshot it was made on, so that every guarantee is judged on what the balancer knew, not on
 * when the simulator happened to look.
 *
 * @param seq       order in which decisions were reported (decisions of the issuing thread are in the order
 *                  they were made; a second attempt, routed on a transport thread, may be reported a little
 *                  after decisions made later)
 * @param requestId the request
 * @param attempt   1, or 2 for a request routed once more after its first link was found gone before writing
 * @param snapshot  the snapshot the decision was made on
 * @param route     the route taken
 */
record Decision(long seq, int requestId, int attempt, ClusterSnapshot snapshot, Route route) {

    /** The node routed to, or empty for a hold. */
    Optional<NodeId> node() {
        return route instanceof Route.To to ? Optional.of(to.node()) : Optional.empty();
    }
}
