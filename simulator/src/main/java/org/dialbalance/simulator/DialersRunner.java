package org.dialbalance.simulator;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.CoordinationStatus;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.simcluster.LoopbackRelay;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;

/**
 * Runs a scenario with several dialers ({@code scenario.dialers}): starts a real ZooKeeper inside this process
 * (curator-test's {@code TestingServer}, 300 ms ticks, so sessions of 0.6 to 6 s are honoured as asked), one balancer
 * per dialer, configured alike ({@code coordination = zookeeper}) but for its {@code dialer-id} and
 * {@code preferred-groups}, over the one simulated cluster, each reaching ZooKeeper through a {@link LoopbackRelay} of
 * its own. The workload issues every request to every live dialer (a copy each, with the dialer's id as the user data
 * {@value #DIALER}): the owner of its campaign group dials it, the others hold it with {@code NOT_OWNER}.
 *
 * <p>{@code kill-dialer} crashes a dialer, as a process that dies does: its link to ZooKeeper is severed (its session
 * is not closed, its znodes are not deleted; ZooKeeper expires the session after the session timeout, and only then
 * may another dialer take its groups), the workload issues it nothing more, and the balancer is then stopped, which
 * ends its links to the servers. Requests it had in flight are awaited first, so every request has its outcome.
 */
final class DialersRunner {

    /** The user-data key that names the dialer a request was issued to, so the servers' records show who sent it. */
    static final String DIALER = "DIALBALANCE_DIALER";

    /** ZooKeeper's tick in the simulator: sessions of 2 to 20 ticks, 0.6 to 6 s. */
    private static final int TICK_MILLIS = 300;

    private final Progress progress;
    private final BooleanSupplier stopRequested;

    DialersRunner(Progress progress, BooleanSupplier stopRequested) {
        this.progress = progress;
        this.stopRequested = stopRequested;
    }

    /** One dialer of the run. */
    private static final class Dialer {
        final String id;
        final List<String> preferred;
        final LoopbackRelay link;
        final DialBalancer balancer;
        final CompletableFuture<Void> dialing = new CompletableFuture<>();
        volatile boolean dead;
        Thread stopping;

        /** Ownership changes are recorded with {@code System.nanoTime()}; the result counts from the workload's start. */
        Dialer(Scenario.Dialer spec, LoopbackRelay link, BalancerConfig config, List<DialersResult.OwnershipChange> ownership) {
            this.id = spec.id();
            this.preferred = spec.preferredGroups();
            this.link = link;
            this.balancer = DialBalancer.builder(config).listener(new ClusterListener() {
                @Override
                public void onClusterEvent(ClusterEvent event) {
                    if (event instanceof ClusterEvent.DialingResumed) {
                        dialing.complete(null);
                    } else if (event instanceof ClusterEvent.OwnershipChanged changed) {
                        ownership.add(new DialersResult.OwnershipChange(System.nanoTime(), id, changed.campaignGroup(),
                                changed.owned(), changed.fencingToken(), changed.detail()));
                    }
                }
            }).build();
        }

        List<String> owned() {
            return balancer.health().coordination().map(CoordinationStatus::owned).map(map -> List.copyOf(map.keySet()))
                    .orElse(List.of());
        }
    }

    DialersResult run(Scenario scenario, ClusterUnderTest cluster) throws InterruptedException {
        Config production = SimulationRunner.withNodeOptions(SimulationRunner.withNodes(scenario.production(), cluster.nodeSpecs()),
                scenario.nodes());
        List<DialersResult.OwnershipChange> ownership = new CopyOnWriteArrayList<>();
        List<DialersResult.Kill> kills = new ArrayList<>();
        List<RequestRecord> records = new ArrayList<>();
        AtomicLong start = new AtomicLong(System.nanoTime());
        List<Dialer> dialers = new ArrayList<>();
        BalancerConfig first = null;
        try (TestingServer zooKeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, 1, TICK_MILLIS, -1), true)) {
            try {
                for (Scenario.Dialer spec : scenario.dialers()) {
                    LoopbackRelay link = new LoopbackRelay(zooKeeper.getPort());
                    BalancerConfig config;
                    try {
                        config = BalancerConfig.fromConfig(dialerConfig(production, spec, link.connectString()));
                    } catch (RuntimeException e) {
                        link.close();
                        throw e;
                    }
                    if (first == null) {
                        SimulationRunner.checkMix(scenario, config, List.of());
                        first = config;
                    }
                    dialers.add(new Dialer(spec, link, config, ownership));
                }
                Duration session = sessionTimeout(first);
                dialers.forEach(dialer -> dialer.balancer.start());
                awaitSettled(dialers, first, cluster);
                start.set(System.nanoTime());
                long workload = workload(scenario, first, dialers, records, kills, start.get());
                long from = start.get();
                List<DialersResult.OwnershipChange> changes = ownership.stream().map(change -> new DialersResult.OwnershipChange(
                        change.nanos() - from, change.dialer(), change.group(), change.owned(), change.token(), change.detail())).toList();
                return new DialersResult(scenario, first, dialers.stream().map(dialer -> dialer.id).toList(), session, records,
                        cluster.received(), changes, kills, workload, stopRequested.getAsBoolean());
            } finally {
                for (Dialer dialer : dialers) {
                    if (!dialer.dead) {
                        dialer.balancer.stop();
                    } else if (dialer.stopping != null) {
                        dialer.stopping.join(TimeUnit.SECONDS.toMillis(30));
                    }
                    dialer.link.close();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the embedded ZooKeeper did not start: " + e.getMessage(), e);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the embedded ZooKeeper did not stop: " + e.getMessage(), e);
        }
    }

    /** The production block with this dialer's ZooKeeper options: the link's connect string, its id, its preferred groups. */
    static Config dialerConfig(Config production, Scenario.Dialer dialer, String connectString) {
        String options = "dialbalance.coordination-options.zookeeper.";
        return production.withValue(options + "connect-string", ConfigValueFactory.fromAnyRef(connectString))
                .withValue(options + "dialer-id", ConfigValueFactory.fromAnyRef(dialer.id()))
                .withValue(options + "preferred-groups", ConfigValueFactory.fromIterable(dialer.preferredGroups()));
    }

    /** The session timeout the dialers asked for: a number of seconds or a duration with its unit, as the coordinator reads it. */
    static Duration sessionTimeout(BalancerConfig config) {
        String value = config.allCoordinationOptions().getOrDefault("zookeeper", Map.of()).getOrDefault("session-timeout", "10").trim();
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        return com.typesafe.config.ConfigFactory.empty().withValue("t", ConfigValueFactory.fromAnyRef(value)).getDuration("t");
    }

    /**
     * Every dialer dialing, its links up, and every campaign group owned by exactly one dialer — one that prefers it, if
     * any does (bounded; reported).
     */
    private void awaitSettled(List<Dialer> dialers, BalancerConfig config, ClusterUnderTest cluster) throws InterruptedException {
        Duration bound = SimulationRunner.observeBound(config).plusSeconds(20);
        long deadline = System.nanoTime() + bound.toNanos();
        for (Dialer dialer : dialers) {
            try {
                dialer.dialing.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("dialer " + dialer.id + ": the prime node " + config.topology().prime()
                        + " did not come up within " + bound.toSeconds() + " s; is the cluster listening?", e);
            }
        }
        List<String> groups = config.campaignGroups().stream().map(CampaignGroup::name).toList();
        while (!settled(dialers, groups, cluster)) {
            if (System.nanoTime() > deadline) {
                progress.note("not every link came up, or not every campaign group found its one owner, within "
                        + bound.toSeconds() + " s; starting anyway");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private static boolean settled(List<Dialer> dialers, List<String> groups, ClusterUnderTest cluster) {
        List<String> owned = new ArrayList<>();
        for (Dialer dialer : dialers) {
            if (!SimulationRunner.mismatch(dialer.balancer.snapshot(), cluster).isEmpty()) {
                return false;
            }
            List<String> mine = dialer.owned();
            for (String group : mine) {
                if (!dialer.preferred.contains(group) && dialers.stream().anyMatch(other -> other.preferred.contains(group))) {
                    return false;    // a dialer that prefers it has not taken it yet
                }
            }
            owned.addAll(mine);
        }
        return owned.size() == groups.size() && owned.containsAll(groups);
    }

    /** Issues the workload, playing the kill-dialer lines in the stream; returns how long it ran. */
    private long workload(Scenario scenario, BalancerConfig config, List<Dialer> dialers, List<RequestRecord> records,
                          List<DialersResult.Kill> kills, long startNanos) throws InterruptedException {
        List<CampaignGroup> mix = SimulationRunner.weightedMix(scenario, config);
        SplittableRandom random = new SplittableRandom(scenario.seed());
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        AtomicInteger held = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        String[] faultState = {"none"};
        List<Fault> faults = scenario.faults();
        int total = scenario.requests();
        long period = 1_000_000_000L / scenario.rate();
        long paceFrom = startNanos;
        int paceIndex = 0;
        int nextFault = 0;
        Duration grace = config.requestTimeout().plusSeconds(5);
        for (int i = 0; i <= total && !stopRequested.getAsBoolean(); i++) {
            while (nextFault < faults.size() && faults.get(nextFault).atRequest(total) <= i) {
                Fault fault = faults.get(nextFault++);
                SimulationRunner.awaitOutcomes(inFlight, grace);    // what the dialer had in flight ends before it dies
                DialersResult.Kill kill = kill(fault, dialers, i, startNanos);
                kills.add(kill);
                faultState[0] = kill.refusal() == null ? fault.stateText() : fault.stateText() + " (not applied)";
                if (kill.refusal() != null) {
                    progress.note("fault '" + fault.text() + "': " + kill.refusal());
                }
                paceFrom = System.nanoTime();
                paceIndex = i;
            }
            if (i == total) {
                break;
            }
            long due = paceFrom + (i - paceIndex) * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            CampaignGroup group = mix.get(random.nextInt(mix.size()));
            boolean engaging = group.mode().isSeizing() && random.nextDouble() < scenario.engagingShare();
            for (Dialer dialer : dialers) {
                if (dialer.dead) {
                    continue;
                }
                int id = records.size();
                DialRequest request = SimulationRunner.request(group, engaging, id, Map.of(DIALER, dialer.id));
                RequestRecord record = new RequestRecord(id, group, engaging, System.nanoTime() - startNanos, dialer.id);
                records.add(record);
                inFlight.add(dialer.balancer.dial(request).toCompletableFuture().whenComplete((outcome, error) -> {
                    record.complete(outcome, System.nanoTime() - startNanos);
                    if (outcome instanceof DialOutcome.Held h && !h.reason().equals(HoldReason.NOT_OWNER)) {
                        held.incrementAndGet();
                    } else if (outcome instanceof DialOutcome.Failed) {
                        failed.incrementAndGet();
                    }
                }));
            }
            if (i % 250 == 0) {
                progress.update(i, total, System.nanoTime() - startNanos, held.get(), failed.get(), faultState[0]);
            }
        }
        long workloadNanos = System.nanoTime() - startNanos;
        int missing = SimulationRunner.awaitOutcomes(inFlight, grace);
        if (missing > 0) {
            progress.note(missing + " requests had no outcome " + grace.toMillis() + " ms after the last was issued");
        }
        progress.update(total, total, workloadNanos, held.get(), failed.get(), faultState[0]);
        progress.finish();
        return workloadNanos;
    }

    /**
     * Crashes the dialer a {@code kill-dialer} line names: severs its link to ZooKeeper, issues it nothing more, and
     * stops its balancer in the background (its links to the servers end; its coordinator cannot reach ZooKeeper to
     * give anything up). Refused, with why, when the dialer is already dead or no live dialer owns the named group.
     */
    private static DialersResult.Kill kill(Fault fault, List<Dialer> dialers, int beforeRequest, long startNanos) {
        Dialer victim = null;
        String refusal = null;
        if (fault.dialer().startsWith("owner-of")) {
            String group = fault.dialer().substring("owner-of ".length());
            for (Dialer dialer : dialers) {
                if (!dialer.dead && dialer.owned().contains(group)) {
                    victim = dialer;
                }
            }
            if (victim == null) {
                refusal = "no live dialer owns campaign group '" + group + "' now";
            }
        } else {
            victim = dialers.get(Integer.parseInt(fault.dialer()) - 1);
            if (victim.dead) {
                refusal = "dialer " + victim.id + " is dead already";
                victim = null;
            }
        }
        if (victim == null) {
            return new DialersResult.Kill(fault, beforeRequest, System.nanoTime() - startNanos, "", List.of(), refusal);
        }
        List<String> owned = victim.owned();
        long nanos = System.nanoTime() - startNanos;
        victim.link.cut();
        victim.dead = true;
        DialBalancer balancer = victim.balancer;
        victim.stopping = new Thread(balancer::stop, "dialbalance-simulator-crash-" + victim.id);
        victim.stopping.setDaemon(true);
        victim.stopping.start();
        return new DialersResult.Kill(fault, beforeRequest, nanos, victim.id, owned, null);
    }
}
