package org.dialbalance.benchmarks.peers;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ChannelLogger;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.SynchronizationContext;

/**
 * grpc-java's {@code round_robin} load balancer, reached through its public API only: the provider comes
 * from {@link LoadBalancerRegistry#getDefaultRegistry()}, a small fake {@link LoadBalancer.Helper} creates
 * subchannels that report READY as soon as they are asked to connect, and the picker the balancer hands to
 * {@link LoadBalancer.Helper#updateBalancingState} once every subchannel is ready is what a gRPC channel
 * calls for each RPC.
 */
public final class GrpcRoundRobin {

    /** Arguments for {@link LoadBalancer.SubchannelPicker#pickSubchannel}; round_robin does not read them. */
    public static final LoadBalancer.PickSubchannelArgs PICK_ARGS = new LoadBalancer.PickSubchannelArgs() {
        private final Metadata headers = new Metadata();

        @Override
        public CallOptions getCallOptions() {
            return CallOptions.DEFAULT;
        }

        @Override
        public Metadata getHeaders() {
            return headers;
        }

        @Override
        public MethodDescriptor<?, ?> getMethodDescriptor() {
            return null;
        }
    };

    private final LoadBalancer balancer;
    private final LoadBalancer.SubchannelPicker picker;

    private GrpcRoundRobin(LoadBalancer balancer, LoadBalancer.SubchannelPicker picker) {
        this.balancer = balancer;
        this.picker = picker;
    }

    /**
     * Starts grpc's round_robin over {@code backends} READY subchannels and returns once its picker
     * spreads over all of them.
     *
     * @throws IllegalStateException if the registry has no round_robin or the picker does not cover every backend
     */
    public static GrpcRoundRobin ready(int backends) {
        LoadBalancerProvider provider = LoadBalancerRegistry.getDefaultRegistry().getProvider("round_robin");
        if (provider == null) {
            throw new IllegalStateException("grpc's LoadBalancerRegistry has no round_robin provider (is grpc-util on the class path?)");
        }
        FakeHelper helper = new FakeHelper();
        LoadBalancer balancer = provider.newLoadBalancer(helper);
        List<EquivalentAddressGroup> addresses = new ArrayList<>(backends);
        for (int i = 0; i < backends; i++) {
            addresses.add(new EquivalentAddressGroup(InetSocketAddress.createUnresolved("node-" + i, 5000)));
        }
        AtomicReference<Status> accepted = new AtomicReference<>();
        helper.sync.execute(() -> accepted.set(balancer.acceptResolvedAddresses(
                LoadBalancer.ResolvedAddresses.newBuilder().setAddresses(addresses).build())));
        if (!accepted.get().isOk()) {
            throw new IllegalStateException("round_robin refused the addresses: " + accepted.get());
        }
        if (helper.state != ConnectivityState.READY || helper.picker == null) {
            throw new IllegalStateException("round_robin did not become READY, state " + helper.state);
        }
        GrpcRoundRobin result = new GrpcRoundRobin(balancer, helper.picker);
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

    /** Records the newest balancing state and picker; subchannels become READY when asked to connect. */
    private static final class FakeHelper extends LoadBalancer.Helper {
        final SynchronizationContext sync = new SynchronizationContext((thread, error) -> {
            throw new IllegalStateException("uncaught in grpc's synchronization context", error);
        });
        volatile ConnectivityState state;
        volatile LoadBalancer.SubchannelPicker picker;

        @Override
        public LoadBalancer.Subchannel createSubchannel(LoadBalancer.CreateSubchannelArgs args) {
            return new ReadySubchannel(args, sync);
        }

        @Override
        public ManagedChannel createOobChannel(EquivalentAddressGroup eag, String authority) {
            throw new UnsupportedOperationException("not used by round_robin");
        }

        @Override
        public void updateBalancingState(ConnectivityState newState, LoadBalancer.SubchannelPicker newPicker) {
            state = newState;
            picker = newPicker;
        }

        @Override
        public SynchronizationContext getSynchronizationContext() {
            return sync;
        }

        @Override
        public String getAuthority() {
            return "dialbalance-benchmark";
        }

        @Override
        public ChannelLogger getChannelLogger() {
            return NoLogger.INSTANCE;
        }
    }

    /** A subchannel that connects at once. */
    private static final class ReadySubchannel extends LoadBalancer.Subchannel {
        private final LoadBalancer.CreateSubchannelArgs args;
        private final SynchronizationContext sync;
        private LoadBalancer.SubchannelStateListener listener;
        private boolean ready;

        ReadySubchannel(LoadBalancer.CreateSubchannelArgs args, SynchronizationContext sync) {
            this.args = args;
            this.sync = sync;
        }

        @Override
        public void start(LoadBalancer.SubchannelStateListener value) {
            this.listener = value;
        }

        @Override
        public void requestConnection() {
            if (!ready) {
                ready = true;
                sync.execute(() -> listener.onSubchannelState(ConnectivityStateInfo.forNonError(ConnectivityState.READY)));
            }
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<EquivalentAddressGroup> getAllAddresses() {
            return args.getAddresses();
        }

        @Override
        public Attributes getAttributes() {
            return args.getAttributes();
        }

        @Override
        public ChannelLogger getChannelLogger() {
            return NoLogger.INSTANCE;
        }
    }

    private static final class NoLogger extends ChannelLogger {
        static final NoLogger INSTANCE = new NoLogger();

        @Override
        public void log(ChannelLogLevel level, String message) {
        }

        @Override
        public void log(ChannelLogLevel level, String messageFormat, Object... args) {
        }
    }
}
