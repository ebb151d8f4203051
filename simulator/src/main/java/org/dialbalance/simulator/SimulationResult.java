package org.dialbalance.simulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;

import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;

/**
 * Everything one simulation recorded.
 *
 * @param scenario      what ran
 * @param config        the production configuration it started with (endpoints filled in)
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
 * @param configs       every configuration in force during the run, in order: the starting one, then one per reload
 *                      applied
 */
record SimulationResult(Scenario scenario, BalancerConfig config, String policyName, FaultMode faultMode,
                        List<RequestRecord> requests, List<Decision> decisions, List<TimelineEntry> timeline,
                        List<FaultRecord> faults, List<TelephonyEvent> dnEvents, List<ClusterUnderTest.ServerRecord> received,
                        List<ClusterUnderTest.Registration> registrations, long durationNanos, long waitedNanos,
                        boolean interrupted, List<LoadSample> loadSamples, List<ConfigEpoch> configs) {

    /** Requires at least the starting configuration. */
    SimulationResult {
        configs = List.copyOf(configs);
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("configs: expected at least the starting configuration");
        }
    }

    /** A run without reloads: {@code config} in force throughout. */
    SimulationResult(Scenario scenario, BalancerConfig config, String policyName, FaultMode faultMode,
                     List<RequestRecord> requests, List<Decision> decisions, List<TimelineEntry> timeline,
                     List<FaultRecord> faults, List<TelephonyEvent> dnEvents, List<ClusterUnderTest.ServerRecord> received,
                     List<ClusterUnderTest.Registration> registrations, long durationNanos, long waitedNanos,
                     boolean interrupted, List<LoadSample> loadSamples) {
        this(scenario, config, policyName, faultMode, requests, decisions, timeline, faults, dnEvents, received, registrations,
                durationNanos, waitedNanos, interrupted, loadSamples, List.of(ConfigEpoch.initial(config)));
    }

    /** A run without load samples or reloads. */
    SimulationResult(Scenario scenario, BalancerConfig config, String policyName, FaultMode faultMode,
                     List<RequestRecord> requests, List<Decision> decisions, List<TimelineEntry> timeline,
                     List<FaultRecord> faults, List<TelephonyEvent> dnEvents, List<ClusterUnderTest.ServerRecord> received,
                     List<ClusterUnderTest.Registration> registrations, long durationNanos, long waitedNanos,
                     boolean interrupted) {
        this(scenario, config, policyName, faultMode, requests, decisions, timeline, faults, dnEvents, received, registrations,
                durationNanos, waitedNanos, interrupted, List.of());
    }

    /**
     * The configurations that may have routed this decision, oldest first: one when it is known (always, with faults in
     * the request stream), two or more for a decision routed while a reload was being applied. See {@link ConfigEpoch}.
     */
    List<BalancerConfig> configsAt(Decision decision) {
        int from = 0;
        int to = 0;
        for (int i = 0; i < configs.size(); i++) {
            if (configs.get(i).inForceAt(decision)) {
                from = i;
            }
            if (!configs.get(i).notYetAt(decision)) {
                to = i;
            }
        }
        List<BalancerConfig> candidates = new ArrayList<>();
        for (int i = from; i <= Math.max(from, to); i++) {
            candidates.add(configs.get(i).config());
        }
        return candidates;
    }

    /** Every node of every configuration in force during the run, in the order they first appear. */
    List<NodeId> nodes() {
        Set<NodeId> all = new LinkedHashSet<>();
        for (ConfigEpoch epoch : configs) {
            epoch.config().topology().nodes().stream().map(NodeSpec::id).forEach(all::add);
        }
        return List.copyOf(all);
    }
}
