package org.dialbalance.policy.loadaware;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.NodeOptions;
import org.dialbalance.harness.CountingNodeLoad;
import org.dialbalance.harness.RecordingPolicyContext;
import org.junit.jupiter.api.Test;

/**
 * least-busy's index under concurrency: threads change loads (each change re-indexes a path under the index's lock)
 * and route (reading the root without a lock) at once, on a cluster of 37 nodes whose active set also changes. Once
 * they have stopped, the index must agree with the loads exactly: filling the cluster up one dial at a time, every
 * route goes to a node of the least load per weight among the active nodes with room, as a read of every node says.
 * A lost or torn update leaves a stale entry, found when the level reaches it. Each thread's random changes come from
 * a seed printed on failure.
 */
class LeastBusyConcurrencyTest {

    private static final int NODES = 37;
    private static final int THREADS = 4;
    private static final int CHANGES = 20_000;

    @Test
    void afterConcurrentChangesAndRoutesTheIndexAgreesWithTheLoads() throws Exception {
        long seed = Long.getLong("dialbalance.seed", System.nanoTime());
        List<NodeSpec> specs = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            specs.add(NodeSpec.of(NodeId.of(101 + i), "SIP_Node_" + (101 + i), new Endpoint("10.0.0." + (i + 1), 5000,
                    PortKind.TC_PORT)));
        }
        ClusterTopology topology = new ClusterTopology(specs, NodeId.of(101));
        CampaignGroup sales = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");
        DialRequest request = DialRequest.PredictiveCall.of(sales, "7000", "5551234", Duration.ofSeconds(25));
        int[] caps = new int[NODES];
        for (int i = 0; i < NODES; i++) {
            caps[i] = i % 3 == 0 ? 20 : NodeOptions.UNLIMITED;
        }
        CountingNodeLoad load = new CountingNodeLoad(NODES);
        BalancingPolicy policy = LoadAwarePropertiesTest.create(new LeastBusyPolicyProvider(),
                new RecordingPolicyContext(topology, List.of(sales), Map.of()).withNodeLoad(load)
                        .withNodeOptions(index -> new NodeOptions(1 + index % 5, caps[index])));
        ClusterSnapshot allUp = ClusterSnapshot.initial(topology);
        for (NodeSpec spec : specs) {
            allUp = allUp.with(new NodeStatus(spec.id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        // a second version with a few nodes down, so that threads also route on (and re-index for) another active set
        ClusterSnapshot someDown = allUp;
        for (int i = 5; i < NODES; i += 7) {
            someDown = someDown.with(NodeStatus.down(specs.get(i).id()));
        }
        ClusterSnapshot[] versions = {allUp, someDown};

        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < CHANGES; i++) {
                    int node = random.nextInt(NODES);
                    if (random.nextBoolean()) {
                        if (load.callsInProgress(node) > 0) {
                            load.addCalls(node, -1);
                        }
                    } else {
                        load.addCalls(node, 1);
                    }
                    policy.route(request, versions[random.nextInt(versions.length)]);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> thread : done) {
            thread.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();

        // then route on newer versions (so the index re-reads their active sets): the same down nodes, then all up
        ClusterSnapshot sameDown = someDown.with(NodeStatus.down(specs.get(1).id()))
                .with(new NodeStatus(specs.get(1).id(), true, false, Optional.of(LinkRole.PRIMARY)));
        ClusterSnapshot backUp = sameDown;
        for (int i = 5; i < NODES; i += 7) {
            backUp = backUp.with(new NodeStatus(specs.get(i).id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        for (ClusterSnapshot current : new ClusterSnapshot[] {sameDown, backUp}) {
            // fill the cluster up one dial at a time: every choice must be the least busy per weight, so a node whose
            // entry in the index is stale is found when the level reaches it (chosen too early, or passed over)
            for (int step = 0; step < 3_000; step++) {
                Route route = policy.route(request, current);
                if (route instanceof Route.Hold) {
                    for (int other = 0; other < NODES; other++) {
                        assertThat(current.isActive(other) && load.load(other) < caps[other])
                                .as("seed %d: held at step %d, but node #%d has room", seed, step, other).isFalse();
                    }
                    break;
                }
                int chosen = topology.indexOf(((Route.To) route).node());
                assertThat(current.isActive(chosen)).isTrue();
                assertThat(load.load(chosen)).as("seed %d: node #%d is full", seed, chosen).isLessThan(caps[chosen]);
                for (int other = 0; other < NODES; other++) {
                    if (current.isActive(other) && load.load(other) < caps[other]) {
                        assertThat((long) load.load(chosen) * (1 + other % 5))
                                .as("seed %d (re-run: -Ddialbalance.seed=%d), step %d: node #%d (load %d, weight %d) chosen,"
                                        + " but #%d has load %d, weight %d", seed, seed, step, chosen, load.load(chosen),
                                        1 + chosen % 5, other, load.load(other), 1 + other % 5)
                                .isLessThanOrEqualTo((long) load.load(other) * (1 + chosen % 5));
                    }
                }
                load.addCalls(chosen, 1);
            }
        }
    }
}
