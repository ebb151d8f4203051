package org.dialbalance.benchmarks;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.benchmarks.peers.GrpcRoundRobin;
import org.dialbalance.benchmarks.peers.SpringRoundRobin;
import org.dialbalance.policy.asm.AsmPerGroupPolicyProvider;
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
import org.openjdk.jmh.infra.ThreadParams;
import org.springframework.cloud.client.ServiceInstance;

import io.grpc.LoadBalancer;

/**
 * The cost of one routing decision, ours and our peers' side by side, in nanoseconds per decision.
 *
 * <ul>
 *   <li>{@link #roundRobin}: our {@code round-robin} policy's {@code route} over a snapshot of
 *       {@code nodes} active nodes (the dialing path of every regular campaign group);</li>
 *   <li>{@link #asmPerGroup}: our {@code asm-per-group} policy's {@code route} for requests of {@code groups}
 *       seizing campaign groups over 8 nodes, each call taking the next group's pre-built request;
 *       {@link #asmRequestWalk} is its control (the same rotation without routing);</li>
 *   <li>{@link #grpcRoundRobin}: grpc-java's {@code round_robin} picker's {@code pickSubchannel} over
 *       {@code nodes} READY subchannels;</li>
 *   <li>{@link #springRoundRobin}: Spring Cloud LoadBalancer's {@code RoundRobinLoadBalancer.choose(...)}
 *       blocked on, over {@code nodes} instances;</li>
 *   <li>{@link #atomicBaseline}: a bare shared {@code AtomicInteger.getAndIncrement()}, the floor for any
 *       round-robin cursor shared between threads.</li>
 * </ul>
 * The policy, picker and balancer are shared by all benchmark threads, as they are in a running dialer, so
 * {@code -t 2} measures the shared cursor under contention. Run with {@code -prof gc} for bytes per
 * decision.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteCost {

    /** Our round-robin policy and an all-active snapshot of {@code nodes} nodes. */
    @State(Scope.Benchmark)
    public static class RoundRobinState {
        /** Active nodes in the snapshot. */
        @Param({"2", "8", "64", "1024"})
        public int nodes;

        BalancingPolicy policy;
        ClusterSnapshot snapshot;
        DialRequest request;

        /** Builds the policy through its provider. */
        @Setup(Level.Trial)
        public void setUp() {
            ClusterTopology topology = Fixtures.topology(nodes);
            CampaignGroup sales = Fixtures.regularGroup();
            policy = Fixtures.policy(new RoundRobinPolicyProvider(), topology, List.of(sales));
            snapshot = Fixtures.allActive(topology);
            request = Fixtures.call(sales, 1);
            Route first = policy.route(request, snapshot);
            if (!(first instanceof Route.To)) {
                throw new IllegalStateException("round-robin did not route on an all-active snapshot: " + first);
            }
        }
    }

    /** Our ASM policy, {@code groups} seizing groups over 8 active nodes, one pre-built request per group. */
    @State(Scope.Benchmark)
    public static class AsmState {
        /** Configured seizing campaign groups; requests rotate through all of them. */
        @Param({"10", "1000", "100000"})
        public int groups;

        BalancingPolicy policy;
        ClusterSnapshot snapshot;
        DialRequest[] requests;

        /** Builds the policy through its provider and one request per group. */
        @Setup(Level.Trial)
        public void setUp() {
            ClusterTopology topology = Fixtures.topology(8);
            List<CampaignGroup> seizing = Fixtures.seizingGroups(groups, topology);
            policy = Fixtures.policy(new AsmPerGroupPolicyProvider(), topology, seizing);
            snapshot = Fixtures.allActive(topology);
            requests = new DialRequest[groups];
            for (int i = 0; i < groups; i++) {
                requests[i] = Fixtures.call(seizing.get(i), i);
                if (!(policy.route(requests[i], snapshot) instanceof Route.To)) {
                    throw new IllegalStateException("asm-per-group held a request on an all-active snapshot");
                }
            }
        }
    }

    /** Each thread's position in the rotation through the ASM requests. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        /** Threads start at evenly spaced groups, as unrelated campaigns would. */
        @Setup(Level.Trial)
        public void setUp(AsmState asm, ThreadParams thread) {
            next = (int) ((long) asm.groups * thread.getThreadIndex() / thread.getThreadCount());
        }
    }

    /** grpc-java's round_robin picker over {@code nodes} READY subchannels. */
    @State(Scope.Benchmark)
    public static class GrpcState {
        /** READY subchannels. */
        @Param({"2", "8", "64", "1024"})
        public int nodes;

        GrpcRoundRobin grpc;
        LoadBalancer.SubchannelPicker picker;

        /** Starts the balancer and captures its picker. */
        @Setup(Level.Trial)
        public void setUp() {
            grpc = GrpcRoundRobin.ready(nodes);
            picker = grpc.picker();
        }

        /** Shuts the balancer down. */
        @TearDown(Level.Trial)
        public void tearDown() {
            grpc.shutdown();
        }
    }

    /** Spring Cloud LoadBalancer's round robin over {@code nodes} instances. */
    @State(Scope.Benchmark)
    public static class SpringState {
        /** Service instances. */
        @Param({"2", "8", "64", "1024"})
        public int nodes;

        SpringRoundRobin spring;

        /** Builds the balancer over a fixed instance list. */
        @Setup(Level.Trial)
        public void setUp() {
            spring = SpringRoundRobin.over(nodes);
        }
    }

    /** A shared counter. */
    @State(Scope.Benchmark)
    public static class AtomicState {
        final AtomicInteger counter = new AtomicInteger();
    }

    /** Our round-robin policy: one decision. */
    @Benchmark
    public Route roundRobin(RoundRobinState state) {
        return state.policy.route(state.request, state.snapshot);
    }

    /** Our asm-per-group policy: one decision for the next group's request. */
    @Benchmark
    public Route asmPerGroup(AsmState state, Cursor cursor) {
        int index = cursor.next;
        cursor.next = index + 1 == state.requests.length ? 0 : index + 1;
        return state.policy.route(state.requests[index], state.snapshot);
    }

    /**
     * Control for {@link #asmPerGroup}: the same rotation, reading only what any per-group policy must read
     * from a request (its group's {@code sip-cluster-asm-dial-node}), without routing. With many groups the
     * requests no longer fit in the CPU caches; this shows how much of {@code asmPerGroup}'s growth is that.
     */
    @Benchmark
    public int asmRequestWalk(AsmState state, Cursor cursor) {
        int index = cursor.next;
        cursor.next = index + 1 == state.requests.length ? 0 : index + 1;
        Optional<NodeId> dialer = state.requests[index].group().asmDialNode();
        return dialer.isPresent() ? dialer.get().dbid() : 0;
    }

    /** grpc-java's round_robin: one pick. */
    @Benchmark
    public LoadBalancer.PickResult grpcRoundRobin(GrpcState state) {
        return state.picker.pickSubchannel(GrpcRoundRobin.PICK_ARGS);
    }

    /** Spring Cloud LoadBalancer's round robin: one blocking choice. */
    @Benchmark
    public ServiceInstance springRoundRobin(SpringState state) {
        return state.spring.choose();
    }

    /** The floor: one shared {@code getAndIncrement}. */
    @Benchmark
    public int atomicBaseline(AtomicState state) {
        return state.counter.getAndIncrement();
    }
}
