package org.dialbalance.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;

/**
 * Runs one scenario: starts a balancer on the production configuration (endpoints of the cluster under
 * test filled in), issues the workload at a steady open-loop rate, applies the fault script as the
 * workload passes each fault's percentage, and records everything needed to judge the run.
 */
final class SimulationRunner {

    /** The user-data key that carries each request's id to the servers, so their records can be matched. */
    static final String REQUEST_ID = "DIALBALANCE_REQUEST_ID";

    private final Progress progress;

    SimulationRunner(Progress progress) {
        this.progress = progress;
    }

    SimulationResult run(Scenario scenario, ClusterUnderTest cluster) throws InterruptedException {
        BalancerConfig config = BalancerConfig.fromConfig(withNodes(scenario.production(), cluster.nodeSpecs()));
        List<CampaignGroup> mix = weightedMix(scenario, config);
        List<TimelineEntry> timeline = new CopyOnWriteArrayList<>();
        List<TelephonyEvent> dnEvents = new CopyOnWriteArrayList<>();
        long[] start = {System.nanoTime()};
        CompletableFuture<Void> dialingEnabled = new CompletableFuture<>();
        ClusterListener recorder = new ClusterListener() {
            @Override
            public void onClusterEvent(ClusterEvent event) {
                timeline.add(new TimelineEntry(System.nanoTime() - start[0], null, event));
                if (event instanceof ClusterEvent.DialingResumed) {
                    dialingEnabled.complete(null);
                }
            }

            @Override
            public void onTelephonyEvent(TelephonyEvent event) {
                if (event.scope() == TelephonyEvent.Scope.DN) {
                    dnEvents.add(event);
                }
            }
        };
        List<RequestRecord> records = new ArrayList<>(scenario.requests());
        CountDownLatch outstanding = new CountDownLatch(scenario.requests());
        AtomicInteger held = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        SplittableRandom random = new SplittableRandom(scenario.seed());
        String faultState = "none";
        long workloadNanos;
        try (DialBalancer balancer = DialBalancer.builder(config).listener(recorder).build()) {
            balancer.start();
            long waitSeconds = Math.max(10, config.connectTimeout().toSeconds() * 2);
            try {
                dialingEnabled.get(waitSeconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the prime node " + config.topology().prime()
                        + " did not come up within " + waitSeconds + " s; is the cluster listening?", e);
            }
            awaitAllActive(balancer, waitSeconds);
            start[0] = System.nanoTime();
            timeline.clear();
            long period = 1_000_000_000L / scenario.rate();
            int nextFault = 0;
            List<Fault> faults = scenario.faults();
            for (int i = 0; i < scenario.requests(); i++) {
                while (nextFault < faults.size() && faults.get(nextFault).atRequest(scenario.requests()) <= i) {
                    Fault fault = faults.get(nextFault++);
                    timeline.add(new TimelineEntry(System.nanoTime() - start[0], fault, null));
                    cluster.apply(fault);
                    faultState = fault.stateText();
                }
                long due = start[0] + i * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                CampaignGroup group = mix.get(random.nextInt(mix.size()));
                boolean engaging = group.mode().isSeizing() && random.nextDouble() < scenario.engagingShare();
                DialRequest request = request(group, engaging, i);
                ClusterSnapshot before = balancer.snapshot();
                long issued = System.nanoTime() - start[0];
                var stage = balancer.dial(request);
                RequestRecord record = new RequestRecord(i, group, engaging, issued, before, balancer.snapshot().version());
                records.add(record);
                stage.whenComplete((outcome, error) -> {
                    record.complete(outcome, System.nanoTime() - start[0]);
                    if (outcome instanceof DialOutcome.Held) {
                        held.incrementAndGet();
                    } else if (outcome instanceof DialOutcome.Failed) {
                        failed.incrementAndGet();
                    }
                    outstanding.countDown();
                });
                if (i % 500 == 0) {
                    cluster.publishDnEvents();
                }
                if (i % 250 == 0) {
                    progress.update(i, scenario.requests(), System.nanoTime() - start[0], held.get(), failed.get(), faultState);
                }
            }
            workloadNanos = System.nanoTime() - start[0];
            long grace = config.requestTimeout().toMillis() + 5_000;
            if (!outstanding.await(grace, TimeUnit.MILLISECONDS)) {
                progress.note(outstanding.getCount() + " requests had no outcome " + grace + " ms after the last was issued");
            }
            progress.update(scenario.requests(), scenario.requests(), workloadNanos, held.get(), failed.get(), faultState);
            progress.finish();
        }
        String policy = config.lbMode().orElse("prime-only (no sip-cluster-lb-mode)");
        return new SimulationResult(scenario, config, policy, records, List.copyOf(timeline), List.copyOf(dnEvents),
                cluster.received(), cluster.registrations(), workloadNanos);
    }

    /** Starts the workload on a settled cluster: every node active (bounded wait; a node that stays down is reported). */
    private void awaitAllActive(DialBalancer balancer, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (balancer.snapshot().activeCount() < balancer.snapshot().nodeCount()) {
            if (System.nanoTime() > deadline) {
                progress.note("not every node came up within " + seconds + " s; starting anyway with " + balancer.snapshot().activeNodes());
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static DialRequest request(CampaignGroup group, boolean engaging, int id) {
        Map<String, String> userData = Map.of(REQUEST_ID, Integer.toString(id), "GSW_CAMPAIGN_GROUP", group.name());
        if (engaging) {
            return new DialRequest.EngagingCall(group, "7100", "8000", userData, Map.of());
        }
        return new DialRequest.PredictiveCall(group, "7000", String.format("555%07d", id), Duration.ofSeconds(25), userData, Map.of());
    }

    /** The groups of the mix, each repeated by its weight, so a uniform pick follows the weights. */
    private static List<CampaignGroup> weightedMix(Scenario scenario, BalancerConfig config) {
        List<CampaignGroup> mix = new ArrayList<>();
        Map<String, Integer> weights = scenario.mix();
        if (weights.isEmpty()) {
            config.campaignGroups().forEach(mix::add);
        }
        weights.forEach((name, weight) -> {
            CampaignGroup group = config.campaignGroup(name).orElseThrow(() -> new IllegalArgumentException(
                    "scenario.workload.mix names campaign group '" + name + "', which dialbalance.campaign-groups does not define"));
            for (int i = 0; i < weight; i++) {
                mix.add(group);
            }
        });
        if (mix.isEmpty()) {
            throw new IllegalArgumentException("the scenario has no campaign group to dial for: add dialbalance.campaign-groups");
        }
        return mix;
    }

    /** The production block with {@code nodes} set to the cluster's endpoints. */
    static Config withNodes(Config production, List<NodeSpec> nodes) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (NodeSpec node : nodes) {
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
