package org.dialbalance.simulator;

/**
 * When one fault of the script was applied and when the balancer was seen to have observed it.
 *
 * @param fault         the fault
 * @param beforeRequest the id of the first request issued after it was applied (the number issued before it)
 * @param appliedNanos  when it was applied, since the workload started
 * @param observedNanos when the balancer's snapshot first showed its effect, or -1 if it never did in time
 * @param expectation   what the balancer was expected to show, for people (e.g. "node 102: primary down, backup up")
 */
record FaultRecord(Fault fault, int beforeRequest, long appliedNanos, long observedNanos, String expectation) {

    boolean observed() {
        return observedNanos >= 0;
    }
}
