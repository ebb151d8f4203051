package org.dialbalance.simulator;

import java.util.List;

import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;

/**
 * Everything one simulation recorded.
 *
 * @param scenario      what ran
 * @param config        the production configuration it ran with (endpoints filled in)
 * @param policyName    the policy for regular groups, or {@code prime-only}
 * @param faultMode     how the fault script was played
 * @param requests      every request issued, by id
 * @param decisions     every routing decision, in the order reported, with its exact snapshot
 * @param timeline      faults and cluster events, in order
 * @param faults        when each fault was applied and observed
 * @param dnEvents      DN-level events the balancer delivered to listeners
 * @param received      what each server application received
 * @param registrations DN registrations each server application received
 * @param durationNanos how long the workload ran, waits for faults included
 * @param waitedNanos   of which the driver waited for requests in flight and for faults to be observed
 * @param interrupted   whether the run was stopped early (Ctrl-C): only the requests issued are judged
 * @param loadSamples   calls in progress and requests awaiting replies per node, sampled about 400 times during the
 *                      workload and once at its end, in order
 */
record SimulationResult(Scenario scenario, BalancerConfig config, String policyName, FaultMode faultMode,
                        List<RequestRecord> requests, List<Decision> decisions, List<TimelineEntry> timeline,
                        List<FaultRecord> faults, List<TelephonyEvent> dnEvents, List<ClusterUnderTest.ServerRecord> received,
                        List<ClusterUnderTest.Registration> registrations, long durationNanos, long waitedNanos,
                        boolean interrupted, List<LoadSample> loadSamples) {

    /** A run without load samples. */
    SimulationResult(Scenario scenario, BalancerConfig config, String policyName, FaultMode faultMode,
                     List<RequestRecord> requests, List<Decision> decisions, List<TimelineEntry> timeline,
                     List<FaultRecord> faults, List<TelephonyEvent> dnEvents, List<ClusterUnderTest.ServerRecord> received,
                     List<ClusterUnderTest.Registration> registrations, long durationNanos, long waitedNanos,
                     boolean interrupted) {
        this(scenario, config, policyName, faultMode, requests, decisions, timeline, faults, dnEvents, received, registrations,
                durationNanos, waitedNanos, interrupted, List.of());
    }
}
