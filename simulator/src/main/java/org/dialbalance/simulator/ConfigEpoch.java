package org.dialbalance.simulator;

import java.util.Objects;

import org.dialbalance.core.BalancerConfig;

/**
 * One configuration that was in force during a run: the starting one, or one a {@code reload} line applied, with what
 * tells which routing decisions were made on it.
 *
 * <p>A decision is known to be made on this configuration or a later one when its request was issued after the
 * reload returned, or when its snapshot is newer than the one the reload published (routing reads the snapshot and
 * then the policies, and a newer snapshot is made after the policies were installed), or, when the reload changed
 * the topology, when its snapshot is that one (a new topology's snapshot and its policies are read together). It is
 * known to be made on an earlier configuration when it was reported before the reload was called, or, when the reload
 * changed the topology, when its snapshot is older. Anything else was routed while the reload was being applied, and
 * either configuration may have routed it; with faults placed in the request stream nothing is in flight then.
 *
 * @param configurationVersion the balancer's {@code configurationVersion()}: 1 at start, one more per applied reload
 * @param config               the configuration
 * @param snapshotVersion      the snapshot version its {@code ConfigurationApplied} event carries (0 for the starting
 *                             one; {@link Long#MAX_VALUE} if the event was not seen)
 * @param topologyChanged      whether the reload changed the nodes or the prime (its snapshot is then a new one)
 * @param decisionsBefore      how many decisions had been reported when the reload was called
 * @param firstRequestAfter    the id of the first request issued after the reload returned
 */
record ConfigEpoch(long configurationVersion, BalancerConfig config, long snapshotVersion, boolean topologyChanged,
                   long decisionsBefore, int firstRequestAfter) {

    /** Requires the configuration. */
    ConfigEpoch {
        Objects.requireNonNull(config, "config");
    }

    /** The configuration a run starts with. */
    static ConfigEpoch initial(BalancerConfig config) {
        return new ConfigEpoch(1, config, 0, false, 0, 0);
    }

    /** Whether this decision was certainly routed on this configuration or a later one. */
    boolean inForceAt(Decision decision) {
        long version = decision.snapshot().version();
        return decision.requestId() >= firstRequestAfter || version > snapshotVersion
                || topologyChanged && version >= snapshotVersion;
    }

    /** Whether this decision was certainly routed before this configuration was in force. */
    boolean notYetAt(Decision decision) {
        return decision.seq() < decisionsBefore || topologyChanged && decision.snapshot().version() < snapshotVersion;
    }
}
