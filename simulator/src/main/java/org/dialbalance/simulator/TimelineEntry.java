package org.dialbalance.simulator;

import org.dialbalance.api.ClusterEvent;

/**
 * Something that happened during a simulation, with when it happened (nanoseconds since the run started):
 * a fault applied by the script, or a cluster event the balancer published.
 *
 * @param nanos   time since start
 * @param fault   the fault, or {@code null}
 * @param event   the cluster event, or {@code null}
 */
record TimelineEntry(long nanos, Fault fault, ClusterEvent event) {

    String describe() {
        if (fault != null) {
            return "fault: " + fault.text();
        }
        if (event instanceof ClusterEvent.NodeActivated activated) {
            return "node " + activated.node() + " active via " + activated.via().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (event instanceof ClusterEvent.NodeDeactivated deactivated) {
            return "node " + deactivated.node() + " inactive";
        }
        if (event instanceof ClusterEvent.LinkSwitched switched) {
            return "node " + switched.node() + " switched " + switched.from().name().toLowerCase(java.util.Locale.ROOT) + " -> "
                    + switched.to().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (event instanceof ClusterEvent.DialingSuspended) {
            return "dialing suspended (prime down)";
        }
        if (event instanceof ClusterEvent.DialingResumed) {
            return "dialing resumed";
        }
        if (event instanceof ClusterEvent.RedundancyLost lost) {
            return "node " + lost.node() + " lost redundancy: " + lost.lost().name().toLowerCase(java.util.Locale.ROOT) + " link down";
        }
        if (event instanceof ClusterEvent.RedundancyRestored restored) {
            return "node " + restored.node() + " redundant again: " + restored.restored().name().toLowerCase(java.util.Locale.ROOT)
                    + " link up";
        }
        if (event instanceof ClusterEvent.DrainStarted started) {
            return "node " + started.node() + " draining";
        }
        if (event instanceof ClusterEvent.DrainFinished finished) {
            return "node " + finished.node() + " drained";
        }
        if (event instanceof ClusterEvent.NodeEnabled enabled) {
            return "node " + enabled.node() + " enabled";
        }
        return String.valueOf(event);    // an event type newer than this simulator: shown as it is
    }
}
