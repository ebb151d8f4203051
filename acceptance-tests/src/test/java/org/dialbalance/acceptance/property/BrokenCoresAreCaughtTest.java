package org.dialbalance.acceptance.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialObserver;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.RegisterResult;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.harness.model.TransportFault;
import org.dialbalance.harness.property.Action;
import org.dialbalance.harness.property.ClusterCase;
import org.dialbalance.harness.property.CoreDriver;
import org.dialbalance.harness.property.Counterexample;
import org.dialbalance.harness.property.Generator;
import org.dialbalance.harness.property.PropertyRunner;
import org.junit.jupiter.api.Test;

/**
 * Proof that the core model check sees the transport's faults: "cores" broken the classic ways — a wrapper
 * around {@code DialBalancer} that re-dials a failed request, a Dispatcher-like decorator that reports a late
 * reply as a second outcome, a transport that says "not written" after writing — are each caught with a
 * shrunk counterexample; and a transport breaking its contract (its send stage failing after the write, a
 * reply after the timeout) does not make the real core dial twice or end a request twice.
 */
class BrokenCoresAreCaughtTest {

    private static final long SEED = 20261126L;
    private static final int CASES = 500;
    private static final Generator FAULTS = new Generator(true, true, 12).withTransportFaults();

    /** A "core" that retries a request that failed after it was written: the double dial the design forbids. */
    private static final CoreDriver.CoreFactory REDIALS_ON_FAILURE = (config, transport, scheduler, listener, observer) -> {
        CoreDriver.Core real = CoreDriver.REAL.start(config, transport, scheduler, listener, observer);
        return new DelegatingCore(real) {
            @Override
            public CompletionStage<DialOutcome> dial(DialRequest request) {
                return real.dial(request).thenCompose(outcome -> outcome instanceof DialOutcome.Failed failed && failed.reason().written()
                        ? real.dial(request) : CompletableFuture.completedFuture(outcome));
            }
        };
    };

    /**
     * A Dispatcher-like decorator that reports every reply the transport gives as an outcome, without "the
     * first of reply and timer wins": a reply after the request-timeout becomes a second outcome.
     */
    private static final CoreDriver.CoreFactory REPORTS_LATE_REPLIES = (config, transport, scheduler, listener, observer) -> {
        Set<DialRequest> ended = ConcurrentHashMap.newKeySet();
        DialObserver tracking = new DialObserver() {
            @Override
            public void onRouted(DialRequest request, ClusterSnapshot snapshot, Route route, int attempt) {
                observer.onRouted(request, snapshot, route, attempt);
            }

            @Override
            public void onOutcome(DialOutcome outcome, long nanosSinceDial) {
                ended.add(outcome.request());
                observer.onOutcome(outcome, nanosSinceDial);
            }
        };
        Transport reporting = new WrappingTransport(transport) {
            @Override
            CompletionStage<SendResult> sent(Link link, DialRequest request, CompletionStage<SendResult> result) {
                return result.whenComplete((reply, error) -> {
                    if (reply instanceof SendResult.Accepted accepted && ended.contains(request)) {
                        observer.onOutcome(new DialOutcome.Dialed(request, link.target().node(), link.target().role(),
                                accepted.referenceId(), accepted.connId()), 0);
                    }
                });
            }
        };
        return CoreDriver.REAL.start(config, reporting, scheduler, listener, tracking);
    };

    /** A transport that breaks its contract the one way the core cannot defend: "not written" after writing. */
    private static final CoreDriver.CoreFactory TRANSPORT_LIES_NOT_WRITTEN = (config, transport, scheduler, listener, observer) ->
            CoreDriver.REAL.start(config, new WrappingTransport(transport) {
                @Override
                CompletionStage<SendResult> sent(Link link, DialRequest request, CompletionStage<SendResult> result) {
                    return result.thenApply(reply -> reply instanceof SendResult.LostAfterWrite lost
                            ? new SendResult.NotWritten("lying: " + lost.reason()) : reply);
                }
            }, scheduler, listener, observer);

    @org.junit.jupiter.api.BeforeAll
    static void quietCore() {
        CoreModelCheckingTest.quietCore();
    }

    @org.junit.jupiter.api.AfterAll
    static void restoreLogs() {
        CoreModelCheckingTest.restoreLogs();
    }

    @Test
    void theRealCorePassesTheSameCasesSoTheFailuresBelowAreTheBugs() {
        assertThat(PropertyRunner.find("real core", SEED, CASES, FAULTS, cluster -> check(cluster, CoreDriver.REAL), cluster -> { }))
                .isEmpty();
    }

    @Test
    void aCoreThatReDialsAFailedRequestIsCaughtSendingTwice() {
        Counterexample caught = assertCaught(REDIALS_ON_FAILURE);
        assertThat(caught.violation()).contains("sent twice");
        assertThat(caught.shrunk().actions()).singleElement().isInstanceOf(Action.Faulty.class);
    }

    @Test
    void aDecoratorThatReportsALateReplyAsASecondOutcomeIsCaught() {
        Counterexample caught = assertCaught(REPORTS_LATE_REPLIES);
        assertThat(caught.violation()).contains("2 outcomes");
        assertThat(caught.shrunk().actions()).singleElement()
                .isEqualTo(new Action.Faulty(((Action.Faulty) caught.shrunk().actions().get(0)).group(), TransportFault.LATE_REPLY));
    }

    @Test
    void aTransportThatSaysNotWrittenAfterWritingIsCaughtMakingTheCoreSendTwice() {
        Counterexample caught = assertCaught(TRANSPORT_LIES_NOT_WRITTEN);
        assertThat(caught.violation()).contains("sent twice");
    }

    @Test
    void theCoresDefenceHoldsAgainstATransportWhoseStageFailsOrThatRepliesAfterTheTimeout() {
        ClusterCase base = new ClusterCase(List.of(true, false), 0,
                List.of(new ClusterCase.GroupSpec(org.dialbalance.api.DialingMode.PREDICTIVE, ClusterCase.Dialer.UNSET, 0)), List.of());
        for (TransportFault fault : TransportFault.values()) {
            ClusterCase twice = base.withActions(List.of(new Action.Faulty(0, fault), new Action.Faulty(0, fault), new Action.Dial(0),
                    new Action.Down(0, org.dialbalance.api.LinkRole.BACKUP), new Action.Up(0, org.dialbalance.api.LinkRole.PRIMARY),
                    new Action.Dial(0)));
            assertThat(check(twice, CoreDriver.REAL)).as(fault.name()).isEmpty();
        }
    }

    private static Optional<String> check(ClusterCase cluster, CoreDriver.CoreFactory core) {
        return CoreModelCheckingTest.agreesAndKeepsTheGuarantees(cluster, "round-robin", null, core);
    }

    private static Counterexample assertCaught(CoreDriver.CoreFactory broken) {
        Optional<Counterexample> found = PropertyRunner.find("broken core", SEED, CASES, FAULTS, cluster -> check(cluster, broken),
                cluster -> { });
        assertThat(found).as("the broken core must be caught").isPresent();
        Counterexample counterexample = found.get();
        assertThat(counterexample.shrunk().actions()).as(counterexample.report()).hasSizeLessThanOrEqualTo(3);
        assertThat(counterexample.report()).contains("seed " + SEED).contains("-Ddialbalance.seed=").contains("violation: ");
        return counterexample;
    }

    /** A transport whose links pass every send's stage through {@link #sent}. */
    private abstract static class WrappingTransport implements Transport {
        private final Transport delegate;

        WrappingTransport(Transport delegate) {
            this.delegate = delegate;
        }

        abstract CompletionStage<SendResult> sent(Link link, DialRequest request, CompletionStage<SendResult> result);

        @Override
        public CompletionStage<Link> connect(LinkTarget target, LinkListener listener) {
            return delegate.connect(target, listener).thenApply(link -> new Link() {
                @Override
                public LinkTarget target() {
                    return link.target();
                }

                @Override
                public boolean isOpen() {
                    return link.isOpen();
                }

                @Override
                public CompletionStage<SendResult> send(DialRequest request) {
                    return sent(link, request, link.send(request));
                }

                @Override
                public CompletionStage<RegisterResult> registerAddress(String dn) {
                    return link.registerAddress(dn);
                }

                @Override
                public void close() {
                    link.close();
                }
            });
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
