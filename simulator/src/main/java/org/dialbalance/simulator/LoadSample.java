package org.dialbalance.simulator;

/**
 * What every node had in progress at one moment of a run, as the balancer's {@code health()} counted it (each node's
 * two counts read together under the balancer's lock).
 *
 * @param atNanos               time since the start of the workload
 * @param callsInProgress       per node, in configured order: calls dialed and not released
 * @param requestsAwaitingReply per node, in configured order: requests sent that have no outcome yet
 */
record LoadSample(long atNanos, int[] callsInProgress, int[] requestsAwaitingReply) {

    /** The load {@code max-calls} caps on a node: calls in progress plus requests awaiting replies. */
    int load(int nodeIndex) {
        return callsInProgress[nodeIndex] + requestsAwaitingReply[nodeIndex];
    }
}
