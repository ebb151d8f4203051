package org.dialbalance.benchmarks.peers;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

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
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;

/**
 * One of grpc-java's load balancers, reached through its public API only, over {@code backends} subchannels that are
 * READY: the provider comes from {@link LoadBalancerRegistry#getDefaultRegistry()} by policy name, its configuration
 * (if any) from {@link LoadBalancerProvider#parseLoadBalancingPolicyConfig}, and a small fake
 * {@link LoadBalancer.Helper} creates subchannels that report READY as soon as they are asked to connect. The picker
 * the balancer last handed to {@link LoadBalancer.Helper#updateBalancingState} is what a gRPC channel calls for each
 * RPC.
 *
 * <p>Backend {@code i} has the unresolved address {@code node-i:5000}; {@link #backendOf} maps a picked subchannel
 * back to {@code i}. The helper's {@link LoadBalancer.Helper#getScheduledExecutorService() timer} (which
 * {@code weighted_round_robin} uses to recompute weights) is one daemon thread, started on first use and stopped by
 * {@link #shutdown()}.
 */
public final class GrpcBalancer {

    /** Arguments for {@link LoadBalancer.SubchannelPicker#pickSubchannel}; none of the measured pickers reads them. */
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

    private final String policy;
    private final LoadBalancer balancer;
    private final FakeHelper helper;
    private final LoadBalancer.ResolvedAddresses resolved;
    private final Map<SocketAddress, Integer> backends;

    private GrpcBalancer(String policy, LoadBalancer balancer, FakeHelper helper,
                         LoadBalancer.ResolvedAddresses resolved, Map<SocketAddress, Integer> backends) {
        this.policy = policy;
        this.balancer = balancer;
        this.helper = helper;
        this.resolved = resolved;
        this.backends = backends;
    }

    /**
     * Starts grpc's {@code policy} over {@code backends} READY subchannels and returns once it is READY.
     *
     * @param rawConfig the policy's configuration as a service config would carry it (parsed by the provider), or
     *                  {@code null} to hand the balancer no configuration at all
     * @throws IllegalStateException if the registry has no such policy, the provider refuses {@code rawConfig}, the
     *                               balancer refuses the addresses or does not become READY
     */
    public static GrpcBalancer ready(String policy, Map<String, ?> rawConfig, int backends) {
        LoadBalancerProvider provider = LoadBalancerRegistry.getDefaultRegistry().getProvider(policy);
        if (provider == null) {
            throw new IllegalStateException("grpc's LoadBalancerRegistry has no " + policy
                    + " provider (are grpc-util and grpc-xds on the class path?)");
        }
        LoadBalancer.ResolvedAddresses.Builder addresses = LoadBalancer.ResolvedAddresses.newBuilder();
        if (rawConfig != null) {
            NameResolver.ConfigOrError config = provider.parseLoadBalancingPolicyConfig(rawConfig);
            if (config.getError() != null) {
                throw new IllegalStateException(policy + " refused the configuration " + rawConfig + ": " + config.getError());
            }
            addresses.setLoadBalancingPolicyConfig(config.getConfig());
        }
        Map<SocketAddress, Integer> indexes = new HashMap<>();
        List<EquivalentAddressGroup> groups = new ArrayList<>(backends);
        for (int i = 0; i < backends; i++) {
            SocketAddress address = InetSocketAddress.createUnresolved("node-" + i, 5000);
            indexes.put(address, i);
            groups.add(new EquivalentAddressGroup(address));
        }
        FakeHelper helper = new FakeHelper();
        GrpcBalancer result = new GrpcBalancer(policy, provider.newLoadBalancer(helper), helper,
                addresses.setAddresses(groups).build(), Map.copyOf(indexes));
        result.resolveAgain();
        return result;
    }

    /**
     * Hands the balancer the same addresses and configuration again, as a name resolver's refresh does
     * ({@code weighted_round_robin} recomputes its weights then, as it does on its timer).
     *
     * @throws IllegalStateException if the balancer refuses them or is not READY afterwards
     */
    public void resolveAgain() {
        AtomicReference<Status> accepted = new AtomicReference<>();
        helper.sync.execute(() -> accepted.set(balancer.acceptResolvedAddresses(resolved)));
        if (!accepted.get().isOk()) {
            throw new IllegalStateException(policy + " refused the addresses: " + accepted.get());
        }
        if (helper.state != ConnectivityState.READY || helper.picker == null) {
            throw new IllegalStateException(policy + " did not become READY, state " + helper.state);
        }
    }

    /** One pick on the newest picker, as a channel makes it for one RPC. */
    public LoadBalancer.PickResult pick() {
        return helper.picker.pickSubchannel(PICK_ARGS);
    }

    /** The newest picker. */
    public LoadBalancer.SubchannelPicker picker() {
        return helper.picker;
    }

    /**
     * The index of the backend a picked subchannel connects to.
     *
     * @throws IllegalStateException if the pick carries no subchannel or one to an address this balancer was not given
     */
    public int backendOf(LoadBalancer.PickResult pick) {
        LoadBalancer.Subchannel subchannel = pick.getSubchannel();
        if (subchannel == null) {
            throw new IllegalStateException(policy + " picked no subchannel: " + pick);
        }
        Integer index = backends.get(subchannel.getAddresses().getAddresses().get(0));
        if (index == null) {
            throw new IllegalStateException(policy + " picked a subchannel to an unknown address: " + subchannel.getAddresses());
        }
        return index;
    }

    /**
     * Picks until {@code action} has been applied to {@code wanted[i]} picks of each backend {@code i}; picks of a
     * backend that already has its count are dropped, as an RPC that is never started.
     *
     * @param wanted each backend's count, as many as there are backends
     * @param bound  the most picks to make
     * @throws IllegalStateException if {@code bound} picks are not enough
     */
    public void pickUntil(int[] wanted, long bound, Consumer<LoadBalancer.PickResult> action) {
        if (wanted.length != backends.size()) {
            throw new IllegalArgumentException("wanted counts for " + wanted.length + " backends, the balancer has " + backends.size());
        }
        long missing = 0;
        for (int count : wanted) {
            missing += count;
        }
        int[] done = new int[wanted.length];
        for (long pick = 0; pick < bound && missing > 0; pick++) {
            LoadBalancer.PickResult result = pick();
            int backend = backendOf(result);
            if (done[backend] < wanted[backend]) {
                action.accept(result);
                done[backend]++;
                missing--;
            }
        }
        if (missing > 0) {
            throw new IllegalStateException(policy + ": " + missing + " picks still wanted after " + bound + " picks");
        }
    }

    /** Shuts the balancer down, then the helper's timer thread if it was started. */
    public void shutdown() {
        helper.sync.execute(balancer::shutdown);
        helper.stopTimer();
    }

    /** Records the newest balancing state and picker; subchannels become READY when asked to connect. */
    private static final class FakeHelper extends LoadBalancer.Helper {
        final SynchronizationContext sync = new SynchronizationContext((thread, error) -> {
            throw new IllegalStateException("uncaught in grpc's synchronization context", error);
        });
        volatile ConnectivityState state;
        volatile LoadBalancer.SubchannelPicker picker;
        private ScheduledExecutorService timer;

        @Override
        public LoadBalancer.Subchannel createSubchannel(LoadBalancer.CreateSubchannelArgs args) {
            return new ReadySubchannel(args, sync);
        }

        @Override
        public ManagedChannel createOobChannel(EquivalentAddressGroup eag, String authority) {
            throw new UnsupportedOperationException("not used by the benchmarked balancers");
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
        public synchronized ScheduledExecutorService getScheduledExecutorService() {
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "grpc-balancer-timer");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            return timer;
        }

        synchronized void stopTimer() {
            if (timer != null) {
                timer.shutdownNow();
            }
        }

        @Override
        public String getAuthority() {
            return "dialbalance-benchmark";
        }

        @Override
        public String getChannelTarget() {
            return "dialbalance-benchmark";
        }

        @Override
        public ChannelLogger getChannelLogger() {
            return NoLogger.INSTANCE;
        }
    }

    /** A subchannel that connects at once, and takes new addresses (the same ones, here) as they come. */
    private static final class ReadySubchannel extends LoadBalancer.Subchannel {
        private final LoadBalancer.CreateSubchannelArgs args;
        private final SynchronizationContext sync;
        private volatile List<EquivalentAddressGroup> addresses;
        private LoadBalancer.SubchannelStateListener listener;
        private boolean ready;

        ReadySubchannel(LoadBalancer.CreateSubchannelArgs args, SynchronizationContext sync) {
            this.args = args;
            this.sync = sync;
            this.addresses = args.getAddresses();
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
            return addresses;
        }

        @Override
        public void updateAddresses(List<EquivalentAddressGroup> value) {
            addresses = List.copyOf(value);
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
