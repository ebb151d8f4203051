package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.REQUEST_TIMEOUT;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialObserver;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.Route;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.dialbalance.harness.inmemory.InMemoryTransport.ReplyMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dispatcher behaviours no other test pinned (issue 12): the second re-route that must not happen, a late reply
 * after a timeout, the deadline sweep while idle, and observers and listeners that throw.
 */
class DispatchEdgeCaseTest {

    /** What one observer saw: each route with its attempt number, and each outcome. */
    private static final class Recording implements DialObserver {
        final List<String> routes = new CopyOnWriteArrayList<>();
        final List<DialOutcome> outcomes = new CopyOnWriteArrayList<>();
        final List<Long> nanos = new CopyOnWriteArrayList<>();

        @Override
        public void onRouted(DialRequest request, ClusterSnapshot snapshot, Route route, int attempt) {
            routes.add(attempt + ":" + (route instanceof Route.To to ? to.node().dbid() : route.toString()));
        }

        @Override
        public void onOutcome(DialOutcome outcome, long nanosSinceDial) {
            outcomes.add(outcome);
            nanos.add(nanosSinceDial);
        }
    }

    private final InMemoryTransport transport = new InMemoryTransport();
    private final ManualScheduler clock = new ManualScheduler();
    private DialBalancer balancer;

    @AfterEach
    void stop() {
        if (balancer != null) {
            balancer.stop();
        }
    }

    private DialBalancer start(BalancerConfig.Builder config, DialObserver... observers) {
        DialBalancer.Builder builder = DialBalancer.builder(config.build()).transport(transport).scheduler(clock);
        for (DialObserver observer : observers) {
            builder.observer(observer);
        }
        balancer = builder.build();
        balancer.start();
        return balancer;
    }

    @Test
    void aRequestIsReRoutedAtMostOnceThenFailsAsNotSentEvenWithAWritableNodeLeft() {
        Recording observer = new Recording();
        start(config(3).lbMode("round-robin"), observer);
        transport.replyMode(node(101), ReplyMode.NOT_WRITTEN);
        transport.replyMode(node(102), ReplyMode.NOT_WRITTEN);    // 103 would take it: a third route must not be tried

        DialOutcome outcome = balancer.dial(predictive(regular("g"), 1)).toCompletableFuture().getNow(null);

        assertThat(outcome).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.NOT_SENT);
            assertThat(failed.node()).contains(node(102));
            assertThat(failed.detail()).startsWith("nothing was written: ").contains("second try");
        });
        assertThat(observer.routes).containsExactly("1:101", "2:102");
        assertThat(observer.outcomes).containsExactly(outcome);
        assertThat(transport.sent()).isEmpty();

        transport.replyMode(node(101), ReplyMode.ACCEPT);
        assertThat(balancer.dial(predictive(regular("g"), 2)).toCompletableFuture().getNow(null))
                .as("the next request starts again at the first try").isInstanceOfSatisfying(DialOutcome.Dialed.class, dialed -> {
                    assertThat(dialed.node()).isEqualTo(node(103));
                    assertThat(dialed.routeAttempts()).isEqualTo(1);
                });
        assertThat(observer.routes).endsWith("1:103");
    }

    @Test
    void aTimedOutRequestWhoseReplyArrivesLateHasExactlyOneOutcomeTheTimeout() {
        Recording observer = new Recording();
        start(config(1).lbMode("round-robin"), observer);
        transport.replyMode(node(101), ReplyMode.MANUAL);
        AtomicInteger completions = new AtomicInteger();
        CompletableFuture<DialOutcome> late = balancer.dial(predictive(regular("g"), 1)).toCompletableFuture();
        late.whenComplete((result, error) -> completions.incrementAndGet());
        CompletableFuture<DialOutcome> lateError = balancer.dial(predictive(regular("g"), 2)).toCompletableFuture();

        clock.advance(REQUEST_TIMEOUT);
        assertThat(late).isDone();
        assertThat(late.join()).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(failed.node()).contains(node(101));
            assertThat(failed.detail()).contains("no reply from node 101 PRIMARY within").contains("not re-sent");
        });

        List<InMemoryTransport.PendingRequest> pending = transport.pending();
        assertThat(pending).hasSize(2);
        pending.get(0).accept();
        pending.get(1).reject(99, "late error");

        assertThat(late.join()).isInstanceOfSatisfying(DialOutcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT));
        assertThat(lateError.join()).isInstanceOfSatisfying(DialOutcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT));
        assertThat(completions).hasValue(1);
        assertThat(observer.outcomes).hasSize(2).allSatisfy(outcome -> assertThat(outcome)
                .isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT)));
        assertThat(transport.sent()).as("nothing re-sent after the timeout").hasSize(2);
    }

    @Test
    void theDeadlineSweepGoesOnWhileIdleAndTimesOutTheFirstRequestAfterwardsOnTime() {
        start(config(1).lbMode("round-robin"));
        transport.replyMode(node(101), ReplyMode.SILENT);

        clock.advance(REQUEST_TIMEOUT.multipliedBy(7));           // nothing pending: the sweep runs on empty, many times
        CompletableFuture<DialOutcome> outcome = balancer.dial(predictive(regular("g"), 1)).toCompletableFuture();
        clock.advance(REQUEST_TIMEOUT.minusMillis(1));
        assertThat(outcome).as("not before its deadline").isNotDone();
        clock.advance(REQUEST_TIMEOUT.dividedBy(20));             // one sweep tick

        assertThat(outcome).isCompletedWithValueMatching(result -> result instanceof DialOutcome.Failed failed
                && failed.reason() == FailureReason.TIMEOUT, "TIMEOUT");
    }

    @Test
    void anAnsweredRequestIsNeverTimedOutLater() {
        start(config(1).lbMode("round-robin"));
        transport.replyMode(node(101), ReplyMode.MANUAL);
        CompletableFuture<DialOutcome> outcome = balancer.dial(predictive(regular("g"), 1)).toCompletableFuture();
        clock.advance(REQUEST_TIMEOUT.dividedBy(2));
        transport.pending().get(0).accept();

        clock.advance(REQUEST_TIMEOUT.multipliedBy(3));

        assertThat(outcome.join()).isInstanceOfSatisfying(DialOutcome.Dialed.class,
                dialed -> assertThat(dialed.referenceId()).isEqualTo(transport.sent().get(0).referenceId()));
    }

    @Test
    void anErrorReplyWithoutAMessageSaysSoWithoutEmptyParenthesesAndObserversGetTheTimeSinceDial() {
        Recording observer = new Recording();
        start(config(1).lbMode("round-robin"), observer);
        transport.replyMode(node(101), ReplyMode.MANUAL);
        long before = System.nanoTime();
        CompletableFuture<DialOutcome> bare = balancer.dial(predictive(regular("g"), 1)).toCompletableFuture();
        CompletableFuture<DialOutcome> worded = balancer.dial(predictive(regular("g"), 2)).toCompletableFuture();
        List<InMemoryTransport.PendingRequest> pending = transport.pending();
        pending.get(0).reject(57, "");
        pending.get(1).reject(58, "DN is out of service");
        long after = System.nanoTime();

        assertThat(bare.join()).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.REJECTED);
            assertThat(failed.detail()).endsWith("answered EventError 57");
        });
        assertThat(worded.join()).isInstanceOfSatisfying(DialOutcome.Failed.class,
                failed -> assertThat(failed.detail()).endsWith("answered EventError 58 (DN is out of service)"));
        assertThat(observer.nanos).hasSize(2).allSatisfy(nanos -> assertThat(nanos).isBetween(0L, after - before));
    }

    @Test
    void anObserverThatThrowsStopsNeitherDialingNorTheOtherObservers() {
        DialObserver broken = new DialObserver() {
            @Override
            public void onRouted(DialRequest request, ClusterSnapshot snapshot, Route route, int attempt) {
                throw new IllegalStateException("an observer with a bug");
            }

            @Override
            public void onOutcome(DialOutcome outcome, long nanosSinceDial) {
                throw new IllegalStateException("an observer with a bug");
            }
        };
        Recording after = new Recording();
        start(config(2).lbMode("round-robin"), broken, after);

        DialOutcome first = balancer.dial(predictive(regular("g"), 1)).toCompletableFuture().getNow(null);
        DialOutcome second = balancer.dial(predictive(regular("g"), 2)).toCompletableFuture().getNow(null);

        assertThat(first).isInstanceOfSatisfying(DialOutcome.Dialed.class, dialed -> assertThat(dialed.node()).isEqualTo(node(101)));
        assertThat(second).isInstanceOfSatisfying(DialOutcome.Dialed.class, dialed -> assertThat(dialed.node()).isEqualTo(node(102)));
        assertThat(after.routes).containsExactly("1:101", "1:102");
        assertThat(after.outcomes).containsExactly(first, second);
    }

    @Test
    void aListenerThatThrowsStopsNeitherDialingNorDeliveryToTheOthers() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        start(config(3).lbMode("round-robin").monitorDn("7001"));
        balancer.addListener(new ClusterListener() {
            @Override
            public void onClusterEvent(ClusterEvent event) {
                throw new IllegalStateException("a listener with a bug");
            }

            @Override
            public void onTelephonyEvent(TelephonyEvent event) {
                throw new IllegalStateException("a listener with a bug");
            }
        });
        balancer.addListener(new ClusterListener() {
            @Override
            public void onClusterEvent(ClusterEvent event) {
                seen.add(event);
            }

            @Override
            public void onTelephonyEvent(TelephonyEvent event) {
                seen.add(event);
            }
        });

        transport.setReachable(node(102), LinkRole.PRIMARY, false);
        transport.setReachable(node(102), LinkRole.BACKUP, false);
        transport.emit(node(101), LinkRole.PRIMARY, TelephonyEvent.Scope.DN, "EventAgentReady", "7001");
        List<Integer> dialedOn = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DialOutcome outcome = balancer.dial(predictive(regular("g"), i)).toCompletableFuture().getNow(null);
            assertThat(outcome).isInstanceOf(DialOutcome.Dialed.class);
            dialedOn.add(((DialOutcome.Dialed) outcome).node().dbid());
        }

        assertThat(dialedOn).containsExactly(101, 103, 101, 103);
        assertThat(seen).anyMatch(event -> event instanceof ClusterEvent.NodeDeactivated deactivated
                && deactivated.node().equals(node(102)));
        assertThat(seen).filteredOn(TelephonyEvent.class::isInstance).hasSize(1);
        assertThat(transport.sent()).extracting(sent -> sent.node().dbid()).containsExactly(101, 103, 101, 103);
        assertThat(balancer.snapshot().isActive(node(102))).isFalse();
    }
}
