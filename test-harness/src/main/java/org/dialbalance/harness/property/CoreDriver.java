package org.dialbalance.harness.property;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialObserver;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.Route;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.core.Scheduler;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.dialbalance.harness.model.ReferenceModel;
import org.dialbalance.harness.model.TransportFault;

/**
 * Runs a case against the real core (dispatcher, node connections, the configured policies) over the
 * in-memory transport and a manual clock, next to the {@link ReferenceModel}, and checks after every step:
 * the snapshot agrees with the model; each request ends in exactly one outcome (its future completes once,
 * and the {@link DialObserver}s hear one outcome), the one the model expects, after as many routes as the
 * model expects (a re-route at most once); servers received it as often as the model says (never twice,
 * nothing held); no request has ever been received twice, and no earlier request has gained a second
 * outcome (a late reply, a link closing on a timed-out request); DN-level events reach listeners from the
 * prime's serving link only. Every routing decision is recorded as a {@link Step} with the snapshot it was
 * made on (as the core reported it to its observers) so the {@link Guarantee}s can judge them too.
 *
 * <p>{@link Action.Faulty} plays the transport's faults on one request: not written (the link found gone
 * before the write), lost after the write, a reply after the request-timeout, no reply, a send stage that
 * fails. Every run is bounded: at most {@link #MAX_ACTIONS} actions, and the manual clock fails a run whose
 * tasks spin (see {@link ManualScheduler}).
 */
public final class CoreDriver {

    /** {@code reconnect-timeout} of the runs: a link made reachable again reconnects within it. */
    public static final Duration RECONNECT = Duration.ofSeconds(1);
    /** {@code request-timeout} of the runs. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The longest case the driver runs. */
    public static final int MAX_ACTIONS = 1_000;
    private static final String DN = "7001";
    /** Past the request-timeout by two sweeps of the deadline queue (a twentieth of the timeout each). */
    private static final Duration PAST_TIMEOUT = REQUEST_TIMEOUT.plus(REQUEST_TIMEOUT.dividedBy(10));

    /** What the driver runs: the real core, or a test's wrapper around it. */
    public interface Core {
        /** Dials one request. */
        CompletionStage<DialOutcome> dial(DialRequest request);

        /** The current snapshot. */
        ClusterSnapshot snapshot();

        /** Stops it. */
        void stop();
    }

    /** Builds and starts a {@link Core} from what the driver provides. */
    @FunctionalInterface
    public interface CoreFactory {
        /**
         * @param config    the case's configuration
         * @param transport the model-checking transport
         * @param scheduler the manual clock
         * @param listener  receives telephony events (DN-level events are checked)
         * @param observer  must hear every routing decision and every outcome, as the core reports them
         */
        Core start(BalancerConfig config, Transport transport, Scheduler scheduler, ClusterListener listener, DialObserver observer);
    }

    /** The real core: a {@link DialBalancer} with the driver's transport, clock, listener and observer. */
    public static final CoreFactory REAL = (config, transport, scheduler, listener, observer) -> {
        DialBalancer balancer = DialBalancer.builder(config).transport(transport).scheduler(scheduler).listener(listener)
                .observer(observer).build();
        balancer.start();
        return new Core() {
            @Override
            public CompletionStage<DialOutcome> dial(DialRequest request) {
                return balancer.dial(request);
            }

            @Override
            public ClusterSnapshot snapshot() {
                return balancer.snapshot();
            }

            @Override
            public void stop() {
                balancer.stop();
            }
        };
    };

    private CoreDriver() {
    }

    /**
     * Runs a case against the real core.
     *
     * @param lbMode the policy for regular groups, or {@code null} for no balancing
     * @param steps  receives the steps
     * @return the first violation, if any
     */
    public static Optional<String> run(ClusterCase cluster, String lbMode, List<Step> steps) {
        return run(cluster, lbMode, steps, REAL);
    }

    /** Runs a case against what {@code factory} builds (the real core, or a wrapper around it). */
    public static Optional<String> run(ClusterCase cluster, String lbMode, List<Step> steps, CoreFactory factory) {
        if (cluster.actions().size() > MAX_ACTIONS) {
            throw new IllegalArgumentException("a case of " + cluster.actions().size() + " actions; the driver runs at most " + MAX_ACTIONS);
        }
        BalancerConfig.Builder config = BalancerConfig.builder().primeNode(ClusterCase.dbid(cluster.prime())).lbMode(lbMode)
                .reconnectTimeout(RECONNECT).requestTimeout(REQUEST_TIMEOUT).monitorDn(DN);
        cluster.topology().nodes().forEach(config::node);
        cluster.campaignGroups().forEach(config::campaignGroup);
        InMemoryTransport transport = new InMemoryTransport();
        ManualScheduler clock = new ManualScheduler();
        List<TelephonyEvent> delivered = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder();
        Core core = factory.start(config.build(), transport, clock, new ClusterListener() {
            @Override
            public void onTelephonyEvent(TelephonyEvent event) {
                delivered.add(event);
            }
        }, recorder);
        Run run = new Run(cluster, core, transport, clock, PolicyDriver.model(cluster, lbMode != null), recorder, steps);
        try {
            Optional<String> initial = run.compare("after start");
            if (initial.isPresent()) {
                return initial;
            }
            for (int index = 0; index < cluster.actions().size(); index++) {
                Action action = cluster.actions().get(index);
                String where = "at step " + (index + 1) + " (" + action + ")";
                Optional<String> violation = run.step(index, action, where);
                if (violation.isEmpty()) {
                    violation = run.compare(where);
                }
                if (violation.isEmpty()) {
                    violation = run.everyRequestOnceOnly(where);
                }
                if (violation.isEmpty()) {
                    violation = dnEventsFromPrime(cluster, transport, run.model, delivered, where);
                }
                if (violation.isPresent()) {
                    return violation;
                }
            }
            return Optional.empty();
        } finally {
            core.stop();
        }
    }

    /** Hears the core's routing decisions and outcomes. */
    private static final class Recorder implements DialObserver {
        private record Routed(DialRequest request, ClusterSnapshot snapshot, Route route) {
        }

        private final List<Routed> routes = new CopyOnWriteArrayList<>();
        private final Map<DialRequest, Integer> outcomes = new HashMap<>();

        @Override
        public void onRouted(DialRequest request, ClusterSnapshot snapshot, Route route, int attempt) {
            routes.add(new Routed(request, snapshot, route));
        }

        @Override
        public synchronized void onOutcome(DialOutcome outcome, long nanosSinceDial) {
            outcomes.merge(outcome.request(), 1, Integer::sum);
        }

        synchronized int outcomes(DialRequest request) {
            return outcomes.getOrDefault(request, 0);
        }

        synchronized Map<DialRequest, Integer> allOutcomes() {
            return new HashMap<>(outcomes);
        }
    }

    private static final class Run {
        private final ClusterCase cluster;
        private final Core core;
        private final InMemoryTransport transport;
        private final ManualScheduler clock;
        private final ReferenceModel model;
        private final Recorder recorder;
        private final List<Step> steps;
        private final List<NodeId> ids = new ArrayList<>();
        private final List<DialRequest> issued = new ArrayList<>();

        Run(ClusterCase cluster, Core core, InMemoryTransport transport, ManualScheduler clock, ReferenceModel model, Recorder recorder,
            List<Step> steps) {
            this.cluster = cluster;
            this.core = core;
            this.transport = transport;
            this.clock = clock;
            this.model = model;
            this.recorder = recorder;
            this.steps = steps;
            cluster.topology().nodes().forEach(node -> ids.add(node.id()));
        }

        Optional<String> step(int index, Action action, String where) {
            if (action instanceof Action.Dial || action instanceof Action.Engage || action instanceof Action.Faulty) {
                return dial(index, action, where);
            }
            ClusterSnapshot before = core.snapshot();
            if (action instanceof Action.Down down) {
                transport.setReachable(ClusterCase.dbid(down.node()), down.role(), false);
                model.down(down.node(), down.role());
            } else if (action instanceof Action.Up up) {
                transport.setReachable(ClusterCase.dbid(up.node()), up.role(), true);
                clock.advance(RECONNECT);
                model.up(up.node(), up.role());
            } else {
                clock.advance(RECONNECT);
            }
            steps.add(Step.link(index, action, before));
            return Optional.empty();
        }

        private Optional<String> dial(int index, Action action, String where) {
            DialRequest request = PolicyDriver.request(cluster, action, index);
            TransportFault fault = action instanceof Action.Faulty faulty ? faulty.fault() : null;
            ReferenceModel.Expectation expected = fault == null ? model.dial(request.group()) : model.dial(request.group(), fault);
            if (fault != null) {
                transport.scriptNextSends(switch (fault) {
                    case NOT_WRITTEN -> List.of(InMemoryTransport.NextSend.GONE_BEFORE_WRITE);
                    case NOT_WRITTEN_TWICE -> List.of(InMemoryTransport.NextSend.GONE_BEFORE_WRITE, InMemoryTransport.NextSend.GONE_BEFORE_WRITE);
                    case STAGE_FAILS -> List.of(InMemoryTransport.NextSend.FAIL_STAGE);
                    default -> List.of(InMemoryTransport.NextSend.AWAIT_REPLY);
                });
            }
            recorder.routes.clear();
            issued.add(request);
            AtomicInteger completions = new AtomicInteger();
            CompletableFuture<DialOutcome> outcome = core.dial(request).toCompletableFuture();
            outcome.whenComplete((result, error) -> completions.incrementAndGet());
            transport.clearScript();
            Optional<InMemoryTransport.PendingRequest> pending = transport.pending().stream()
                    .filter(waiting -> waiting.sent().request().equals(request)).findFirst();
            if (pending.isPresent()) {
                InMemoryTransport.SentRequest sent = pending.get().sent();
                if (fault == TransportFault.LOST_AFTER_WRITE) {
                    transport.setReachable(sent.node(), sent.role(), false);
                } else {
                    clock.advance(PAST_TIMEOUT);
                    if (fault == TransportFault.LATE_REPLY) {
                        pending.get().accept();
                    }
                }
            }
            if (!outcome.isDone()) {
                return Optional.of(where + ": the request has no outcome" + (fault == null ? " at once" : " after " + fault.description()));
            }
            if (outcome.isCompletedExceptionally()) {
                return Optional.of(where + ": the outcome completed exceptionally: " + outcome.handle((result, error) -> error).join());
            }
            DialOutcome result = outcome.join();
            recordSteps(index, action, request, result);
            String actual = ReferenceModel.describe(result, ids);
            long copies = transport.sent().stream().filter(sent -> sent.request().equals(request)).count();
            int routes = routesOf(request);
            if (copies > 1) {
                return Optional.of(where + ": " + actual + ", but the servers received it " + copies + " times: sent twice");
            }
            if (completions.get() != 1 || recorder.outcomes(request) != 1) {
                return Optional.of(where + ": the request has " + Math.max(completions.get(), recorder.outcomes(request))
                        + " outcomes (its future completed " + completions.get() + " times, observers heard " + recorder.outcomes(request)
                        + "); exactly one was expected");
            }
            if (routes != expected.routes()) {
                return Optional.of(where + ": routed " + routes + " times, the model expects " + expected.routes()
                        + " (a request is routed once more only when its first link was gone before the write)");
            }
            if (copies != expected.sends()) {
                return Optional.of(where + ": " + actual + ", and the servers received it " + copies + " times; the model expects "
                        + expected.sends() + (result instanceof DialOutcome.Held ? " (held, so never sent)" : ""));
            }
            if (!actual.equals(expected.toString())) {
                return Optional.of(where + ": the model expects the request " + expected + ", but it was " + actual);
            }
            return Optional.empty();
        }

        private int routesOf(DialRequest request) {
            int routes = 0;
            for (Recorder.Routed routed : recorder.routes) {
                if (routed.request().equals(request)) {
                    routes++;
                }
            }
            return routes;
        }

        /** One step per routing decision, on its own snapshot; a request the core never routed makes one failed step. */
        private void recordSteps(int index, Action action, DialRequest request, DialOutcome result) {
            List<Recorder.Routed> routes = new ArrayList<>(recorder.routes);
            if (routes.isEmpty()) {
                steps.add(new Step(index, action, core.snapshot(), request.group(), -1, null, null,
                        "not routed: " + ReferenceModel.describe(result, ids)));
                return;
            }
            for (int i = 0; i < routes.size(); i++) {
                Recorder.Routed routed = routes.get(i);
                ClusterSnapshot snapshot = routed.snapshot();
                if (routed.route() instanceof Route.Hold hold) {
                    steps.add(new Step(index, action, snapshot, request.group(), -1, null, hold.reason(), null));
                    continue;
                }
                NodeId node = ((Route.To) routed.route()).node();
                String failure = i < routes.size() - 1 ? "not written" : result instanceof DialOutcome.Failed failed
                        ? "failed " + failed.reason() : null;
                steps.add(new Step(index, action, snapshot, request.group(), snapshot.topology().indexOf(node),
                        snapshot.servingLink(node).orElse(null), null, failure));
            }
        }

        /** No request has ever been received twice, and none has more than one outcome (a late reply must not make one). */
        Optional<String> everyRequestOnceOnly(String where) {
            Map<DialRequest, Long> received = new HashMap<>();
            for (InMemoryTransport.SentRequest sent : transport.sent()) {
                if (received.merge(sent.request(), 1L, Long::sum) > 1) {
                    return Optional.of(where + ": the request of step " + sent.request().userData().get("step")
                            + " has now been received twice: sent twice");
                }
            }
            for (Map.Entry<DialRequest, Integer> outcomes : recorder.allOutcomes().entrySet()) {
                if (outcomes.getValue() != 1) {
                    return Optional.of(where + ": the request of step " + outcomes.getKey().userData().get("step") + " now has "
                            + outcomes.getValue() + " outcomes; exactly one was expected");
                }
            }
            return Optional.empty();
        }

        Optional<String> compare(String where) {
            ClusterSnapshot snapshot = core.snapshot();
            for (int node = 0; node < model.nodeCount(); node++) {
                var status = snapshot.status(node);
                boolean backupUp = model.hasBackup(node) && model.isUp(node, LinkRole.BACKUP);
                if (status.primaryUp() != model.isUp(node, LinkRole.PRIMARY) || status.backupUp() != backupUp
                        || !status.serving().equals(Optional.ofNullable(model.serving(node)))) {
                    return Optional.of(where + ": node #" + node + " is " + status + " in the snapshot, the model says primary "
                            + (model.isUp(node, LinkRole.PRIMARY) ? "up" : "down") + ", backup " + (backupUp ? "up" : "down")
                            + ", serving " + model.serving(node));
                }
            }
            return Optional.empty();
        }
    }

    /** Every connected application publishes a DN event; only the prime's serving link's may arrive. */
    private static Optional<String> dnEventsFromPrime(ClusterCase cluster, InMemoryTransport transport, ReferenceModel model,
                                                      List<TelephonyEvent> delivered, String where) {
        delivered.clear();
        for (NodeSpec node : cluster.topology().nodes()) {
            for (LinkRole role : LinkRole.values()) {
                transport.emit(node.id(), role, TelephonyEvent.Scope.DN, "EventRinging", DN);
            }
        }
        NodeId prime = ClusterCase.dbid(cluster.prime());
        LinkRole serving = model.serving(cluster.prime());
        List<TelephonyEvent> wrong = new ArrayList<>();
        for (TelephonyEvent event : delivered) {
            if (!event.node().equals(prime) || event.via() != serving) {
                wrong.add(event);
            }
        }
        if (!wrong.isEmpty()) {
            return Optional.of(where + ": DN-level events reached the listeners from " + wrong.get(0).node() + " " + wrong.get(0).via()
                    + "; only the prime " + prime + " via its serving link " + serving + " may deliver them");
        }
        if (serving != null && delivered.size() != 1) {
            return Optional.of(where + ": the prime's serving link published one DN event, the listeners got " + delivered.size());
        }
        return Optional.empty();
    }
}
