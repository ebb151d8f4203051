package org.dialbalance.acceptance.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.Route;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.core.ReconfigureResult;
import org.dialbalance.harness.property.Action;
import org.dialbalance.harness.property.ClusterCase;
import org.dialbalance.harness.property.CoreDriver;
import org.dialbalance.harness.property.Counterexample;
import org.dialbalance.harness.property.Generator;
import org.dialbalance.harness.property.PropertyRunner;
import org.dialbalance.policy.asm.AsmPerGroupPolicyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof that the model check sees what drain, enable and reload must keep: "cores" broken one way each — routing that
 * forgets a drain, a policy that keeps routing per the configuration it started with (to a removed node, to an ASM
 * group's old dialer node), a DrainFinished sent before the node is empty, a version that counts refused reloads, a
 * reload that re-sends the requests in flight, a refused reload whose node changes are applied anyway — are each
 * caught on generated sequences with drains, enables and reloads, and reported with the seed and a shrunk sequence.
 * The real core passes the same cases, so what is caught is the bug put in.
 */
class BrokenOperationsAreCaughtTest {

    private static final long SEED = 20261127L;
    private static final int CASES = 400;
    private static final Generator OPERATIONS = new Generator(true, true, 12).withOperations();

    /**
     * Routing that forgets drains: every draining node is enabled for the dial, then drained again (the events of that
     * are kept from the listeners, so that only the routing is wrong).
     */
    private static final CoreDriver.CoreFactory FORGETS_DRAINS = (config, transport, scheduler, listener, observer) -> {
        java.util.concurrent.atomic.AtomicBoolean dialing = new java.util.concurrent.atomic.AtomicBoolean();
        CoreDriver.Core real = CoreDriver.REAL.start(config, transport, scheduler, new ClusterListener() {
            @Override
            public void onClusterEvent(ClusterEvent event) {
                if (!dialing.get()) {
                    listener.onClusterEvent(event);
                }
            }

            @Override
            public void onTelephonyEvent(TelephonyEvent event) {
                listener.onTelephonyEvent(event);
            }
        }, observer);
        return new DelegatingCore(real) {
            @Override
            public CompletionStage<DialOutcome> dial(DialRequest request) {
                ClusterSnapshot snapshot = real.snapshot();
                List<NodeId> draining = snapshot.topology().nodes().stream().map(NodeSpec::id).filter(snapshot::isDraining).toList();
                dialing.set(true);
                try {
                    draining.forEach(real::enable);
                    CompletionStage<DialOutcome> outcome = real.dial(request);
                    draining.forEach(real::drain);
                    return outcome;
                } finally {
                    dialing.set(false);
                }
            }
        };
    };

    /**
     * Policies that keep configurations they should have dropped: a round-robin over every node any configuration it was
     * created for had — a refused reload's included — (a node the snapshot does not know counts as active), and
     * {@code asm-per-group} built from the first campaign groups and prime.
     */
    private static final CoreDriver.CoreFactory KEEPS_THE_FIRST_CONFIGURATION = (config, transport, scheduler, listener, observer) -> {
        AtomicReference<PolicyContext> first = new AtomicReference<>();
        BalancingPolicyProvider asm = new BalancingPolicyProvider() {
            @Override
            public String name() {
                return AsmPerGroupPolicyProvider.NAME;
            }

            @Override
            public ConfigResult<BalancingPolicy> create(PolicyContext context) {
                first.compareAndSet(null, context);
                return new AsmPerGroupPolicyProvider().create(first.get());
            }
        };
        BalancingPolicyProvider roundRobin = new BalancingPolicyProvider() {
            /** The nodes first configured, then those reloads added: a removed node is never forgotten. */
            private final List<NodeId> ring = new java.util.concurrent.CopyOnWriteArrayList<>();
            private final AtomicReference<NodeId> last = new AtomicReference<>();

            @Override
            public String name() {
                return "round-robin";
            }

            @Override
            public ConfigResult<BalancingPolicy> create(PolicyContext context) {
                context.topology().nodes().stream().map(NodeSpec::id).filter(node -> !ring.contains(node)).forEach(ring::add);
                return ConfigResult.valid((request, snapshot) -> {
                    if (!snapshot.isPrimeActive()) {
                        return Route.primeNodeDown(snapshot.prime());
                    }
                    for (int step = 1; step <= ring.size(); step++) {
                        NodeId node = ring.get((ring.indexOf(last.get()) + step) % ring.size());
                        if (!snapshot.topology().contains(node) || snapshot.isActive(node)) {
                            last.set(node);
                            return new Route.To(node);
                        }
                    }
                    return Route.primeNodeDown(snapshot.prime());
                });
            }
        };
        DialBalancer balancer = DialBalancer.builder(config).transport(transport).scheduler(scheduler).listener(listener)
                .observer(observer).policy(roundRobin).policy(asm).build();
        balancer.start();
        return CoreDriver.of(balancer);
    };

    /** A DrainFinished sent as soon as the drain starts, without waiting for the requests and calls in progress. */
    private static final CoreDriver.CoreFactory FINISHES_DRAINS_AT_ONCE = (config, transport, scheduler, listener, observer) ->
            CoreDriver.REAL.start(config, transport, scheduler, new ClusterListener() {
                @Override
                public void onClusterEvent(ClusterEvent event) {
                    if (event instanceof ClusterEvent.DrainFinished) {
                        return;
                    }
                    listener.onClusterEvent(event);
                    if (event instanceof ClusterEvent.DrainStarted started) {
                        listener.onClusterEvent(new ClusterEvent.DrainFinished(started.snapshotVersion(), started.node()));
                    }
                }

                @Override
                public void onTelephonyEvent(TelephonyEvent event) {
                    listener.onTelephonyEvent(event);
                }
            }, observer);

    /** A configuration version that counts every reload asked for, refused ones included. */
    private static final CoreDriver.CoreFactory COUNTS_REFUSED_RELOADS = (config, transport, scheduler, listener, observer) -> {
        CoreDriver.Core real = CoreDriver.REAL.start(config, transport, scheduler, listener, observer);
        AtomicInteger refused = new AtomicInteger();
        return new DelegatingCore(real) {
            @Override
            public ReconfigureResult reconfigure(BalancerConfig next) {
                ReconfigureResult result = real.reconfigure(next);
                if (!result.applied()) {
                    refused.incrementAndGet();
                }
                return result;
            }

            @Override
            public long configurationVersion() {
                return real.configurationVersion() + refused.get();
            }
        };
    };

    /** A reload that sends the requests still awaiting replies again, on the new configuration. */
    private static final CoreDriver.CoreFactory RESENDS_IN_FLIGHT_ON_RELOAD = (config, transport, scheduler, listener, observer) -> {
        CoreDriver.Core real = CoreDriver.REAL.start(config, transport, scheduler, listener, observer);
        Map<DialRequest, CompletableFuture<DialOutcome>> awaiting = new java.util.LinkedHashMap<>();
        return new DelegatingCore(real) {
            @Override
            public CompletionStage<DialOutcome> dial(DialRequest request) {
                CompletableFuture<DialOutcome> outcome = real.dial(request).toCompletableFuture();
                awaiting.put(request, outcome);
                return outcome;
            }

            @Override
            public ReconfigureResult reconfigure(BalancerConfig next) {
                ReconfigureResult result = real.reconfigure(next);
                if (result instanceof ReconfigureResult.Applied applied && !applied.diff().isEmpty()) {
                    awaiting.values().removeIf(CompletableFuture::isDone);
                    new ArrayList<>(awaiting.keySet()).forEach(real::dial);
                }
                return result;
            }
        };
    };

    /** A refused reload whose node changes are applied anyway, with the running configuration's other options. */
    private static final CoreDriver.CoreFactory APPLIES_REFUSED_NODES = (config, transport, scheduler, listener, observer) -> {
        CoreDriver.Core real = CoreDriver.REAL.start(config, transport, scheduler, listener, observer);
        AtomicReference<BalancerConfig> running = new AtomicReference<>(config);
        return new DelegatingCore(real) {
            @Override
            public ReconfigureResult reconfigure(BalancerConfig next) {
                ReconfigureResult result = real.reconfigure(next);
                if (result.applied()) {
                    running.set(next);
                    return result;
                }
                BalancerConfig now = running.get();
                BalancerConfig.Builder nodesOnly = BalancerConfig.builder().primeNode(now.topology().prime())
                        .lbMode(now.lbMode().orElse(null)).reconnectTimeout(now.reconnectTimeout()).requestTimeout(now.requestTimeout());
                now.monitoredDns().forEach(nodesOnly::monitorDn);
                now.campaignGroups().forEach(nodesOnly::campaignGroup);
                next.topology().nodes().forEach(nodesOnly::node);
                real.reconfigure(nodesOnly.build());
                return result;
            }
        };
    };

    @BeforeAll
    static void quietCore() {
        CoreModelCheckingTest.quietCore();
    }

    @AfterAll
    static void restoreLogs() {
        CoreModelCheckingTest.restoreLogs();
    }

    @Test
    void theRealCorePassesTheSameCasesSoTheFailuresBelowAreTheBugs() {
        assertThat(PropertyRunner.find("real core", SEED, CASES, OPERATIONS, cluster -> check(cluster, CoreDriver.REAL), cluster -> { }))
                .isEmpty();
    }

    @Test
    void routingThatForgetsADrainIsCaughtSendingToTheDrainedNode() {
        Counterexample caught = assertCaught(FORGETS_DRAINS);
        assertThat(caught.violation()).contains("no request may go to a node out of the rotation")
                .contains("out of the rotation since step");
        assertThat(caught.shrunk().actions()).anyMatch(Action.Drain.class::isInstance);
    }

    @Test
    void aPolicyThatKeepsNodesOfEarlierConfigurationsIsCaughtRoutingOutOfTheRotation() {
        Counterexample caught = assertCaught(KEEPS_THE_FIRST_CONFIGURATION,
                new Generator(true, false, 12).withOperations());
        assertThat(caught.violation()).contains("no request may go to a node out of the rotation")
                .containsAnyOf("never configured", "out of the rotation since step");
        assertThat(caught.shrunk().actions()).anyMatch(Action.Reconfigure.class::isInstance);
    }

    @Test
    void anAsmPolicyThatKeepsTheDialerNodesItStartedWithIsCaught() {
        Counterexample caught = assertCaught(KEEPS_THE_FIRST_CONFIGURATION, new Generator(false, true, 12).withOperations());
        assertThat(caught.violation()).contains("the model expects the request");
        assertThat(caught.shrunk().actions()).anyMatch(Action.Reconfigure.class::isInstance);
    }

    @Test
    void aDrainFinishedSentBeforeTheNodeIsEmptyIsCaught() {
        Counterexample caught = assertCaught(FINISHES_DRAINS_AT_ONCE);
        assertThat(caught.violation()).contains("the operator events were").contains("DrainFinished");
    }

    @Test
    void aVersionThatCountsRefusedReloadsIsCaught() {
        Counterexample caught = assertCaught(COUNTS_REFUSED_RELOADS);
        assertThat(caught.violation()).contains("the configuration version is");
        assertThat(caught.shrunk().actions()).singleElement().isInstanceOf(Action.Reconfigure.class);
    }

    @Test
    void aReloadThatResendsTheRequestsInFlightIsCaughtSendingTwice() {
        Counterexample caught = assertCaught(RESENDS_IN_FLIGHT_ON_RELOAD);
        assertThat(caught.violation()).contains("sent twice");
        assertThat(caught.shrunk().actions()).anyMatch(Action.InFlight.class::isInstance)
                .anyMatch(Action.Reconfigure.class::isInstance);
    }

    @Test
    void aRefusedReloadWhoseNodesAreAppliedAnywayIsCaught() {
        Counterexample caught = assertCaught(APPLIES_REFUSED_NODES);
        assertThat(caught.violation()).contains("the snapshot's nodes are");
        assertThat(caught.shrunk().actions()).singleElement().isInstanceOf(Action.Reconfigure.class);
    }

    private static Optional<String> check(ClusterCase cluster, CoreDriver.CoreFactory core) {
        return CoreModelCheckingTest.agreesAndKeepsTheGuarantees(cluster, "round-robin", null, core);
    }

    private static Counterexample assertCaught(CoreDriver.CoreFactory broken) {
        return assertCaught(broken, OPERATIONS);
    }

    private static Counterexample assertCaught(CoreDriver.CoreFactory broken, Generator generator) {
        Optional<Counterexample> found = PropertyRunner.find("broken core", SEED, CASES, generator, cluster -> check(cluster, broken),
                cluster -> { });
        assertThat(found).as("the broken core must be caught").isPresent();
        Counterexample counterexample = found.get();
        assertThat(counterexample.shrunk().actions()).as(counterexample.report()).hasSizeLessThanOrEqualTo(8);
        assertThat(counterexample.report()).contains("seed " + SEED).contains("-Ddialbalance.seed=").contains("shrunk from")
                .contains("violation: ");
        System.out.println("Caught, as it must be:\n" + counterexample.report());     // to the test's output file
        return counterexample;
    }
}
