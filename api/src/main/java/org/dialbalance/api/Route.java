package org.dialbalance.api;

import java.util.Objects;

/**
 * A policy's decision for one request: send it {@link To} a node, or {@link Hold} it with a reason.
 */
@Stable(since = "0.1")
public sealed interface Route permits Route.To, Route.Hold {

    /**
     * Send the request to this node's serving link. A policy must only return nodes that are active
     * in the snapshot it was given; the dispatcher refuses anything else.
     *
     * <p>Prefer {@link ClusterTopology#routeTo(int)}, which returns a shared instance.
     *
     * @param node the node to dial on
     */
    record To(NodeId node) implements Route {
        /** Requires a node. */
        public To {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * Do not send the request; it completes at once as {@link DialOutcome.Held}.
     *
     * @param reason machine-readable reason
     * @param detail a sentence for people, naming the node or group concerned
     */
    record Hold(HoldReason reason, String detail) implements Route {
        /** Requires a reason and a detail. */
        public Hold {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A hold with a reason and an explanation. */
    static Route hold(HoldReason reason, String detail) {
        return new Hold(reason, detail);
    }

    /**
     * The hold every request gets while the prime node is inactive, with the standard explanation.
     *
     * @param prime the prime node
     */
    static Route.Hold primeNodeDown(NodeId prime) {
        return new Hold(HoldReason.PRIME_NODE_DOWN, "prime node " + prime
                + " is inactive (primary and backup links down): all dialing is suspended until it is back");
    }
}
