package org.dialbalance.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialObserver;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.Route;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.core.ReconfigureResult;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;

/**
 * Runs one scenario: starts a balancer on the production configuration (endpoints of the cluster under
 * test filled in), issues the workload at a steady open-loop rate, plays the fault script in the chosen
 * {@link FaultMode}, and records everything needed to judge the run — above all every routing decision
 * with the exact snapshot it was made on, reported by the balancer through a {@link DialObserver}.
 *
 * <p>{@link #stop()} (Ctrl-C) ends the workload early: no new request is issued, those in flight get their
 * outcomes, and the result covers what ran.
 */
final class SimulationRunner {

    /** The user-data key that carries each request's id to the servers, so their records can be matched. */
    static final String REQUEST_ID = "DIALBALANCE_REQUEST_ID";

    private final Progress progress;
    private final BooleanSupplier stopRequested;
    private FaultMode faultMode = FaultMode.IN_STREAM;
    private org.dialbalance.metrics.micrometer.DialBalancerMetrics metrics;

    /**
     * @param progress      where progress goes
     * @param stopRequested set (by a Ctrl-C handler, say) to stop issuing requests; the run then finishes what is
     *                      in flight and returns what ran
     */
    SimulationRunner(Progress progress, BooleanSupplier stopRequested) {
        this.progress = progress;
        this.stopRequested = stopRequested;
    }

    /** Meters the run's balancer with these metrics ({@code --metrics-port}). */
    SimulationRunner metrics(org.dialbalance.metrics.micrometer.DialBalancerMetrics value) {
        this.metrics = value;
        return this;
    }

    SimulationResult run(Scenario scenario, ClusterUnderTest cluster) throws InterruptedException {
        faultMode = scenario.faultMode();
        BalancerConfig config = BalancerConfig.fromConfig(withNodeOptions(withNodes(scenario.production(), cluster.nodeSpecs()),
                scenario.nodes()));
        checkMix(scenario, config, reloadConfigs(scenario, cluster));
        List<CampaignGroup> mix = weightedMix(scenario, config);
        Reloads reloads = new Reloads(config);
        List<TimelineEntry> timeline = new CopyOnWriteArrayList<>();
        List<TelephonyEvent> dnEvents = new CopyOnWriteArrayList<>();
        AtomicLong start = new AtomicLong(System.nanoTime());
        CompletableFuture<Void> dialingEnabled = new CompletableFuture<>();
        ClusterListener recorder = new ClusterListener() {
            @Override
            public void onClusterEvent(ClusterEvent event) {
                timeline.add(new TimelineEntry(System.nanoTime() - start.get(), null, event));
                if (event instanceof ClusterEvent.DialingResumed) {
                    dialingEnabled.complete(null);
                } else if (event instanceof ClusterEvent.ConfigurationApplied applied) {
                    reloads.event(applied.configurationVersion()).complete(applied.snapshotVersion());
                }
            }

            @Override
            public void onTelephonyEvent(TelephonyEvent event) {
                if (event.scope() == TelephonyEvent.Scope.DN) {
                    dnEvents.add(event);
                }
            }
        };
        int total = scenario.requests();
        AtomicReferenceArray<RequestRecord> byId = new AtomicReferenceArray<>(total);
        ConcurrentLinkedQueue<Decision> decisions = new ConcurrentLinkedQueue<>();
        AtomicLong decisionSeq = new AtomicLong();
        DialObserver observer = new DialObserver() {
            @Override
            public void onRouted(DialRequest request, ClusterSnapshot snapshot, Route route, int attempt) {
                String id = request.userData().get(REQUEST_ID);
                if (id == null) {
                    return;
                }
                RequestRecord record = byId.get(Integer.parseInt(id));
                Decision decision = new Decision(decisionSeq.getAndIncrement(), record.id, attempt, snapshot, route);
                record.routed(decision);
                decisions.add(decision);
            }
        };
        List<RequestRecord> records = new ArrayList<>(total);
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<FaultRecord> faultRecords = new CopyOnWriteArrayList<>();
        List<LoadSample> loadSamples = new ArrayList<>();
        int sampleEvery = Math.max(1, scenario.requests() / 400);    // about 400 samples of calls in progress per node
        SplittableRandom random = new SplittableRandom(scenario.seed());
        String[] faultState = {"none"};
        long workloadNanos;
        long waitedNanos = 0;
        Thread faultThread = null;
        java.util.concurrent.atomic.AtomicBoolean workloadOver = new java.util.concurrent.atomic.AtomicBoolean();
        DialBalancer.Builder builder = DialBalancer.builder(config).listener(recorder).observer(observer);
        if (metrics != null) {
            metrics.install(builder);
        }
        try (DialBalancer balancer = builder.build()) {
            if (metrics != null) {
                metrics.bind(balancer);
            }
            balancer.start();
            long waitSeconds = Math.max(10, config.connectTimeout().toSeconds() * 2);
            try {
                dialingEnabled.get(waitSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the prime node " + config.topology().prime()
                        + " did not come up within " + waitSeconds + " s; is the cluster listening?", e);
            }
            awaitSettled(balancer, cluster, Duration.ofSeconds(waitSeconds));
            Duration observeWithin = observeBound(config);
            start.set(System.nanoTime());
            timeline.clear();
            long period = 1_000_000_000L / scenario.rate();
            List<Fault> faults = scenario.faults();
            Operator operator = new Operator(balancer, cluster, scenario.nodes(), reloads, decisionSeq, issued, observeWithin);
            if (faultMode == FaultMode.WALL_CLOCK && !faults.isEmpty()) {
                faultThread = startWallClockFaults(scenario, operator, start.get(), timeline, faultRecords, faultState, workloadOver);
            }
            long mixVersion = balancer.configurationVersion();
            int nextFault = 0;
            long paceFrom = start.get();
            int paceIndex = 0;
            for (int i = 0; i <= total && !stopRequested.getAsBoolean(); i++) {
                while (faultMode == FaultMode.IN_STREAM && nextFault < faults.size() && faults.get(nextFault).atRequest(total) <= i) {
                    Fault fault = faults.get(nextFault++);
                    long waitStart = System.nanoTime();
                    awaitOutcomes(inFlight, config.requestTimeout().plusSeconds(5));
                    Played played = play(fault, operator, start.get(), timeline, faultState);
                    long observed = played.refusal() != null ? -1 : awaitObserved(balancer, cluster, observeWithin, start.get());
                    faultRecords.add(new FaultRecord(fault, i, played.appliedNanos(), observed, played.refusal() != null
                            ? played.refusal() : observed < 0 ? mismatch(balancer.snapshot(), cluster) : operator.expectation(fault)));
                    if (played.refusal() != null) {
                        progress.note("fault '" + fault.text() + "': " + played.refusal());
                    } else if (observed < 0) {
                        progress.note("fault '" + fault.text() + "' was not observed by the balancer within "
                                + observeWithin.toMillis() + " ms (expected " + operator.expectation(fault) + ")");
                    }
                    waitedNanos += System.nanoTime() - waitStart;
                    paceFrom = System.nanoTime();    // no burst to catch up after a wait
                    paceIndex = i;
                }
                if (i == total) {
                    break;    // the last turn only plays faults placed at the very end
                }
                long due = paceFrom + (i - paceIndex) * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (balancer.configurationVersion() != mixVersion) {    // a reload: dial the groups as configured now
                    mixVersion = balancer.configurationVersion();
                    List<CampaignGroup> refreshed = weightedMix(scenario, balancer.config());
                    if (refreshed.isEmpty()) {
                        progress.note("configuration v" + mixVersion + " defines none of the workload's campaign groups;"
                                + " dialing on with those of the previous one");
                    } else {
                        mix = refreshed;
                    }
                }
                CampaignGroup group = mix.get(random.nextInt(mix.size()));
                boolean engaging = group.mode().isSeizing() && random.nextDouble() < scenario.engagingShare();
                DialRequest request = request(group, engaging, i);
                RequestRecord record = new RequestRecord(i, group, engaging, System.nanoTime() - start.get());
                byId.set(i, record);
                records.add(record);
                issued.incrementAndGet();
                CompletableFuture<DialOutcome> stage = balancer.dial(request).toCompletableFuture();
                inFlight.add(stage.whenComplete((outcome, error) -> {
                    record.complete(outcome, System.nanoTime() - start.get());
                    if (outcome instanceof DialOutcome.Held) {
                        held.incrementAndGet();
                    } else if (outcome instanceof DialOutcome.Failed) {
                        failed.incrementAndGet();
                    }
                }));
                if (i % 500 == 0) {
                    cluster.publishDnEvents();
                }
                if (i % sampleEvery == 0) {
                    loadSamples.add(sample(balancer, config, start.get()));
                }
                if (i % 250 == 0) {
                    progress.update(i, total, System.nanoTime() - start.get(), held.get(), failed.get(), faultState[0]);
                }
            }
            workloadNanos = System.nanoTime() - start.get();
            loadSamples.add(sample(balancer, config, start.get()));
            if (faultThread != null) {
                workloadOver.set(true);    // no fault starts after the workload; one applied is still awaited (bounded)
                faultThread.join(observeWithin.toMillis() + 5_000);
            }
            Duration grace = config.requestTimeout().plusSeconds(5);
            int missing = awaitOutcomes(inFlight, grace);
            if (missing > 0) {
                progress.note(missing + " requests had no outcome " + grace.toMillis() + " ms after the last was issued");
            }
            progress.update(records.size(), total, workloadNanos, held.get(), failed.get(), faultState[0]);
            progress.finish();
        }
        boolean interrupted = records.size() < total;
        List<Decision> ordered = new ArrayList<>(decisions);
        ordered.sort(Comparator.comparingLong(Decision::seq));
        String policy = config.lbMode().orElse("prime-only (no sip-cluster-lb-mode)");
        return new SimulationResult(scenario, config, policy, faultMode, List.copyOf(records), ordered, List.copyOf(timeline),
                List.copyOf(faultRecords), List.copyOf(dnEvents), cluster.received(), cluster.registrations(), workloadNanos,
                waitedNanos, interrupted, List.copyOf(loadSamples), reloads.epochs);
    }

    /**
     * Wall-clock mode: each fault fires at its share of the planned duration on a thread of its own, and
     * its observation is awaited there, so the workload never waits for it.
     */
    private Thread startWallClockFaults(Scenario scenario, Operator operator, long startNanos, List<TimelineEntry> timeline,
                                        List<FaultRecord> faultRecords, String[] faultState,
                                        java.util.concurrent.atomic.AtomicBoolean workloadOver) {
        DialBalancer balancer = operator.balancer;
        ClusterUnderTest cluster = operator.cluster;
        long plannedNanos = TimeUnit.SECONDS.toNanos(1) * scenario.requests() / scenario.rate();
        Thread thread = new Thread(() -> {
            List<Fault> faults = scenario.faults();
            for (int k = 0; k < faults.size(); k++) {
                Fault fault = faults.get(k);
                long due = startNanos + (long) (plannedNanos * fault.atPercent() / 100.0);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(10)));
                    if (workloadOver.get() || stopRequested.getAsBoolean()) {
                        return;
                    }
                }
                if (workloadOver.get()) {
                    return;
                }
                int before = operator.issued.get();
                Played played;
                try {
                    played = play(fault, operator, startNanos, timeline, faultState);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (played.refusal() != null) {
                    faultRecords.add(new FaultRecord(fault, before, played.appliedNanos(), -1, played.refusal()));
                    progress.note("fault '" + fault.text() + "': " + played.refusal());
                    continue;
                }
                // observed = the balancer showed this node's links as the fault left them before the next fault
                // fired (the schedule never waits for it), or within the bound after the last one
                long observeUntil = k + 1 < faults.size()
                        ? startNanos + (long) (plannedNanos * faults.get(k + 1).atPercent() / 100.0)
                        : System.nanoTime() + operator.observeWithin.toNanos();
                long observed = -1;
                while (observed < 0 && System.nanoTime() < observeUntil) {
                    if (mismatch(balancer.snapshot(), cluster, fault.node()).isEmpty()) {
                        observed = System.nanoTime() - startNanos;
                    } else {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                }
                faultRecords.add(new FaultRecord(fault, before, played.appliedNanos(), observed, observed < 0
                        ? mismatch(balancer.snapshot(), cluster, fault.node()) + (k + 1 < faults.size()
                        ? " when the next fault fired" : "") : operator.expectation(fault)));
            }
        }, "dialbalance-simulator-faults");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * One line of the script played.
     *
     * @param appliedNanos when, in nanoseconds since the workload started
     * @param refusal      why the balancer refused it (a reload), or {@code null}
     */
    private record Played(long appliedNanos, String refusal) {
    }

    /** Plays one line of the script, notes it on the timeline and in the progress line's fault state. */
    private static Played play(Fault fault, Operator operator, long startNanos, List<TimelineEntry> timeline, String[] faultState)
            throws InterruptedException {
        long applied = System.nanoTime() - startNanos;
        timeline.add(new TimelineEntry(applied, fault, null));
        String refusal = operator.apply(fault);
        faultState[0] = refusal == null ? fault.stateText() : fault.stateText() + " (refused)";
        return new Played(applied, refusal);
    }

    /** The configurations in force during the run, and the {@code ConfigurationApplied} event of each reload. */
    private static final class Reloads {
        final List<ConfigEpoch> epochs = new CopyOnWriteArrayList<>();
        private final Map<Long, CompletableFuture<Long>> snapshotVersions = new ConcurrentHashMap<>();

        Reloads(BalancerConfig initial) {
            epochs.add(ConfigEpoch.initial(initial));
        }

        /** Completed with the snapshot version of the {@code ConfigurationApplied} event of this configuration version. */
        CompletableFuture<Long> event(long configurationVersion) {
            return snapshotVersions.computeIfAbsent(configurationVersion, ignored -> new CompletableFuture<>());
        }
    }

    /** Applies the script's lines: operator actions on the balancer (drain, enable, reload) and faults of the cluster. */
    private static final class Operator {
        final DialBalancer balancer;
        final ClusterUnderTest cluster;
        final List<Scenario.SimulatedNode> simulated;
        final Reloads reloads;
        final AtomicLong decisions;
        final AtomicInteger issued;
        final Duration observeWithin;

        Operator(DialBalancer balancer, ClusterUnderTest cluster, List<Scenario.SimulatedNode> simulated, Reloads reloads,
                 AtomicLong decisions, AtomicInteger issued, Duration observeWithin) {
            this.balancer = balancer;
            this.cluster = cluster;
            this.simulated = simulated;
            this.reloads = reloads;
            this.decisions = decisions;
            this.issued = issued;
            this.observeWithin = observeWithin;
        }

        /** Applies one line; returns why the balancer refused it, or {@code null}. */
        String apply(Fault fault) throws InterruptedException {
            switch (fault.action()) {
                case DRAIN -> balancer.drain(fault.node());
                case ENABLE -> balancer.enable(fault.node());
                case RELOAD -> {
                    return reload(fault.file());
                }
                default -> cluster.apply(fault);
            }
            return null;
        }

        /**
         * {@code balancer.reconfigure(file)} with the file's {@code dialbalance} block, the cluster's endpoints filled in
         * (written to a temporary file, so the balancer reads a file as in production). An applied reload is a new
         * {@link ConfigEpoch} once its {@code ConfigurationApplied} event is seen: the configuration is in force when
         * {@code reconfigure} returns, and the workload dials the groups as configured from its next request.
         */
        private String reload(Path file) throws InterruptedException {
            Path rendered = null;
            ReconfigureResult result;
            long decisionsBefore;
            int firstRequestAfter;
            BalancerConfig before = balancer.config();
            try {
                Config production = withNodeOptions(withNodes(Scenario.reloadConfig(file), cluster.nodeSpecs()), simulated);
                rendered = Files.createTempFile("dialbalance-reload-", ".conf");
                Files.writeString(rendered, production.root().render(ConfigRenderOptions.concise()));
                decisionsBefore = decisions.get();
                result = balancer.reconfigure(rendered);
                firstRequestAfter = issued.get();
            } catch (IllegalArgumentException | IOException e) {
                return "reload refused: " + e.getMessage();
            } finally {
                deleteQuietly(rendered);
            }
            if (result instanceof ReconfigureResult.Refused refused) {
                return "reload refused by the balancer, nothing applied: " + refused.problems().stream()
                        .map(problem -> problem.message()).collect(java.util.stream.Collectors.joining("; "));
            }
            long version = ((ReconfigureResult.Applied) result).configurationVersion();
            if (version == reloads.epochs.get(reloads.epochs.size() - 1).configurationVersion()) {
                return null;    // the same configuration: nothing changed, nothing published
            }
            long snapshotVersion;
            try {
                snapshotVersion = reloads.event(version).get(observeWithin.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                snapshotVersion = Long.MAX_VALUE;    // not seen: only the order of requests and decisions places it
            }
            BalancerConfig after = balancer.config();
            reloads.epochs.add(new ConfigEpoch(version, after, snapshotVersion, !before.topology().equals(after.topology()),
                    decisionsBefore, firstRequestAfter));
            return null;
        }

        /** What the balancer is expected to show once a line took effect, for people. */
        String expectation(Fault fault) {
            if (fault.action() == Fault.Action.RELOAD) {
                return "configuration v" + balancer.configurationVersion() + " in force, every link as the cluster has it";
            }
            return SimulationRunner.expectation(cluster, fault.node());
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind in the temporary directory: nothing to do about it
        }
    }

    /** How long a fault may take to show in the balancer's snapshot: detection, reconnection and registration. */
    static Duration observeBound(BalancerConfig config) {
        return config.connectTimeout().plus(config.reconnectTimeout().multipliedBy(2)).plus(config.addpTimeout().multipliedBy(2))
                .plus(config.addpRemoteTimeout()).plusSeconds(10);
    }

    /** Waits until every request issued so far has its outcome; returns how many still had none at the deadline. */
    static int awaitOutcomes(List<CompletableFuture<?>> inFlight, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int missing = 0;
        for (CompletableFuture<?> stage : inFlight) {
            long left = deadline - System.nanoTime();
            try {
                stage.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // an outcome nonetheless: the record saw it
            } catch (TimeoutException e) {
                missing++;
            }
        }
        inFlight.clear();
        return missing;
    }

    /**
     * Waits until the balancer's snapshot shows every link as the cluster now is (up exactly when the
     * application is reachable).
     *
     * @return when that was first seen, in nanoseconds since {@code startNanos}, or -1 if not within the bound
     */
    private static long awaitObserved(DialBalancer balancer, ClusterUnderTest cluster, Duration bound, long startNanos)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!matches(balancer.snapshot(), cluster)) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return System.nanoTime() - startNanos;
    }

    private static boolean matches(ClusterSnapshot snapshot, ClusterUnderTest cluster) {
        return mismatch(snapshot, cluster).isEmpty();
    }

    /** The first node whose links the snapshot shows otherwise than the cluster is, for people; empty if none. */
    static String mismatch(ClusterSnapshot snapshot, ClusterUnderTest cluster) {
        return mismatch(snapshot, cluster, null);
    }

    /** As {@link #mismatch(ClusterSnapshot, ClusterUnderTest)}, for one node only when {@code only} is not null. */
    static String mismatch(ClusterSnapshot snapshot, ClusterUnderTest cluster, NodeId only) {
        for (NodeSpec node : snapshot.topology().nodes()) {
            if (only != null && !only.equals(node.id())) {
                continue;
            }
            NodeStatus status = snapshot.status(node.id());
            boolean primary = cluster.reachable(node.id(), LinkRole.PRIMARY);
            boolean backup = cluster.reachable(node.id(), LinkRole.BACKUP);
            if (status.primaryUp() != primary || status.backupUp() != backup) {
                return String.format(Locale.ROOT, "node %s: the balancer shows primary %s, backup %s; the cluster has primary %s, backup %s",
                        node.id(), upDown(status.primaryUp()), upDown(status.backupUp()), upDown(primary), upDown(backup));
            }
        }
        return "";
    }

    private static String upDown(boolean up) {
        return up ? "up" : "down";
    }

    private static String expectation(ClusterUnderTest cluster, NodeId node) {
        return String.format(Locale.ROOT, "node %s: primary %s, backup %s", node,
                cluster.reachable(node, LinkRole.PRIMARY) ? "up" : "down", cluster.reachable(node, LinkRole.BACKUP) ? "up" : "down");
    }

    /** Starts the workload on a settled cluster: every reachable link up (bounded wait; what stays down is reported). */
    private void awaitSettled(DialBalancer balancer, ClusterUnderTest cluster, Duration bound) throws InterruptedException {
        if (awaitObserved(balancer, cluster, bound, System.nanoTime()) < 0) {
            progress.note("not every link came up within " + bound.toSeconds() + " s; starting anyway with active nodes "
                    + balancer.snapshot().activeNodes());
        }
    }

    private static DialRequest request(CampaignGroup group, boolean engaging, int id) {
        return request(group, engaging, id, Map.of());
    }

    /** A request of the workload, with {@link #REQUEST_ID}, the campaign group and {@code extra} as user data. */
    static DialRequest request(CampaignGroup group, boolean engaging, int id, Map<String, String> extra) {
        Map<String, String> userData = new java.util.HashMap<>(extra);
        userData.put(REQUEST_ID, Integer.toString(id));
        userData.put("GSW_CAMPAIGN_GROUP", group.name());
        if (engaging) {
            return new DialRequest.EngagingCall(group, "7100", "8000", userData, Map.of());
        }
        return new DialRequest.PredictiveCall(group, "7000", String.format(Locale.ROOT, "555%07d", id), Duration.ofSeconds(25),
                userData, Map.of());
    }

    /**
     * The groups of the mix that this configuration defines, each repeated by its weight, so a uniform pick follows the
     * weights; every configured group once when the scenario gives no mix. Empty if it defines none of them.
     */
    static List<CampaignGroup> weightedMix(Scenario scenario, BalancerConfig config) {
        List<CampaignGroup> mix = new ArrayList<>();
        Map<String, Integer> weights = scenario.mix();
        if (weights.isEmpty()) {
            config.campaignGroups().forEach(mix::add);
        }
        weights.forEach((name, weight) -> config.campaignGroup(name).ifPresent(group -> {
            for (int i = 0; i < weight; i++) {
                mix.add(group);
            }
        }));
        return mix;
    }

    /**
     * Before the run: every group of the mix is defined by the starting configuration or by a reload's (a group only a
     * reload adds is dialed from then on), and the starting configuration gives the workload something to dial.
     */
    static void checkMix(Scenario scenario, BalancerConfig config, List<BalancerConfig> reloads) {
        for (String name : scenario.mix().keySet()) {
            if (config.campaignGroup(name).isEmpty() && reloads.stream().allMatch(reload -> reload.campaignGroup(name).isEmpty())) {
                throw new IllegalArgumentException("scenario.workload.mix names campaign group '" + name
                        + "', which dialbalance.campaign-groups does not define" + (reloads.isEmpty() ? "" : " (nor does any reload file)"));
            }
        }
        if (weightedMix(scenario, config).isEmpty()) {
            throw new IllegalArgumentException("the scenario has no campaign group to dial for at start: add dialbalance.campaign-groups"
                    + " or name one of them in scenario.workload.mix");
        }
    }

    /** The configuration of each reload line, on the cluster's endpoints: checked before the run starts. */
    private static List<BalancerConfig> reloadConfigs(Scenario scenario, ClusterUnderTest cluster) {
        List<BalancerConfig> configs = new ArrayList<>();
        for (Fault fault : scenario.faults()) {
            if (fault.action() == Fault.Action.RELOAD) {
                try {
                    configs.add(BalancerConfig.fromConfig(withNodeOptions(withNodes(Scenario.reloadConfig(fault.file()),
                            cluster.nodeSpecs()), scenario.nodes())));
                } catch (org.dialbalance.core.ConfigException e) {
                    throw new IllegalArgumentException("scenario.faults: '" + fault.text() + "' (" + fault.file() + "): "
                            + e.problems().stream().map(problem -> problem.message()).collect(java.util.stream.Collectors.joining("; ")), e);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("scenario.faults: '" + fault.text() + "' (" + fault.file() + "): "
                            + e.getMessage(), e);
                }
            }
        }
        return configs;
    }

    /**
     * Calls in progress and requests awaiting replies per node now, from the balancer's health, for the nodes of the
     * starting configuration in its order (a node a reload removed counts 0; one a reload added is not sampled), so
     * every sample lines up with {@link SimulationResult#config()}.
     */
    private static LoadSample sample(DialBalancer balancer, BalancerConfig starting, long startNanos) {
        org.dialbalance.api.ClusterHealth health = balancer.health();
        List<NodeSpec> nodes = starting.topology().nodes();
        int[] calls = new int[nodes.size()];
        int[] awaiting = new int[nodes.size()];
        for (int i = 0; i < calls.length; i++) {
            int index = i;
            health.node(nodes.get(i).id()).ifPresent(node -> {
                calls[index] = node.callsInProgress();
                awaiting[index] = node.requestsAwaitingReply();
            });
        }
        return new LoadSample(System.nanoTime() - startNanos, calls, awaiting);
    }

    /**
     * Adds the scenario's node {@code weight} and {@code max-calls} ({@code scenario.topology.nodes[]}) to the nodes
     * {@link #withNodes} filled in, by DBID.
     */
    static Config withNodeOptions(Config production, List<Scenario.SimulatedNode> simulated) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (com.typesafe.config.Config node : production.getConfigList("dialbalance.nodes")) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>(node.root().unwrapped());
            int dbid = node.getInt("dbid");
            simulated.stream().filter(option -> option.id().dbid() == dbid).findFirst().ifPresent(option -> {
                if (option.weight() > 0) {
                    entry.put("weight", option.weight());
                }
                if (option.maxCalls() > 0) {
                    entry.put("max-calls", option.maxCalls());
                }
            });
            list.add(entry);
        }
        return production.withValue("dialbalance.nodes", ConfigValueFactory.fromIterable(list));
    }

    /**
     * The production block with {@code nodes} set to the cluster's endpoints: of every node of the cluster, or, when the
     * block lists {@code nodes = [101, 102]} (DBIDs of the scenario's simulated nodes), of those, in that order — so a
     * scenario can start without a node that a {@code reload} adds later.
     *
     * @throws IllegalArgumentException naming a listed DBID the cluster does not have, or a list that is not of DBIDs
     */
    static Config withNodes(Config production, List<NodeSpec> nodes) {
        List<NodeSpec> chosen = nodes;
        if (production.hasPath("dialbalance.nodes")) {
            chosen = new ArrayList<>();
            for (Object listed : production.getList("dialbalance.nodes").unwrapped()) {
                if (!(listed instanceof Number dbid)) {
                    throw new IllegalArgumentException("dialbalance.nodes: expected DBIDs of the scenario's nodes, such as"
                            + " [101, 102] (the simulator fills in the endpoints), got " + listed);
                }
                chosen.add(nodes.stream().filter(node -> node.id().dbid() == dbid.intValue()).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("dialbalance.nodes: node " + dbid
                                + " is not one of the scenario's nodes " + nodes.stream().map(NodeSpec::id).toList())));
            }
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (NodeSpec node : chosen) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("dbid", node.id().dbid());
            entry.put("name", node.name());
            entry.put("primary", endpoint(node.primary()));
            node.backup().ifPresent(backup -> entry.put("backup", endpoint(backup)));
            list.add(entry);
        }
        return production.withValue("dialbalance.nodes", ConfigValueFactory.fromIterable(list));
    }

    private static Map<String, Object> endpoint(org.dialbalance.api.Endpoint endpoint) {
        return Map.of("host", endpoint.host(), "port", endpoint.port(), "port-kind", endpoint.kind().configName());
    }
}
