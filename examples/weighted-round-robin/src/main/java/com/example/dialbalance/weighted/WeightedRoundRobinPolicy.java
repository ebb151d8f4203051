package com.example.dialbalance.weighted;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;

/**
 * Weighted round-robin over the active nodes: a node of weight 3 gets three requests for every one of a
 * node of weight 1, interleaved smoothly (the "smooth weighted round-robin" order, so a heavy node does
 * not get its whole share in a burst). The schedule is computed once per set of active nodes and cached
 * with the snapshot version it belongs to; routing is a counter increment and an array read.
 */
final class WeightedRoundRobinPolicy implements BalancingPolicy {

    private static final HoldReason UNSUPPORTED_MODE = HoldReason.of("UNSUPPORTED_MODE");

    private final Map<NodeId, Integer> weights;
    private final AtomicLong counter = new AtomicLong();
    private final AtomicReference<Schedule> schedule = new AtomicReference<>(new Schedule(-1, new int[0]));

    WeightedRoundRobinPolicy(Map<NodeId, Integer> weights) {
        this.weights = Map.copyOf(weights);
    }

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        if (request.group().mode().isSeizing()) {
            return Route.hold(UNSUPPORTED_MODE, "example-weighted balances regular modes only; campaign group '"
                    + request.group().name() + "' dials in seizing mode");
        }
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        Schedule current = schedule.get();
        if (current.version != snapshot.version()) {
            current = new Schedule(snapshot.version(), order(snapshot));
            schedule.set(current);
        }
        long n = counter.getAndIncrement();
        return snapshot.topology().routeTo(current.indexes[(int) Long.remainderUnsigned(n, current.indexes.length)]);
    }

    /** One round of the smooth weighted round-robin order over the snapshot's active nodes, as positions. */
    private int[] order(ClusterSnapshot snapshot) {
        int count = snapshot.activeCount();
        int[] weight = new int[count];
        int total = 0;
        for (int i = 0; i < count; i++) {
            weight[i] = weights.getOrDefault(snapshot.topology().node(snapshot.activeIndex(i)).id(), 1);
            total += weight[i];
        }
        int[] current = new int[count];
        List<Integer> round = new ArrayList<>(total);
        for (int step = 0; step < total; step++) {
            int best = 0;
            for (int i = 0; i < count; i++) {
                current[i] += weight[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            round.add(snapshot.activeIndex(best));
        }
        return round.stream().mapToInt(Integer::intValue).toArray();
    }

    private record Schedule(long version, int[] indexes) {
    }
}
