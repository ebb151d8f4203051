package org.dialbalance.api;

import java.util.Objects;
import java.util.Optional;

/**
 * How one dial request ended. Every request ends in exactly one outcome:
 *
 * <ul>
 *   <li>{@link Dialed}: a node accepted it (EventDialing);</li>
 *   <li>{@link Held}: it was refused before being sent, for example because the prime node is down;</li>
 *   <li>{@link Failed}: it could not complete; {@link Failed#reason()} says whether it had been written.</li>
 * </ul>
 */
@Stable(since = "0.1")
public sealed interface DialOutcome permits DialOutcome.Dialed, DialOutcome.Held, DialOutcome.Failed {

    /** The request this outcome ends. */
    DialRequest request();

    /**
     * The node accepted the request.
     *
     * @param request       the request
     * @param node          the node that dialed
     * @param via           which of its links carried the request
     * @param referenceId   the ReferenceID the request carried on that link
     * @param connId        the ConnID of the new call, as the server reported it
     * @param routeAttempts 1, or 2 when the first chosen link was found gone before anything was written and
     *                      the request was routed once more (each routing takes a turn of the policy)
     */
    record Dialed(DialRequest request, NodeId node, LinkRole via, long referenceId, String connId, int routeAttempts)
            implements DialOutcome {
        /** Requires every field; {@code routeAttempts} is 1 or 2. */
        public Dialed {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(via, "via");
            Objects.requireNonNull(connId, "connId");
            if (routeAttempts < 1 || routeAttempts > 2) {
                throw new IllegalArgumentException("a request is routed once or twice, not " + routeAttempts + " times");
            }
        }

        /** A request dialed on its first route. */
        public Dialed(DialRequest request, NodeId node, LinkRole via, long referenceId, String connId) {
            this(request, node, via, referenceId, connId, 1);
        }
    }

    /**
     * The request was refused before anything was sent; it is safe to retry later.
     *
     * @param request the request
     * @param reason  machine-readable reason
     * @param detail  explanation naming the node or group concerned
     */
    record Held(DialRequest request, HoldReason reason, String detail) implements DialOutcome {
        /** Requires every field. */
        public Held {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The request failed.
     *
     * @param request the request
     * @param reason  why; {@code reason.written()} tells whether it may have reached a server
     * @param detail  explanation for people
     * @param node    the node it was sent to or meant for, if one had been chosen
     */
    record Failed(DialRequest request, FailureReason reason, String detail, Optional<NodeId> node)
            implements DialOutcome {
        /** Requires every field. */
        public Failed {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(node, "node");
        }
    }
}
