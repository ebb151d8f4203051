package org.dialbalance.benchmarks;

import java.util.concurrent.TimeUnit;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeStatus;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one link change costs the registry: {@link ClusterSnapshot#with(NodeStatus)} building the next
 * snapshot of a cluster of {@code nodes} nodes, in nanoseconds per snapshot. Each call flips the middle
 * node between active and inactive, so every call builds a new snapshot (an unchanged status would return
 * the same one). Link changes are rare next to dials; this shows how that cost grows with cluster size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SnapshotRebuild {

    /** Configured nodes, all active but the flipped one every other call. */
    @Param({"2", "8", "64", "256", "1024"})
    public int nodes;

    private NodeStatus up;
    private NodeStatus down;
    private ClusterSnapshot current;

    /** An all-active snapshot and the two statuses of the flipped node. */
    @Setup(Level.Trial)
    public void setUp() {
        ClusterTopology topology = Fixtures.topology(nodes);
        NodeId flipped = topology.node(nodes / 2).id();
        up = Fixtures.primaryUp(flipped);
        down = NodeStatus.down(flipped);
        current = Fixtures.allActive(topology);
    }

    /** One change: the next snapshot. */
    @Benchmark
    public ClusterSnapshot with() {
        ClusterSnapshot next = current.with(current.isActive(up.node()) ? down : up);
        current = next;
        return next;
    }
}
