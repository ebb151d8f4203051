package org.dialbalance.acceptance.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.simcluster.ReceivedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code max-pending-requests} itself (issue 12), from the balancer's option down to the wire: with N requests
 * awaiting replies on a link, request N+1 fails PENDING_LIMIT and is never written.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MaxPendingRequestsWireTest {

    private static final int LIMIT = 2;

    @Test
    void theRequestBeyondMaxPendingRequestsFailsPendingLimitAndIsNotWritten() throws Exception {
        try (WireCluster wire = WireCluster.start(1, builder -> builder.maxPendingRequests(LIMIT)
                .requestTimeout(Duration.ofMillis(500)))) {
            wire.cluster.server(NodeId.of(101), LinkRole.PRIMARY).latency(Duration.ofSeconds(60));
            List<CompletableFuture<DialOutcome>> waiting = new ArrayList<>();
            for (int i = 0; i < LIMIT; i++) {
                waiting.add(wire.balancer.dial(WireCluster.predictive(WireCluster.regular(), "w" + i)).toCompletableFuture());
            }
            wire.cluster.awaitRequests(LIMIT, request -> true, WireCluster.WAIT);

            DialOutcome beyond = wire.dial(WireCluster.predictive(WireCluster.regular(), "beyond"));

            assertThat(beyond).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.PENDING_LIMIT);
                assertThat(failed.reason().written()).isFalse();
                assertThat(failed.detail()).contains("already has " + LIMIT + " requests");
            });

            // the waiting ones time out (request-timeout); then the link takes requests again, and what reached the
            // server, in order on one connection, shows whether the refused one was written in between
            for (CompletableFuture<DialOutcome> outcome : waiting) {
                assertThat(outcome.get(WireCluster.WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOfSatisfying(DialOutcome.Failed.class,
                        failed -> assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT));
            }
            wire.cluster.server(NodeId.of(101), LinkRole.PRIMARY).latency(Duration.ZERO);
            DialOutcome after = dialUntilNotPendingLimit(wire);
            assertThat(after).isInstanceOf(DialOutcome.Dialed.class);

            assertThat(wire.cluster.received()).extracting(ReceivedRequest::otherDn)
                    .containsExactly("555w0", "555w1", "555after");
        }
    }

    /** The transport frees a slot when its own timeout or the late reply ends the request; both come soon. */
    private static DialOutcome dialUntilNotPendingLimit(WireCluster wire) throws Exception {
        while (true) {
            DialOutcome outcome = wire.dial(WireCluster.predictive(WireCluster.regular(), "after"));
            if (!(outcome instanceof DialOutcome.Failed failed && failed.reason() == FailureReason.PENDING_LIMIT)) {
                return outcome;
            }
            Thread.onSpinWait();
        }
    }
}
