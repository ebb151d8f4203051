package org.dialbalance.harness.property;

import org.dialbalance.api.LinkRole;
import org.dialbalance.harness.model.TransportFault;

/**
 * One step of a generated sequence. Nodes and groups are named by position in the case, so a sequence can
 * be shrunk without renumbering anything.
 */
public sealed interface Action permits Action.Dial, Action.Engage, Action.Down, Action.Up, Action.Tick, Action.Faulty {

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
}
