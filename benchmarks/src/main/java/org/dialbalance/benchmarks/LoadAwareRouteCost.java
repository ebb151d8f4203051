package org.dialbalance.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.NodeLoadView;
import org.dialbalance.api.policy.NodeOptions;
import org.dialbalance.benchmarks.peers.GrpcBalancer;
import org.dialbalance.benchmarks.peers.GrpcLeastRequest;
import org.dialbalance.benchmarks.peers.GrpcWeightedRoundRobin;
import org.dialbalance.harness.CountingNodeLoad;
import org.dialbalance.harness.RecordingPolicyContext;
import org.dialbalance.policy.loadaware.LeastBusyPolicyProvider;
import org.dialbalance.policy.loadaware.WeightedRoundRobinPolicyProvider;
import org.dialbalance.policy.roundrobin.RoundRobinPolicyProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.grpc.LoadBalancer;

/**
 * The route cost of the load-aware policies next to {@code round-robin}, in nanoseconds per decision, on an all-active
 * snapshot of {@code nodes} nodes built through each provider as the core builds it:
 * <ul>
 *   <li>{@link #roundRobin}: {@code round-robin}, the reference;</li>
 *   <li>{@link #weightedRoundRobin}: {@code weighted-round-robin}, weights 1 to 5 (node {@code i} weighs
 *       {@code 1 + i mod 5}), no caps: the sequence's fast path;</li>
 *   <li>{@link #weightedRoundRobinCapped}: the same with every node capped at 1,000 calls and loads well below, so
 *       each decision also reads the chosen node's load;</li>
 *   <li>{@link #leastBusy}: {@code least-busy} with the same weights and fixed loads ({@code i × 7 mod 50} calls
 *       on node {@code i}), on a view that reports load changes (as the balancer's does), so the policy keeps its
 *       index and a decision reads its root;</li>
 *   <li>{@link #leastBusyDialCycle}: the same, each decision followed by what a dial does to the chosen node's
 *       load: one more (the request sent) and one less (its outcome), each an O(log n) update of the index;</li>
 *   <li>{@link #leastBusyUnwatched}: {@code least-busy} on a view that reports no changes, so it reads every active
 *       node's load on each decision and grows with the node count;</li>
 *   <li>{@link #roundRobinSlowStart}: {@code round-robin} with {@code slow-start} configured and no node ramping,
 *       the cost of the option when nothing ramps;</li>
 *   <li>{@link #grpcWeightedRoundRobin}: grpc-java's {@code weighted_round_robin} picker over {@code nodes} READY
 *       subchannels with the same weights, learnt from per-request ORCA load reports ({@link GrpcWeightedRoundRobin});
 *       </li>
 *   <li>{@link #grpcLeastRequest}: grpc-java's {@code least_request_experimental} picker ({@code choiceCount} 2) with
 *       the same outstanding counts, held by streams opened through its tracer and never closed
 *       ({@link GrpcLeastRequest}); it has no weights.</li>
 * </ul>
 * Loads are a {@link CountingNodeLoad} (two plain array reads per node, like the balancer's volatile counts), not
 * changing during the run. Policies and pickers are shared by all threads. Run with {@code -prof gc} for bytes per
 * decision.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoadAwareRouteCost {

    /** Our policies over one all-active snapshot of {@code nodes} nodes. */
    @State(Scope.Benchmark)
    public static class Policies {
        /** Active nodes in the snapshot. */
        @Param({"2", "8", "64", "1024"})
        public int nodes;

        BalancingPolicy roundRobin;
        BalancingPolicy roundRobinSlowStart;
        BalancingPolicy weighted;
        BalancingPolicy weightedCapped;
        BalancingPolicy leastBusy;
        BalancingPolicy leastBusyCycling;
        BalancingPolicy leastBusyUnwatched;
        CountingNodeLoad cyclingLoad;
        ClusterSnapshot snapshot;
        DialRequest request;

        /** Builds every policy through its provider and checks that each routes. */
        @Setup(Level.Trial)
        public void setUp() {
            ClusterTopology topology = Fixtures.topology(nodes);
            CampaignGroup sales = Fixtures.regularGroup();
            CountingNodeLoad load = new CountingNodeLoad(nodes);
            for (int i = 0; i < nodes; i++) {
                load.setCalls(i, i * 7 % 50);
            }
            snapshot = Fixtures.allActive(topology);
            request = Fixtures.call(sales, 1);
            roundRobin = create(new RoundRobinPolicyProvider(), context(topology, sales, load, false, Map.of()));
            roundRobinSlowStart = create(new RoundRobinPolicyProvider(),
                    context(topology, sales, load, false, Map.of("slow-start.window", "60s")));
            weighted = create(new WeightedRoundRobinPolicyProvider(), context(topology, sales, load, false, Map.of()));
            weightedCapped = create(new WeightedRoundRobinPolicyProvider(), context(topology, sales, load, true, Map.of()));
            leastBusy = create(new LeastBusyPolicyProvider(), context(topology, sales, load, false, Map.of()));
            leastBusyUnwatched = create(new LeastBusyPolicyProvider(), context(topology, sales, load.unwatched(), false, Map.of()));
            cyclingLoad = new CountingNodeLoad(nodes);
            for (int i = 0; i < nodes; i++) {
                cyclingLoad.setCalls(i, i * 7 % 50);
            }
            leastBusyCycling = create(new LeastBusyPolicyProvider(), context(topology, sales, cyclingLoad, false, Map.of()));
        }

        private static RecordingPolicyContext context(ClusterTopology topology, CampaignGroup group, NodeLoadView load,
                                                      boolean capped, Map<String, String> options) {
            return new RecordingPolicyContext(topology, List.of(group), options).withNodeLoad(load)
                    .withNodeOptions(index -> new NodeOptions(1 + index % 5, capped ? 1_000 : NodeOptions.UNLIMITED));
        }

        private BalancingPolicy create(BalancingPolicyProvider provider, RecordingPolicyContext context) {
            ConfigResult<BalancingPolicy> result = provider.create(context);
            if (!(result instanceof ConfigResult.Valid<BalancingPolicy> valid)) {
                throw new IllegalStateException(provider.name() + " refused the benchmark's context: " + result);
            }
            Route first = valid.value().route(request, snapshot);
            if (!(first instanceof Route.To)) {
                throw new IllegalStateException(provider.name() + " did not route on an all-active snapshot: " + first);
            }
            return valid.value();
        }
    }

    /** A grpc-java picker over {@code nodes} READY subchannels: {@link #start} says which, loaded how. */
    @State(Scope.Benchmark)
    public abstract static class GrpcPicker {
        /** READY subchannels. */
        @Param({"2", "8", "64", "1024"})
        public int nodes;

        GrpcBalancer grpc;
        LoadBalancer.SubchannelPicker picker;

        /** Starts the balancer and captures its picker. */
        @Setup(Level.Trial)
        public void setUp() {
            grpc = start(nodes);
            picker = grpc.picker();
        }

        abstract GrpcBalancer start(int subchannels);

        /** Shuts the balancer (and its timer, if any) down. */
        @TearDown(Level.Trial)
        public void tearDown() {
            grpc.shutdown();
        }
    }

    /**
     * grpc-java's {@code weighted_round_robin}, subchannel {@code i} at weight {@code 1 + i mod 5} (as
     * {@link Policies}) from an ORCA load report; its weight timer runs as in a channel.
     */
    @State(Scope.Benchmark)
    public static class GrpcWeighted extends GrpcPicker {
        @Override
        GrpcBalancer start(int subchannels) {
            int[] weights = new int[subchannels];
            for (int i = 0; i < subchannels; i++) {
                weights[i] = 1 + i % 5;
            }
            return GrpcWeightedRoundRobin.weighted(weights);
        }
    }

    /**
     * grpc-java's {@code least_request_experimental}, subchannel {@code i} with {@code i × 7 mod 50} outstanding
     * requests (as {@link Policies}), held by streams opened through its tracer and never closed.
     */
    @State(Scope.Benchmark)
    public static class GrpcLeastRequested extends GrpcPicker {
        @Override
        GrpcBalancer start(int subchannels) {
            int[] outstanding = new int[subchannels];
            for (int i = 0; i < subchannels; i++) {
                outstanding[i] = i * 7 % 50;
            }
            return GrpcLeastRequest.loaded(outstanding);
        }
    }

    /** {@code round-robin}: one decision. */
    @Benchmark
    public Route roundRobin(Policies state) {
        return state.roundRobin.route(state.request, state.snapshot);
    }

    /** {@code round-robin} with slow start configured, nothing ramping: one decision. */
    @Benchmark
    public Route roundRobinSlowStart(Policies state) {
        return state.roundRobinSlowStart.route(state.request, state.snapshot);
    }

    /** {@code weighted-round-robin}, no caps: one decision. */
    @Benchmark
    public Route weightedRoundRobin(Policies state) {
        return state.weighted.route(state.request, state.snapshot);
    }

    /** {@code weighted-round-robin}, every node capped: one decision. */
    @Benchmark
    public Route weightedRoundRobinCapped(Policies state) {
        return state.weightedCapped.route(state.request, state.snapshot);
    }

    /**
     * grpc-java's {@code weighted_round_robin}, weights from load reports: one pick. Its static stride scheduler
     * (EDF as a stride over one atomic sequence) draws sequence numbers until one falls in a picked slot of its
     * backend, about max ÷ mean weight draws per pick; the result carries a new per-request ORCA tracer factory.
     */
    @Benchmark
    public LoadBalancer.PickResult grpcWeightedRoundRobin(GrpcWeighted state) {
        return state.picker.pickSubchannel(GrpcBalancer.PICK_ARGS);
    }

    /** {@code least-busy} with its index: one decision. */
    @Benchmark
    public Route leastBusy(Policies state) {
        return state.leastBusy.route(state.request, state.snapshot);
    }

    /** {@code least-busy} with its index: one decision, then the chosen node's load up by one and down again. */
    @Benchmark
    public Route leastBusyDialCycle(Policies state) {
        Route route = state.leastBusyCycling.route(state.request, state.snapshot);
        int node = state.snapshot.topology().indexOf(((Route.To) route).node());
        state.cyclingLoad.addCalls(node, 1);
        state.cyclingLoad.addCalls(node, -1);
        return route;
    }

    /**
     * grpc-java's {@code least_request_experimental}, outstanding counts held by open streams: one pick. It samples
     * {@code choiceCount} (2) random subchannels and takes the one with fewer outstanding requests; the result carries
     * a new tracer factory that would count the RPC's stream.
     */
    @Benchmark
    public LoadBalancer.PickResult grpcLeastRequest(GrpcLeastRequested state) {
        return state.picker.pickSubchannel(GrpcBalancer.PICK_ARGS);
    }

    /** {@code least-busy} on a view that reports no load changes: one decision, reading every node. */
    @Benchmark
    public Route leastBusyUnwatched(Policies state) {
        return state.leastBusyUnwatched.route(state.request, state.snapshot);
    }
}
