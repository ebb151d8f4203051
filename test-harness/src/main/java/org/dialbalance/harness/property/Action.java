package org.dialbalance.harness.property;

import org.dialbalance.api.LinkRole;
import org.dialbalance.harness.model.TransportFault;

/**
 * One step of a generated sequence. Nodes and groups are named by position in the case, so a sequence can
 * be shrunk without renumbering anything.
 */
public sealed interface Action permits Action.Dial, Action.Engage, Action.Down, Action.Up, Action.Tick, Action.Faulty,
        Action.Drain, Action.Enable, Action.Reconfigure, Action.InFlight, Action.Answer, Action.Release {

    /** A predictive (outbound) call for a campaign group. @param group position of the group */
    record Dial(int group) implements Action {
        @Override
        public String toString() {
            return "dial an outbound call for group " + group;
        }
    }

    /** An engaging call (TMakeCall) for a seizing group. @param group position of the group */
    record Engage(int group) implements Action {
        @Override
        public String toString() {
            return "dial an engaging call for group " + group;
        }
    }

    /** A link goes down (its server application becomes unreachable). @param node position @param role link */
    record Down(int node, LinkRole role) implements Action {
        @Override
        public String toString() {
            return "node #" + node + " " + role.name().toLowerCase(java.util.Locale.ROOT) + " link down";
        }
    }

    /** A link's application is reachable again, and the reconnect timer fires. @param node position @param role link */
    record Up(int node, LinkRole role) implements Action {
        @Override
        public String toString() {
            return "node #" + node + " " + role.name().toLowerCase(java.util.Locale.ROOT) + " link up";
        }
    }

    /** The clock advances by one reconnect timeout with nothing else happening. */
    record Tick() implements Action {
        @Override
        public String toString() {
            return "clock advances one reconnect-timeout";
        }
    }

    /**
     * A predictive (outbound) call for a campaign group that meets a transport fault on its way (only the
     * {@link CoreDriver} injects the fault; a policy sees a plain request).
     *
     * @param group position of the group
     * @param fault what the transport does to it
     */
    record Faulty(int group, TransportFault fault) implements Action {
        @Override
        public String toString() {
            return "dial an outbound call for group " + group + " that meets " + fault.description();
        }
    }

    /**
     * An operator drains a node ({@code DialBalancer.drain}): refused for the prime and for a node not configured
     * now; otherwise no new request goes to it, and it finishes draining once nothing is in progress on it.
     *
     * @param node position of the node in the case's nodes (the node a reload may add included)
     */
    record Drain(int node) implements Action {
        @Override
        public String toString() {
            return "operator drains node #" + node;
        }
    }

    /** An operator enables a node ({@code DialBalancer.enable}): back in the rotation. @param node position */
    record Enable(int node) implements Action {
        @Override
        public String toString() {
            return "operator enables node #" + node;
        }
    }

    /**
     * An operator reloads the configuration ({@code DialBalancer.reconfigure}) with one of a few variants of the
     * case's own; the invalid ones must be refused with nothing changed.
     *
     * @param variant which configuration
     */
    record Reconfigure(ConfigVariant variant) implements Action {
        @Override
        public String toString() {
            return "operator reloads the configuration: " + variant.description();
        }
    }

    /**
     * A predictive (outbound) call for a campaign group whose server has not answered yet: it stays in flight across
     * the next steps until {@link Answer}, its link closing, or its request-timeout (only the {@link CoreDriver} plays
     * it; a policy sees a plain request).
     *
     * @param group position of the group
     */
    record InFlight(int group) implements Action {
        @Override
        public String toString() {
            return "dial an outbound call for group " + group + " whose reply is still to come";
        }
    }

    /** Every request in flight is answered (EventDialing): each becomes a call in progress on its node. */
    record Answer() implements Action {
        @Override
        public String toString() {
            return "the servers answer every request in flight";
        }
    }

    /** A node's servers release every call dialed on it (EventReleased with each call's ConnID). @param node position */
    record Release(int node) implements Action {
        @Override
        public String toString() {
            return "node #" + node + " releases every call in progress on it";
        }
    }
}
