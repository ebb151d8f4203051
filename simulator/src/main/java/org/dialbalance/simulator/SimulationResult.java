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
 * @param requests      every request, by id
 * @param timeline      faults and cluster events, in order
 * @param dnEvents      DN-level events the balancer delivered to listeners
 * @param received      what each server application received
 * @param registrations DN registrations each server application received
 * @param durationNanos how long the workload ran
 */
record SimulationResult(Scenario scenario, BalancerConfig config, String policyName, List<RequestRecord> requests,
                        List<TimelineEntry> timeline, List<TelephonyEvent> dnEvents, List<ClusterUnderTest.ServerRecord> received,
                        List<ClusterUnderTest.Registration> registrations, long durationNanos) {
}
