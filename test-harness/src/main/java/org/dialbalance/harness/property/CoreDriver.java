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

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterHealth;
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
import org.dialbalance.core.ReconfigureResult;
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
 * fails.
 *
 * <p>Operations: {@link Action.Drain}, {@link Action.Enable} and {@link Action.Reconfigure} act on the core as an
 * operator would; {@link Action.InFlight} leaves a request awaiting its reply across later steps, {@link Action.Answer}
 * answers them, {@link Action.Release} sends the EventReleased of a node's calls. After every step, besides the checks
 * above: the snapshot's nodes, prime and drains, and (in a case with operations) each configured node's requests
 * awaiting replies, calls in progress and finished drain (from {@code health()}) agree with the model; the configuration version is the model's
 * (one more per applied reload); the operator events of the step (DrainStarted, DrainFinished, NodeEnabled,
 * ConfigurationApplied) are the model's — so DrainFinished comes exactly when a draining node has nothing in progress;
 * a drain or reload is refused exactly when the model refuses it, a reload for the same reasons; each request in
 * flight ends when and as the model says, once; and no request is routed or sent to a node that was draining, removed
 * or not configured when it was dialed. Every run is bounded: at most {@link #MAX_ACTIONS} actions, and the manual clock fails a run whose
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

        /** Its health now ({@code DialBalancer.health()}): each node's requests awaiting replies, calls in progress, drain. */
        ClusterHealth health();

        /** Drains a node; throws {@link IllegalArgumentException} when refused (the prime, a node not configured). */
        void drain(NodeId node);

        /** Enables a node; throws {@link IllegalArgumentException} when refused (a node not configured). */
        void enable(NodeId node);

        /** Reloads a configuration. */
        ReconfigureResult reconfigure(BalancerConfig config);

        /** The configuration version. */
        long configurationVersion();

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
        return of(balancer);
    };

    /** A {@link Core} that is a {@link DialBalancer} (built and started by the caller, e.g. with a policy of its own). */
    public static Core of(DialBalancer balancer) {
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
            public ClusterHealth health() {
                return balancer.health();
            }

            @Override
            public void drain(NodeId node) {
                balancer.drain(node);
            }

            @Override
            public void enable(NodeId node) {
                balancer.enable(node);
            }

            @Override
            public ReconfigureResult reconfigure(BalancerConfig config) {
                return balancer.reconfigure(config);
            }

            @Override
            public long configurationVersion() {
                return balancer.configurationVersion();
            }

            @Override
            public void stop() {
                balancer.stop();
            }
        };
    }

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
        ReferenceModel.Configuration initial = cluster.configuration(ConfigVariant.BASE, RECONNECT);
        InMemoryTransport transport = new InMemoryTransport();
        ManualScheduler clock = new ManualScheduler();
        List<TelephonyEvent> delivered = new CopyOnWriteArrayList<>();
        List<String> operatorEvents = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder();
        Core core = factory.start(config(cluster, lbMode, initial), transport, clock, new ClusterListener() {
            @Override
            public void onClusterEvent(ClusterEvent event) {
                operatorEvent(event).ifPresent(operatorEvents::add);
            }

            @Override
            public void onTelephonyEvent(TelephonyEvent event) {
                delivered.add(event);
            }
        }, recorder);
        ReferenceModel model = new ReferenceModel(cluster.universeBackups(), lbMode != null, cluster.universe(), initial, REQUEST_TIMEOUT);
        Run run = new Run(cluster, lbMode, core, transport, clock, model, recorder, steps, operatorEvents);
        try {
            Optional<String> initialViolation = run.compare("after start");
            if (initialViolation.isPresent()) {
                return initialViolation;
            }
            for (int index = 0; index < cluster.actions().size(); index++) {
                Action action = cluster.actions().get(index);
                String where = "at step " + (index + 1) + " (" + action + ")";
                Optional<String> violation = run.step(index, action, where);
                if (violation.isEmpty()) {
                    violation = run.everyRequestOnceOnly(where);
                }
                if (violation.isEmpty()) {
                    violation = run.compare(where);
                }
                if (violation.isEmpty()) {
                    violation = run.operatorEvents(where);
                }
                if (violation.isEmpty()) {
                    violation = run.inFlightOutcomes(where);
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

    /**
     * The balancer configuration of a case in one of its {@link ConfigVariant}s: the case's nodes (and groups) as the
     * variant has them, the driver's timeouts and monitored DN; an invalid variant carries its bad option.
     *
     * @param lbMode the policy for regular groups, or {@code null}
     */
    public static BalancerConfig config(ClusterCase cluster, String lbMode, ReferenceModel.Configuration configuration) {
        boolean badPolicy = "sip-cluster-lb-mode".equals(configuration.refusal());
        boolean restartOnly = "request-timeout".equals(configuration.refusal());
        BalancerConfig.Builder config = BalancerConfig.builder().primeNode(ClusterCase.dbid(configuration.prime()))
                .lbMode(badPolicy ? "round-robbin" : lbMode).reconnectTimeout(configuration.reconnectTimeout())
                .requestTimeout(restartOnly ? REQUEST_TIMEOUT.plusSeconds(2) : REQUEST_TIMEOUT).monitorDn(DN);
        configuration.nodes().forEach(node -> config.node(cluster.spec(node)));
        configuration.groups().forEach(config::campaignGroup);
        return config.build();
    }

    /** The operator's events, in the words of {@link ReferenceModel#takeEvents()}. */
    private static Optional<String> operatorEvent(ClusterEvent event) {
        if (event instanceof ClusterEvent.DrainStarted started) {
            return Optional.of("DrainStarted " + started.node());
        }
        if (event instanceof ClusterEvent.DrainFinished finished) {
            return Optional.of("DrainFinished " + finished.node());
        }
        if (event instanceof ClusterEvent.NodeEnabled enabled) {
            return Optional.of("NodeEnabled " + enabled.node());
        }
        if (event instanceof ClusterEvent.ConfigurationApplied applied) {
            return Optional.of("ConfigurationApplied v" + applied.configurationVersion());
        }
        return Optional.empty();
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
        private final String lbMode;
        private final Core core;
        private final InMemoryTransport transport;
        private final ManualScheduler clock;
        private final ReferenceModel model;
        private final Recorder recorder;
        private final List<Step> steps;
        private final List<String> operatorEvents;
        private final List<NodeId> ids;
        private final List<DialRequest> issued = new ArrayList<>();
        /** Requests still in flight or ended in flight, by step: their outcome, and how often it completed. */
        private final Map<Integer, CompletableFuture<DialOutcome>> inFlight = new HashMap<>();
        private final Map<Integer, AtomicInteger> inFlightCompletions = new HashMap<>();
        /** The ConnID of every dialed call, by the step of its request. */
        private final Map<Integer, String> connIds = new HashMap<>();
        /** Whether the case has operations (drain, enable, reload, requests in flight, answers, releases). */
        private final boolean operated;
        /** Nodes out of the rotation (draining or not configured), with the step since which (-1: from the start). */
        private final Map<Integer, Integer> outSince = new HashMap<>();

        Run(ClusterCase cluster, String lbMode, Core core, InMemoryTransport transport, ManualScheduler clock, ReferenceModel model,
            Recorder recorder, List<Step> steps, List<String> operatorEvents) {
            this.cluster = cluster;
            this.lbMode = lbMode;
            this.core = core;
            this.transport = transport;
            this.clock = clock;
            this.model = model;
            this.recorder = recorder;
            this.steps = steps;
            this.operatorEvents = operatorEvents;
            this.ids = cluster.universe();
            this.operated = cluster.actions().stream().anyMatch(action -> action instanceof Action.Drain || action instanceof Action.Enable
                    || action instanceof Action.Reconfigure || action instanceof Action.InFlight || action instanceof Action.Answer
                    || action instanceof Action.Release);
            noteOut(-1);
        }

        /** Records which nodes are out of the rotation from this step on. */
        private void noteOut(int index) {
            for (int node = 0; node < ids.size(); node++) {
                if (!model.isConfigured(node) || model.isDraining(node)) {
                    outSince.putIfAbsent(node, index);
                } else {
                    outSince.remove(node);
                }
            }
        }

        private void advance(Duration duration) {
            clock.advance(duration);
            model.advance(duration);
        }

        Optional<String> step(int index, Action action, String where) {
            if (action instanceof Action.Dial || action instanceof Action.Engage || action instanceof Action.Faulty
                    || action instanceof Action.InFlight) {
                return dial(index, action, where);
            }
            ClusterSnapshot before = core.snapshot();
            Optional<String> violation = Optional.empty();
            if (action instanceof Action.Down down) {
                transport.setReachable(ClusterCase.dbid(down.node()), down.role(), false);
                model.down(down.node(), down.role());
            } else if (action instanceof Action.Up up) {
                transport.setReachable(ClusterCase.dbid(up.node()), up.role(), true);
                model.up(up.node(), up.role());
                advance(RECONNECT);
            } else if (action instanceof Action.Tick) {
                advance(RECONNECT);
            } else if (action instanceof Action.Drain drain) {
                violation = operate(where, "drain", model.drain(drain.node()), () -> core.drain(ClusterCase.dbid(drain.node())));
            } else if (action instanceof Action.Enable enable) {
                violation = operate(where, "enable", model.enable(enable.node()), () -> core.enable(ClusterCase.dbid(enable.node())));
            } else if (action instanceof Action.Reconfigure reconfigure) {
                violation = reconfigure(reconfigure.variant(), where);
            } else if (action instanceof Action.Answer) {
                transport.pending().forEach(InMemoryTransport.PendingRequest::accept);
                model.answerAll();
            } else if (action instanceof Action.Release release) {
                for (int request : model.release(release.node())) {
                    for (LinkRole role : LinkRole.values()) {
                        transport.emit(new TelephonyEvent(ClusterCase.dbid(release.node()), role, TelephonyEvent.Scope.CALL,
                                "EventReleased", "", connIds.get(request), Map.of()));
                    }
                }
            }
            noteOut(index);
            steps.add(Step.link(index, action, before));
            return violation;
        }

        /** An operator's drain or enable: refused (IllegalArgumentException) exactly when the model refuses it. */
        private Optional<String> operate(String where, String what, String refusal, Runnable operation) {
            try {
                operation.run();
            } catch (IllegalArgumentException e) {
                return refusal != null ? Optional.empty()
                        : Optional.of(where + ": " + what + " was refused (" + e.getMessage() + "); the model accepts it");
            }
            return refusal == null ? Optional.empty()
                    : Optional.of(where + ": " + what + " was accepted; the model refuses it: " + refusal);
        }

        /** A reload: applied or refused as the model says, with the version it says, refused for the reasons it says. */
        private Optional<String> reconfigure(ConfigVariant variant, String where) {
            ReferenceModel.Configuration next = cluster.configuration(variant, RECONNECT);
            ReconfigureResult result = core.reconfigure(config(cluster, lbMode, next));
            ReferenceModel.Reload expected = model.reconfigure(next);
            if (result instanceof ReconfigureResult.Refused refused) {
                java.util.Set<String> options = new java.util.TreeSet<>();
                refused.problems().forEach(problem -> options.add(problem.option()));
                if (expected.applied()) {
                    return Optional.of(where + ": the reload was refused for " + refused.problems() + "; the model applies it (version "
                            + expected.version() + ")");
                }
                if (!options.equals(expected.refusedFor())) {
                    return Optional.of(where + ": the reload was refused for " + options + "; the model refuses it for "
                            + expected.refusedFor());
                }
                return Optional.empty();
            }
            long version = ((ReconfigureResult.Applied) result).configurationVersion();
            if (!expected.applied()) {
                return Optional.of(where + ": the reload was applied (version " + version + "); the model refuses it for "
                        + expected.refusedFor() + ", and a refused reload must change nothing");
            }
            if (version != expected.version()) {
                return Optional.of(where + ": the reload was applied as version " + version + "; the model expects version "
                        + expected.version() + " (one more per reload that changes something)");
            }
            return Optional.empty();
        }

        private Optional<String> dial(int index, Action action, String where) {
            int groupIndex = action instanceof Action.Dial dialAction ? dialAction.group() : action instanceof Action.Engage engage
                    ? engage.group() : action instanceof Action.Faulty faultyAction ? faultyAction.group() : ((Action.InFlight) action).group();
            DialRequest request = PolicyDriver.request(model.configuration().groups().get(groupIndex), action, index);
            TransportFault fault = action instanceof Action.Faulty faulty ? faulty.fault() : null;
            boolean staysInFlight = action instanceof Action.InFlight;
            Map<Integer, Integer> out = new HashMap<>(outSince);
            ReferenceModel.Expectation expected = staysInFlight ? model.dialInFlight(index, request.group())
                    : fault == null ? model.dial(request.group()) : model.dial(request.group(), fault);
            if (staysInFlight) {
                transport.scriptNextSends(List.of(InMemoryTransport.NextSend.AWAIT_REPLY));
            }
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
            Optional<String> toOut = routedOutOfTheRotation(request, out, where);
            if (toOut.isPresent()) {
                return toOut;
            }
            if (staysInFlight) {
                return inFlight(index, action, request, expected, outcome, completions, where);
            }
            Optional<InMemoryTransport.PendingRequest> pending = transport.pending().stream()
                    .filter(waiting -> waiting.sent().request().equals(request)).findFirst();
            if (pending.isPresent()) {
                InMemoryTransport.SentRequest sent = pending.get().sent();
                if (fault == TransportFault.LOST_AFTER_WRITE) {
                    transport.setReachable(sent.node(), sent.role(), false);
                } else {
                    advance(PAST_TIMEOUT);
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
            if (result instanceof DialOutcome.Dialed dialed) {
                connIds.put(index, dialed.connId());
            }
            model.settle(index, expected);
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

        /**
         * No request is routed, nor sent, to a node that was out of the rotation when it was dialed: draining since an
         * operator's drain, removed by a reload, or never configured.
         */
        private Optional<String> routedOutOfTheRotation(DialRequest request, Map<Integer, Integer> out, String where) {
            List<Integer> reached = new ArrayList<>();
            for (Recorder.Routed routed : recorder.routes) {
                if (routed.request().equals(request) && routed.route() instanceof Route.To to) {
                    reached.add(ids.indexOf(to.node()));
                }
            }
            for (InMemoryTransport.SentRequest sent : transport.sent()) {
                if (sent.request().equals(request)) {
                    reached.add(ids.indexOf(sent.node()));
                }
            }
            for (int node : reached) {
                if (out.containsKey(node)) {
                    int since = out.get(node);
                    String why = !model.isConfigured(node) && since < 0 ? "never configured"
                            : (since < 0 ? "out of the rotation from the start" : "out of the rotation since step " + (since + 1)
                            + " (" + cluster.actions().get(since) + ")");
                    return Optional.of(where + ": the request was routed to node #" + node + ", " + why
                            + ": no request may go to a node out of the rotation (drained, removed or not configured) once it is out");
                }
            }
            return Optional.empty();
        }

        /** A request that stays in flight: routed where the model says, written once, no outcome yet (unless held). */
        private Optional<String> inFlight(int index, Action action, DialRequest request, ReferenceModel.Expectation expected,
                                          CompletableFuture<DialOutcome> outcome, AtomicInteger completions, String where) {
            int routes = routesOf(request);
            if (!expected.dialed()) {
                if (!outcome.isDone()) {
                    return Optional.of(where + ": the model expects the request " + expected + " at once, but it has no outcome");
                }
                DialOutcome result = outcome.join();
                recordSteps(index, action, request, result);
                String actual = ReferenceModel.describe(result, ids);
                return actual.equals(expected.toString()) ? Optional.empty()
                        : Optional.of(where + ": the model expects the request " + expected + ", but it was " + actual);
            }
            recordSteps(index, action, request, null);
            inFlight.put(index, outcome);
            inFlightCompletions.put(index, completions);
            if (outcome.isDone()) {
                return Optional.of(where + ": the request should await its reply on node #" + expected.node() + ", but it ended "
                        + ReferenceModel.describe(outcome.join(), ids));
            }
            List<InMemoryTransport.PendingRequest> waiting = transport.pending().stream()
                    .filter(pending -> pending.sent().request().equals(request)).toList();
            if (routes != 1 || waiting.size() != 1 || !waiting.get(0).sent().node().equals(ids.get(expected.node()))
                    || waiting.get(0).sent().role() != expected.via()) {
                return Optional.of(where + ": the model expects the request written once on node #" + expected.node() + " via "
                        + expected.via() + "; it was routed " + routes + " times and awaits replies "
                        + waiting.stream().map(pending -> pending.sent().node() + " " + pending.sent().role()).toList());
            }
            return Optional.empty();
        }

        /**
         * The requests in flight end as the model says, each exactly once (its future and the observers), when it says
         * (an answer, its link closing, its request-timeout); the others are still waiting.
         */
        Optional<String> inFlightOutcomes(String where) {
            for (ReferenceModel.Completion completion : model.takeCompletions()) {
                CompletableFuture<DialOutcome> outcome = inFlight.get(completion.request());
                String which = "the request in flight of step " + (completion.request() + 1);
                if (!outcome.isDone()) {
                    return Optional.of(where + ": " + which + " should have ended " + completion.outcome() + ", but it is still waiting");
                }
                DialOutcome result = outcome.join();
                if (result instanceof DialOutcome.Dialed dialed) {
                    connIds.put(completion.request(), dialed.connId());
                }
                String actual = ReferenceModel.describe(result, ids);
                if (!actual.equals(completion.outcome())) {
                    return Optional.of(where + ": " + which + " ended " + actual + "; the model expects " + completion.outcome());
                }
                int completions = inFlightCompletions.get(completion.request()).get();
                int observed = recorder.outcomes(result.request());
                if (completions != 1 || observed != 1) {
                    return Optional.of(where + ": " + which + " has " + Math.max(completions, observed) + " outcomes (its future completed "
                            + completions + " times, observers heard " + observed + "); exactly one was expected");
                }
                inFlight.remove(completion.request());
            }
            for (int request : model.inFlight()) {
                CompletableFuture<DialOutcome> outcome = inFlight.get(request);
                if (outcome.isDone()) {
                    return Optional.of(where + ": the request in flight of step " + (request + 1) + " should still await its reply,"
                            + " but it ended " + ReferenceModel.describe(outcome.join(), ids));
                }
            }
            return Optional.empty();
        }

        /**
         * The operator's events of this step (DrainStarted, DrainFinished — once a draining node has nothing in progress —,
         * NodeEnabled, ConfigurationApplied with its version) are the model's: per node and for the configuration, in
         * order.
         */
        Optional<String> operatorEvents(String where) {
            List<String> actual = List.copyOf(operatorEvents);
            operatorEvents.clear();
            List<String> expected = model.takeEvents();
            if ((!actual.isEmpty() || !expected.isEmpty()) && !byTopic(actual).equals(byTopic(expected))) {
                return Optional.of(where + ": the operator events were " + actual + "; the model expects " + expected);
            }
            return Optional.empty();
        }

        private static Map<String, List<String>> byTopic(List<String> events) {
            Map<String, List<String>> topics = new HashMap<>();
            for (String event : events) {
                String topic = event.startsWith("ConfigurationApplied") ? "configuration" : event.substring(event.indexOf(' ') + 1);
                topics.computeIfAbsent(topic, ignored -> new ArrayList<>()).add(event);
            }
            return topics;
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
                        "not routed: " + (result == null ? "no outcome" : ReferenceModel.describe(result, ids))));
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
                String failure = i < routes.size() - 1 ? "not written" : result != null && result instanceof DialOutcome.Failed failed
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
                    return Optional.of(where + ": the request of step " + (Integer.parseInt(sent.request().userData().get("step")) + 1)
                            + " has now been received twice: sent twice");
                }
            }
            for (Map.Entry<DialRequest, Integer> outcomes : recorder.allOutcomes().entrySet()) {
                if (outcomes.getValue() != 1) {
                    return Optional.of(where + ": the request of step " + (Integer.parseInt(outcomes.getKey().userData().get("step")) + 1)
                            + " now has "
                            + outcomes.getValue() + " outcomes; exactly one was expected");
                }
            }
            return Optional.empty();
        }

        /**
         * The snapshot agrees with the model: the configured nodes in order, the prime, each node's links, serving link
         * and drain; the health agrees on each node's requests awaiting replies, calls in progress, drain finished; the
         * configuration version is the model's.
         */
        Optional<String> compare(String where) {
            ClusterSnapshot snapshot = core.snapshot();
            List<NodeId> configured = model.configuration().nodes().stream().map(ids::get).toList();
            List<NodeId> actual = snapshot.topology().nodes().stream().map(NodeSpec::id).toList();
            if (!actual.equals(configured) || !snapshot.prime().equals(ids.get(model.prime()))) {
                return Optional.of(where + ": the snapshot's nodes are " + actual + " with prime " + snapshot.prime() + "; the model says "
                        + configured + " with prime " + ids.get(model.prime()));
            }
            if (core.configurationVersion() != model.version()) {
                return Optional.of(where + ": the configuration version is " + core.configurationVersion() + "; the model says "
                        + model.version() + " (one more per applied reload, none for a refused one)");
            }
            // health() builds a report with its reasons: only for cases with operations, which are about loads and drains
            ClusterHealth health = operated ? core.health() : null;
            for (int node : model.configuration().nodes()) {
                NodeId id = ids.get(node);
                var status = snapshot.status(id);
                boolean backupUp = model.hasBackup(node) && model.isUp(node, LinkRole.BACKUP);
                if (status.primaryUp() != model.isUp(node, LinkRole.PRIMARY) || status.backupUp() != backupUp
                        || !status.serving().equals(Optional.ofNullable(model.serving(node)))) {
                    return Optional.of(where + ": node #" + node + " is " + status + " in the snapshot, the model says primary "
                            + (model.isUp(node, LinkRole.PRIMARY) ? "up" : "down") + ", backup " + (backupUp ? "up" : "down")
                            + ", serving " + model.serving(node));
                }
                if (snapshot.isDraining(id) != model.isDraining(node)) {
                    return Optional.of(where + ": node #" + node + " is " + (snapshot.isDraining(id) ? "" : "not ") + "draining in the"
                            + " snapshot; the model says " + (model.isDraining(node) ? "draining" : "not draining"));
                }
                if (health == null) {
                    continue;
                }
                ClusterHealth.NodeHealth load = health.node(id).orElse(null);
                int calls = model.configuredCallsInProgress(node);
                int awaiting = model.requestsAwaitingReply(node);
                if (load == null || load.callsInProgress() != calls || load.requestsAwaitingReply() != awaiting
                        || load.drained() != model.isDrained(node)) {
                    return Optional.of(where + ": node #" + node + "'s health is " + load + "; the model says " + awaiting
                            + " requests awaiting replies, " + calls + " calls in progress, " + (model.isDrained(node) ? "" : "not ")
                            + "drained");
                }
            }
            return Optional.empty();
        }
    }

    /** Every connected application publishes a DN event; only the prime's serving link's may arrive. */
    private static Optional<String> dnEventsFromPrime(ClusterCase cluster, InMemoryTransport transport, ReferenceModel model,
                                                      List<TelephonyEvent> delivered, String where) {
        delivered.clear();
        for (NodeId node : cluster.universe()) {
            for (LinkRole role : LinkRole.values()) {
                transport.emit(node, role, TelephonyEvent.Scope.DN, "EventRinging", DN);
            }
        }
        NodeId prime = ClusterCase.dbid(model.prime());
        LinkRole serving = model.serving(model.prime());
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
