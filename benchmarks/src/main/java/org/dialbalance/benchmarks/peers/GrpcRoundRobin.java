package org.dialbalance.benchmarks.peers;

import java.util.IdentityHashMap;
import java.util.Map;

import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerRegistry;

/**
 * grpc-java's {@code round_robin} load balancer, reached through its public API only: the provider comes
 * from {@link LoadBalancerRegistry#getDefaultRegistry()}, a small fake {@link LoadBalancer.Helper} creates
 * subchannels that report READY as soon as they are asked to connect, and the picker the balancer hands to
 * {@link LoadBalancer.Helper#updateBalancingState} once every subchannel is ready is what a gRPC channel
 * calls for each RPC (see {@link GrpcBalancer}).
 */
public final class GrpcRoundRobin {

    /** Arguments for {@link LoadBalancer.SubchannelPicker#pickSubchannel}; round_robin does not read them. */
    public static final LoadBalancer.PickSubchannelArgs PICK_ARGS = GrpcBalancer.PICK_ARGS;

    private final GrpcBalancer balancer;
    private final LoadBalancer.SubchannelPicker picker;

    private GrpcRoundRobin(GrpcBalancer balancer) {
        this.balancer = balancer;
        this.picker = balancer.picker();
    }

    /**
     * Starts grpc's round_robin over {@code backends} READY subchannels and returns once its picker
     * spreads over all of them.
     *
     * @throws IllegalStateException if the registry has no round_robin or the picker does not cover every backend
     */
    public static GrpcRoundRobin ready(int backends) {
        GrpcRoundRobin result = new GrpcRoundRobin(GrpcBalancer.ready("round_robin", null, backends));
        Map<LoadBalancer.Subchannel, Boolean> seen = new IdentityHashMap<>();
        for (int i = 0; i < 2 * backends; i++) {
            seen.put(result.pick().getSubchannel(), Boolean.TRUE);
        }
        if (seen.size() != backends || seen.containsKey(null)) {
            throw new IllegalStateException("the round_robin picker covers " + seen.size() + " of " + backends + " subchannels");
        }
        return result;
    }

    /** One pick, as a channel makes it for one RPC. */
    public LoadBalancer.PickResult pick() {
        return picker.pickSubchannel(PICK_ARGS);
    }

    /** The picker itself. */
    public LoadBalancer.SubchannelPicker picker() {
        return picker;
    }

    /** Shuts the balancer down. */
    public void shutdown() {
        balancer.shutdown();
    }
}
