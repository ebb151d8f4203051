package org.dialbalance.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.grpc.LoadBalancer;

/** The grpc-java pickers the benchmarks measure are set up as their javadoc says: weighted, loaded, READY. */
class GrpcPeersTest {

    @Test
    void weightedRoundRobinPicksInProportionToTheReportedWeights() {
        int[] weights = {1, 2, 3, 4, 5};
        GrpcBalancer balancer = GrpcWeightedRoundRobin.weighted(weights);
        try {
            int[] picks = new int[weights.length];
            for (int i = 0; i < 200 * 15; i++) {
                picks[balancer.backendOf(balancer.pick())]++;
            }
            for (int backend = 0; backend < weights.length; backend++) {
                assertThat(picks[backend]).as("picks of backend %d (weight %d)", backend, weights[backend])
                        .isCloseTo(200 * weights[backend], within(10));
            }
        } finally {
            balancer.shutdown();
        }
    }

    @Test
    void weightedRoundRobinRefusesAWeightBelowOne() {
        assertThatThrownBy(() -> GrpcWeightedRoundRobin.weighted(new int[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    }

    @Test
    void leastRequestSeesTheStreamsLeftOpen() {
        GrpcBalancer balancer = GrpcLeastRequest.loaded(new int[] {0, 49});
        try {
            int lessLoaded = 0;
            int picks = 10_000;
            for (int i = 0; i < picks; i++) {
                if (balancer.backendOf(balancer.pick()) == 0) {
                    lessLoaded++;
                }
            }
            // two random choices among two backends: the loaded one wins only when both choices fall on it (1 in 4)
            assertThat(lessLoaded).isBetween(7_000, 8_000);
        } finally {
            balancer.shutdown();
        }
    }

    @Test
    void anUnknownPolicyIsNamed() {
        assertThatThrownBy(() -> GrpcBalancer.ready("no_such_policy", Map.of(), 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no_such_policy");
    }

    @Test
    void roundRobinTakesEveryBackendInTurn() {
        GrpcRoundRobin grpc = GrpcRoundRobin.ready(8);
        try {
            Set<LoadBalancer.Subchannel> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < 8; i++) {
                seen.add(grpc.pick().getSubchannel());
            }
            assertThat(seen).hasSize(8).doesNotContainNull();
        } finally {
            grpc.shutdown();
        }
    }
}
