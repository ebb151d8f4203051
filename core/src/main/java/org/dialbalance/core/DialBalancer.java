package org.dialbalance.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialObserver;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.coordination.CoordinationHost;
import org.dialbalance.api.coordination.SharedConfigurationResult;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.transport.Transport;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Balances outbound dialing over the nodes of a SIP cluster, as the outbound server does: round-robin
 * over active nodes for regular campaign groups, one dialer node per seizing (ASM) group, primary/backup
 * failover per node, and all dialing held while the prime node is down.
 *
 * <p>Without Guice: {@code DialBalancer.builder(config).build()} or {@link #fromFile(Path)}; with Guice:
 * install {@link DialBalancerModule}. Then {@link #start()}, {@link #dial(DialRequest)} from any thread,
 * and {@link #stop()}, after which no thread of the balancer is left.
 *
 * <p>Every {@code dial} completes with exactly one {@link DialOutcome}; a request is never sent twice.
 *
 * <p>Threads: {@code dial} never blocks. Listeners and dial-outcome callbacks run on the balancer's or the
 * transport's threads (see {@link ClusterListener}), never under the balancer's lock. {@link #stop()} may be
 * called from such a callback: it then does at once everything that needs no waiting (new requests fail
 * with {@code NOT_RUNNING}, reconnecting stops, every link is closed) and leaves the rest, waiting for the
 * threads to end, to a short-lived thread of its own, since one of those threads is the caller's;
 * {@link #terminated()} completes when that is done. Called from any other thread, {@code stop()} returns
 * only when every thread of the balancer has ended.
 */
public final class DialBalancer implements AutoCloseable {

    /** Where a balancer is in its life. */
    public enum State {
        /** Built, not started: nothing is connected and {@code dial} fails with {@code NOT_RUNNING}. */
        NEW,
        /** Connecting and dialing. */
        RUNNING,
        /** Stopped for good: links closed, threads ended. */
        STOPPED
    }

    private static final Logger LOG = LoggerFactory.getLogger(DialBalancer.class);

    /** {@link #reconfigure} applies at most one reload per this interval (one second); a faster one is refused. */
    public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);

    private volatile BalancerConfig config;
    private volatile Plugins plugins;
    private final ClassLoader pluginLoader;
    private final Map<String, BalancingPolicyProvider> codePolicies;
    private final Object reconfiguring = new Object();
    private volatile long configurationVersion = 1;
    private long lastReloadNanos;
    private boolean reloaded;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final ListenerBus bus = new ListenerBus();
    private final ClusterConnections connections;
    private final Dispatcher dispatcher;
    private final Coordination coordination;
    private final Object lifecycle = new Object();
    private State state = State.NEW;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    DialBalancer(BalancerConfig config, Plugins plugins, Optional<Scheduler> scheduler, Set<DialObserver> observers,
                 ClassLoader pluginLoader, Map<String, BalancingPolicyProvider> codePolicies) {
        this.coordination = Coordination.resolve(config, pluginLoader);      // first: its problems fail the build before any thread starts
        this.config = config;
        this.plugins = plugins;
        this.pluginLoader = pluginLoader;
        this.codePolicies = Map.copyOf(codePolicies);
        this.ownsScheduler = scheduler.isEmpty();
        this.scheduler = scheduler.orElseGet(() -> new ExecutorScheduler("dialbalance-scheduler-" + config.applicationName()));
        plugins.host().bindClock(this.scheduler);
        this.connections = new ClusterConnections(config, plugins, this.scheduler, bus);
        this.dispatcher = new Dispatcher(connections, plugins, this.scheduler, config.requestTimeout(), List.copyOf(observers));
        dispatcher.coordinate(coordination.ownership());
    }

    /** Starts building a balancer for a configuration. */
    public static Builder builder(BalancerConfig config) {
        return new Builder(config);
    }

    /**
     * Reads a HOCON configuration file and builds a balancer from it, with the plugins found by
     * {@link java.util.ServiceLoader}.
     *
     * @throws ConfigException listing every problem of the file, plugin names included
     */
    public static DialBalancer fromFile(Path file) {
        List<ConfigProblem> problems = check(file);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return builder(BalancerConfig.load(file)).build();
    }

    /**
     * Checks a configuration file completely without connecting anywhere: its options, the plugins it
     * names, and their own options.
     *
     * @return every problem found; empty if the file would start
     */
    public static List<ConfigProblem> check(Path file) {
        HoconConfigReader.Result read = HoconConfigReader.read(file);
        List<ConfigProblem> problems = read.problems();
        if (problems.stream().anyMatch(problem -> problem.option().equals("file") || problem.option().equals("dialbalance"))) {
            return problems;    // no options to speak of
        }
        if (problems.isEmpty()) {
            try {
                Plugins plugins = Plugins.resolve(read.builder().build(), DialBalancerModule.defaultLoader(), Map.of(),
                        Optional.empty());
                if (plugins.ownsTransport()) {
                    plugins.transport().close();
                }
                return read.builder().coordinationProblems(DialBalancerModule.defaultLoader());
            } catch (ConfigException e) {
                return e.problems();
            }
        }
        // Too broken to build: still every problem, the plugins' included. A plugin name is checked against the
        // plugins only (one problem, naming those that exist), not also for its form.
        List<ConfigProblem> all = new ArrayList<>(read.builder().problems(false));
        all.addAll(Plugins.problems(read.builder().selection(), DialBalancerModule.defaultLoader()));
        all.addAll(read.builder().coordinationProblems(DialBalancerModule.defaultLoader()));
        return all;
    }

    /**
     * Connects to every node (primary and backup links) and starts accepting requests. Returns at once;
     * links come up in the background and {@link org.dialbalance.api.ClusterEvent}s report them.
     *
     * @throws IllegalStateException if already started or stopped
     */
    public void start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("the balancer is " + state + "; a balancer starts once");
            }
            state = State.RUNNING;
            dispatcher.open();
        }
        connections.start();
        coordination.start(connections, bus, coordinationHost());
    }

    /**
     * Stops for good: new requests fail with {@code NOT_RUNNING}, links close (requests awaiting replies
     * fail with {@code LINK_LOST_AFTER_WRITE}), and every thread the balancer started ends. Idempotent.
     *
     * <p>Called from a host thread, it returns when every thread of the balancer has ended. Called from a
     * listener or a dial-outcome callback (which run on the balancer's threads), it never waits for itself:
     * it refuses new requests, stops reconnecting and closes every link before it returns, and the threads
     * end shortly after the callback returns; {@link #terminated()} says when.
     */
    public void stop() {
        boolean first;
        synchronized (lifecycle) {
            first = state != State.STOPPED;
            state = State.STOPPED;
            if (first) {
                dispatcher.close();
            }
        }
        boolean inCallback = LibraryThreads.inCallback();
        if (!first) {
            if (!inCallback) {
                terminated.join();      // a stop begun elsewhere (perhaps in a callback) may still be ending
            }
            return;
        }
        coordination.close();      // first: this dialer's groups pass to the others now that it dials nothing more
        connections.stop();
        if (!plugins.ownsTransport() && !ownsScheduler) {
            terminated.complete(null);
        } else if (inCallback) {
            LOG.info("stop() called from a callback on a thread of the balancer: links are closed and new requests"
                    + " refused; its threads end once the callback returns");
            Thread finisher = new Thread(this::endThreads, "dialbalance-stop-" + config.applicationName());
            finisher.setDaemon(true);
            finisher.start();
        } else {
            endThreads();
        }
    }

    /** Closes the transport and the scheduler if they are the balancer's own, waiting for their threads. */
    private void endThreads() {
        try {
            if (plugins.ownsTransport()) {
                plugins.transport().close();
            }
            if (ownsScheduler) {
                scheduler.close();
            }
        } finally {
            terminated.complete(null);
        }
    }

    /**
     * Completes when {@link #stop()} has finished: every link closed and every thread of the balancer ended.
     * Already complete when {@code stop()} returns on a host thread; later when it was called from a callback.
     */
    public CompletionStage<Void> terminated() {
        return terminated.copy();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** The current state. */
    public State state() {
        synchronized (lifecycle) {
            return state;
        }
    }

    /**
     * Routes and sends one request. Never throws for a valid request and never blocks: the stage
     * completes with exactly one {@link DialOutcome}, at the latest after {@code request-timeout}.
     */
    public CompletionStage<DialOutcome> dial(DialRequest request) {
        Objects.requireNonNull(request, "request");
        CompletableFuture<DialOutcome> outcome = dispatcher.dial(request).toCompletableFuture();
        if (outcome.isDone()) {
            return outcome;     // completed on the caller's thread: the host's callbacks run there
        }
        // completed later on a thread of the balancer or its transport: mark it, so stop() there does not wait for itself
        CompletableFuture<DialOutcome> forHost = new CompletableFuture<>();
        outcome.whenComplete((value, error) -> {
            LibraryThreads.enter();
            try {
                if (error != null) {
                    forHost.completeExceptionally(error);
                } else {
                    forHost.complete(value);
                }
            } finally {
                LibraryThreads.exit();
            }
        });
        return forHost;
    }

    /** The newest snapshot of the cluster. */
    public ClusterSnapshot snapshot() {
        return connections.snapshot();
    }

    /**
     * The health of the balancer now, for operators and readiness probes: {@code DOWN} when it is not running or
     * the prime node has no link up, {@code DEGRADED} when a node is inactive, has a configured link down or is
     * draining, {@code UP} otherwise; each with its reason, and every node's links, last link errors, requests
     * awaiting replies, calls in progress and drain. See {@link ClusterHealth}. Cheap enough to call on every
     * probe (one short hold of the balancer's lock); never blocks on I/O. Callable in any state.
     */
    public ClusterHealth health() {
        State now = state();
        return coordination.health(connections.health(now == State.RUNNING ? null : now == State.NEW
                ? "the balancer is not started (state NEW): nothing is dialed"
                : "the balancer is stopped: nothing is dialed"));
    }

    /**
     * Calls in progress on a node: dialed ({@code Dialed} outcome) and not yet released (no EventReleased with
     * their ConnID from that node yet), at most {@code max-calls-in-progress}. A lock-free, allocation-free read.
     *
     * @throws IllegalArgumentException if the node is not configured
     */
    public int callsInProgress(NodeId node) {
        return connections.callsInProgress(node);
    }

    /**
     * Drains a node: takes it out of the rotation without cutting anything short. When this method returns, a new
     * snapshot shows the node draining, and policies see it as inactive ({@link ClusterSnapshot#isActive}), so no
     * request dialed from then on is routed to it; round-robin goes on fairly over the other active nodes, and a
     * seizing group whose dialer node it is is held with {@code DIALER_NODE_DOWN}. Requests already awaiting a
     * reply from it and calls already in progress on it go on. {@code ClusterEvent.DrainStarted} is published,
     * then {@code DrainFinished} once no request awaits a reply from it and no call is in progress on it (at once
     * if nothing is). A node whose links both go down forgets its calls in progress (their EventReleased cannot
     * reach this client any more), which can finish its drain. The node stays out of the rotation, drained, until
     * {@link #enable(NodeId)}.
     *
     * <p>A request routed on a snapshot taken just before the drain began may still be sent to the node while it
     * drains; the drain then waits for it too. Once the drain has finished nothing more is written to the node.
     *
     * <p>Idempotent (draining a draining node does nothing), thread-safe, callable in any state.
     *
     * @throws IllegalArgumentException if the node is not configured, or is the prime node: the prime carries the
     *                                  DN-level events and cannot be drained until another prime is configured
     */
    public void drain(NodeId node) {
        connections.drain(node);
    }

    /**
     * Puts a draining or drained node back into the rotation: when this method returns, a new snapshot shows it
     * not draining (active again whenever one of its links is up), and {@code ClusterEvent.NodeEnabled} is
     * published; round-robin uses it again from its next round. A drain that had not finished ends without
     * {@code DrainFinished}. Idempotent (a node that is not draining is left as it is, with no event),
     * thread-safe, callable in any state.
     *
     * @throws IllegalArgumentException if the node is not configured
     */
    public void enable(NodeId node) {
        connections.enable(node);
    }

    /**
     * Monitors a DN: registers it on the prime node's serving link now (if there is one) and after every
     * change of that link, so its DN-level events reach the listeners.
     */
    public void monitor(String dn) {
        Objects.requireNonNull(dn, "dn");
        if (dn.isBlank()) {
            throw new IllegalArgumentException("a DN must not be blank");
        }
        connections.monitor(dn);
    }

    /**
     * Adds a listener for cluster and telephony events. Listeners are called one event at a time, in the
     * order of the changes (cluster events in snapshot-version order), never under the balancer's lock:
     * a slow listener delays later events, not the cluster's state. A listener that throws is logged.
     */
    public void addListener(ClusterListener listener) {
        bus.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener. */
    public void removeListener(ClusterListener listener) {
        bus.remove(listener);
    }

    /** The configuration this balancer runs with now: the one it was built with, or the last one reconfigured. */
    public BalancerConfig config() {
        return config;
    }

    /** The version of the configuration it runs with: 1 as built, one more per applied {@link #reconfigure}. */
    public long configurationVersion() {
        return configurationVersion;
    }

    /**
     * Reads a configuration file and {@link #reconfigure(BalancerConfig) reconfigures} with it: for "the same file,
     * changed" on an operator's request. A file with problems is refused with every one of them.
     */
    public ReconfigureResult reconfigure(Path file) {
        Objects.requireNonNull(file, "file");
        HoconConfigReader.Result read = HoconConfigReader.read(file);
        if (!read.problems().isEmpty()) {
            return new ReconfigureResult.Refused(read.problems());
        }
        BalancerConfig next;
        try {
            next = read.builder().build();
        } catch (ConfigException e) {
            return new ReconfigureResult.Refused(e.problems());
        }
        return reconfigure(next);
    }

    /**
     * Changes the configuration of a running balancer, all or nothing. First everything is checked — the new
     * configuration's policies are resolved and created, and each change must be one a running balancer can make
     * (see {@link ConfigDiff.Change#live()}) — and any problem refuses the whole reload with every problem found. Then
     * the changes are applied in one step with respect to routing (no request is routed with one configuration's
     * snapshot and the other's policies):
     * <ul>
     *   <li>nodes kept with the same endpoints keep their links (no reconnect);</li>
     *   <li>a removed node drains: no new request goes to it, requests awaiting its replies and calls in progress on
     *       it finish ({@code DrainStarted}, {@code DrainFinished}), then its links close; a node whose endpoints
     *       changed is removed and added (its old links drain, new ones connect);</li>
     *   <li>added nodes connect, and are used once a link is up;</li>
     *   <li>a request already routed or written is never cancelled or sent again: one routed to a node that has just
     *       left finds it gone before anything is written and is routed once more, as for a lost link;</li>
     *   <li>round-robin goes on after the node it chose last (or, if that node left, after the nearest node before it
     *       that remains);</li>
     *   <li>a new prime takes the DN registrations and is the only source of DN-level events from then on;</li>
     *   <li>a changed {@code sip-cluster-lb-mode}, {@code asm-policy}, {@code policy-options},
     *       {@code sip-cluster-asm-dial-node} or campaign group applies from the next request routed;</li>
     *   <li>a changed {@code reconnect-timeout} applies to the next retry scheduled.</li>
     * </ul>
     * {@code ClusterEvent.ConfigurationApplied} is published with the new {@link #configurationVersion()}.
     *
     * <p>Refused as well: a reload within {@link #RELOAD_INTERVAL one second} of the last applied one (at most one per
     * second), a draining node as the new prime, a node change with a registry that cannot change its topology, and a
     * stopped balancer. A configuration equivalent to the running one is {@code Applied} with an empty diff and changes
     * nothing (no event, same version). Thread-safe: reloads are applied one at a time.
     *
     * @return {@link ReconfigureResult.Applied} or {@link ReconfigureResult.Refused}; never throws for a valid argument
     */
    public ReconfigureResult reconfigure(BalancerConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig");
        synchronized (reconfiguring) {
            BalancerConfig current = config;
            ConfigDiff diff = ConfigDiff.between(current, newConfig);
            if (state() == State.STOPPED) {
                return new ReconfigureResult.Refused(List.of(new ConfigProblem("reconfigure", "(stopped balancer)",
                        "a running or new balancer; this one is stopped")));
            }
            if (diff.isEmpty()) {
                return new ReconfigureResult.Applied(configurationVersion, diff);
            }
            List<ConfigProblem> problems = new ArrayList<>();
            long now = scheduler.nanoTime();
            long waitNanos = reloadWaitNanos(now);
            if (waitNanos > 0) {
                long waitMillis = Math.max(1, (waitNanos + 999_999) / 1_000_000);
                problems.add(new ConfigProblem("reconfigure", "a reload " + (now - lastReloadNanos) / 1_000_000
                        + " ms after the last applied one", "at most one reload per second; try again in " + waitMillis + " ms"));
            }
            for (ConfigDiff.Change change : diff.restartRequired()) {
                problems.add(new ConfigProblem(change.option(), change.description(),
                        "a change a running balancer can make; this option takes effect only at start: restart the balancer"
                                + " to change it"));
            }
            NodeId newPrime = newConfig.topology().prime();
            if (snapshot().isDraining(newPrime)) {
                problems.add(new ConfigProblem("sip-cluster-prime-node", newPrime.toString(), "a node that is not draining:"
                        + " the prime carries the DN-level events; enable node " + newPrime + " first"));
            }
            Plugins next = null;
            try {
                next = plugins.reconfigured(current, newConfig, pluginLoader, codePolicies);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
            if (!problems.isEmpty()) {
                LOG.warn("Reconfiguration refused, nothing applied: {}", problems);
                return new ReconfigureResult.Refused(problems);
            }
            long version = configurationVersion + 1;
            Plugins installed = next;
            try {
                connections.reconfigure(current, newConfig, installed.host(), () -> {
                    dispatcher.install(installed);
                    plugins = installed;
                    config = newConfig;
                    configurationVersion = version;
                }, version, diff.summary());
            } catch (UnsupportedOperationException e) {
                return new ReconfigureResult.Refused(List.of(new ConfigProblem("node-registry", current.nodeRegistry(),
                        "a registry that can change its topology (NodeRegistry.replaceTopology) to change the nodes or the"
                                + " prime; this one cannot: " + e.getMessage())));
            }
            if (!current.campaignGroups().equals(newConfig.campaignGroups())) {
                coordination.campaignGroupsChanged(newConfig.campaignGroups());
            }
            lastReloadNanos = now;
            reloaded = true;
            LOG.info("Configuration v{} applied: {}", version, diff.summary());
            return new ReconfigureResult.Applied(version, diff);
        }
    }

    /** How long until the rate limit allows a reload at {@code now}: 0 if it does now. Call holding {@code reconfiguring}. */
    private long reloadWaitNanos(long now) {
        long since = now - lastReloadNanos;
        return reloaded && since < RELOAD_INTERVAL.toNanos() ? RELOAD_INTERVAL.toNanos() - since : 0;
    }

    /**
     * Applies a cluster configuration shared by several dialers (see {@link CoordinationHost#applySharedConfiguration}):
     * merged with this dialer's own options by {@link SharedConfiguration}, then {@link #reconfigure(BalancerConfig)}.
     * A change that the rate limit does not allow yet is answered {@code TooSoon} rather than refused, so that the
     * coordinator can offer it (or a newer one) again.
     */
    SharedConfigurationResult applySharedConfiguration(String hocon) {
        Objects.requireNonNull(hocon, "hocon");
        synchronized (reconfiguring) {
            ConfigResult<BalancerConfig> merged = SharedConfiguration.merge(hocon, config);
            if (merged instanceof ConfigResult.Invalid<BalancerConfig> invalid) {
                LOG.warn("Shared cluster configuration refused, nothing applied: {}", invalid.problems());
                return new SharedConfigurationResult.Refused(invalid.problems());
            }
            BalancerConfig next = ((ConfigResult.Valid<BalancerConfig>) merged).value();
            if (!ConfigDiff.between(config, next).isEmpty() && state() != State.STOPPED) {
                long waitNanos = reloadWaitNanos(scheduler.nanoTime());
                if (waitNanos > 0) {
                    return new SharedConfigurationResult.TooSoon(Duration.ofNanos(waitNanos));
                }
            }
            ReconfigureResult result = reconfigure(next);
            if (result instanceof ReconfigureResult.Applied applied) {
                return new SharedConfigurationResult.Applied(applied.configurationVersion(), applied.diff().summary());
            }
            return new SharedConfigurationResult.Refused(((ReconfigureResult.Refused) result).problems());
        }
    }

    /** What the coordinator may ask of this balancer. */
    private CoordinationHost coordinationHost() {
        return new CoordinationHost() {
            @Override
            public ClusterHealth health() {
                return DialBalancer.this.health();
            }

            @Override
            public void addListener(ClusterListener listener) {
                DialBalancer.this.addListener(listener);
            }

            @Override
            public void removeListener(ClusterListener listener) {
                DialBalancer.this.removeListener(listener);
            }

            @Override
            public long configurationVersion() {
                return DialBalancer.this.configurationVersion();
            }

            @Override
            public SharedConfigurationResult applySharedConfiguration(String hocon) {
                return DialBalancer.this.applySharedConfiguration(hocon);
            }
        };
    }

    /** Builds a {@link DialBalancer}; see {@link DialBalancer#builder(BalancerConfig)}. */
    public static final class Builder {
        private final BalancerConfig config;
        private final Map<String, BalancingPolicyProvider> policies = new LinkedHashMap<>();
        private final List<ClusterListener> listeners = new ArrayList<>();
        private final List<DialObserver> observers = new ArrayList<>();
        private Transport transport;
        private Scheduler scheduler;
        private ClassLoader pluginLoader = DialBalancerModule.defaultLoader();

        private Builder(BalancerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Adds a policy in code; it replaces a discovered policy of the same name. */
        public Builder policy(BalancingPolicyProvider provider) {
            policies.put(provider.name(), provider);
            return this;
        }

        /** Uses this transport instead of the configured one; the caller owns it and closes it. */
        public Builder transport(Transport value) {
            this.transport = Objects.requireNonNull(value, "transport");
            return this;
        }

        /** Uses this scheduler instead of a thread of the balancer's own; the caller owns it. */
        public Builder scheduler(Scheduler value) {
            this.scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /** Looks plugins up in this class loader instead of the thread's context class loader. */
        public Builder pluginLoader(ClassLoader value) {
            this.pluginLoader = Objects.requireNonNull(value, "pluginLoader");
            return this;
        }

        /** Adds a listener before the balancer starts, so no event is missed. */
        public Builder listener(ClusterListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds an observer of every routing decision and outcome (metrics, tracing); see {@link DialObserver}. */
        public Builder observer(DialObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /**
         * Resolves the plugins and builds the balancer (not started).
         *
         * @throws ConfigException listing every problem: unknown plugin names, invalid plugin options
         */
        public DialBalancer build() {
            Injector injector;
            try {
                injector = Guice.createInjector(Stage.PRODUCTION, new DialBalancerModule(config, pluginLoader), binder -> {
                    binder.requireExplicitBindings();
                    binder.disableCircularProxies();
                    if (transport != null) {
                        DialBalancerModule.transportBinder(binder).setBinding().toInstance(transport);
                    }
                    if (scheduler != null) {
                        DialBalancerModule.schedulerBinder(binder).setBinding().toInstance(scheduler);
                    }
                    observers.forEach(observer -> DialBalancerModule.observerBinder(binder).addBinding().toInstance(observer));
                    policies.forEach((name, provider) ->
                            DialBalancerModule.policyBinder(binder).addBinding(name).toInstance(provider));
                });
            } catch (CreationException e) {
                throw configProblemOr(e, e.getErrorMessages());
            } catch (ProvisionException e) {
                throw configProblemOr(e, e.getErrorMessages());
            }
            DialBalancer balancer = injector.getInstance(DialBalancer.class);
            listeners.forEach(balancer::addListener);
            return balancer;
        }

        private static RuntimeException configProblemOr(RuntimeException guiceError, Iterable<Message> messages) {
            for (Message message : messages) {
                for (Throwable cause = message.getCause(); cause != null; cause = cause.getCause()) {
                    if (cause instanceof ConfigException configException) {
                        return configException;
                    }
                }
            }
            return guiceError;
        }
    }
}
