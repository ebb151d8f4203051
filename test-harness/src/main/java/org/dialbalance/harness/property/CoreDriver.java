package org.dialbalance.harness.property;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.dialbalance.harness.model.ReferenceModel;

/**
 * Runs a case against the real core (dispatcher, node connections, the configured policies) over the
 * in-memory transport and a manual clock, next to the {@link ReferenceModel}, and checks after every step:
 * the snapshot agrees with the model; each request ends in exactly one outcome, the one the model expects;
 * nothing is sent twice and nothing held is sent; DN-level events reach listeners from the prime's serving
 * link only. The steps are recorded so the {@link Guarantee}s can judge them too.
 */
public final class CoreDriver {

    /** {@code reconnect-timeout} of the runs: a link made reachable again reconnects within it. */
    public static final Duration RECONNECT = Duration.ofSeconds(1);
    private static final String DN = "7001";

    private CoreDriver() {
    }

    /**
     * Runs a case.
     *
     * @param lbMode the policy for regular groups, or {@code null} for no balancing
     * @param steps  receives the steps
     * @return the first violation, if any
     */
    public static Optional<String> run(ClusterCase cluster, String lbMode, List<Step> steps) {
        BalancerConfig.Builder config = BalancerConfig.builder().primeNode(ClusterCase.dbid(cluster.prime())).lbMode(lbMode)
                .reconnectTimeout(RECONNECT).requestTimeout(Duration.ofSeconds(5)).monitorDn(DN);
        cluster.topology().nodes().forEach(config::node);
        cluster.campaignGroups().forEach(config::campaignGroup);
        InMemoryTransport transport = new InMemoryTransport();
        ManualScheduler clock = new ManualScheduler();
        List<TelephonyEvent> delivered = new CopyOnWriteArrayList<>();
        DialBalancer balancer = DialBalancer.builder(config.build()).transport(transport).scheduler(clock)
                .listener(new ClusterListener() {
                    @Override
                    public void onTelephonyEvent(TelephonyEvent event) {
                        delivered.add(event);
                    }
                }).build();
        ReferenceModel model = PolicyDriver.model(cluster, lbMode != null);
        balancer.start();
        try {
            Optional<String> initial = compare(balancer.snapshot(), model, "after start");
            if (initial.isPresent()) {
                return initial;
            }
            for (int index = 0; index < cluster.actions().size(); index++) {
                Action action = cluster.actions().get(index);
                ClusterSnapshot before = balancer.snapshot();
                String where = "at step " + (index + 1) + " (" + action + ")";
                Optional<String> violation;
                if (action instanceof Action.Dial || action instanceof Action.Engage) {
                    violation = dial(cluster, action, index, before, balancer, transport, model, steps, where);
                } else {
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
                    violation = Optional.empty();
                }
                if (violation.isEmpty()) {
                    violation = compare(balancer.snapshot(), model, where);
                }
                if (violation.isEmpty()) {
                    violation = dnEventsFromPrime(cluster, transport, model, delivered, where);
                }
                if (violation.isPresent()) {
                    return violation;
                }
            }
            return Optional.empty();
        } finally {
            balancer.stop();
        }
    }

    private static Optional<String> dial(ClusterCase cluster, Action action, int index, ClusterSnapshot before, DialBalancer balancer,
                                         InMemoryTransport transport, ReferenceModel model, List<Step> steps, String where) {
        DialRequest request = PolicyDriver.request(cluster, action, index);
        ReferenceModel.Expectation expected = model.dial(request.group());
        AtomicInteger completions = new AtomicInteger();
        CompletableFuture<DialOutcome> outcome = balancer.dial(request).toCompletableFuture();
        outcome.whenComplete((result, error) -> completions.incrementAndGet());
        if (!outcome.isDone() || completions.get() != 1) {
            return Optional.of(where + ": the request has " + completions.get() + " outcomes; exactly one was expected at once");
        }
        DialOutcome result = outcome.join();
        long copies = transport.sent().stream().filter(sent -> sent.request().equals(request)).count();
        Step step;
        if (result instanceof DialOutcome.Dialed dialed) {
            int node = before.topology().indexOf(dialed.node());
            step = new Step(index, action, before, request.group(), node, dialed.via(), null, null);
            if (copies != 1) {
                return Optional.of(where + ": dialed, but the servers received it " + copies + " times");
            }
        } else if (result instanceof DialOutcome.Held held) {
            step = new Step(index, action, before, request.group(), -1, null, held.reason(), null);
            if (copies != 0) {
                return Optional.of(where + ": held, but a server received it");
            }
        } else {
            step = new Step(index, action, before, request.group(), -1, null, null, ((DialOutcome.Failed) result).detail());
        }
        steps.add(step);
        String actual = step.outcome();
        String wanted = expected.dialed() ? "dialed on node #" + expected.node() + " via " + expected.via() : "held " + expected.hold();
        if (!actual.equals(wanted)) {
            return Optional.of(where + ": the model expects the request " + wanted + ", but it was " + actual);
        }
        return Optional.empty();
    }

    private static Optional<String> compare(ClusterSnapshot snapshot, ReferenceModel model, String where) {
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
