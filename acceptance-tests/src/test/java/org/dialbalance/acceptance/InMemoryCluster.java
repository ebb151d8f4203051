package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;

/**
 * A started balancer over an in-memory cluster, driven by hand: nodes 101, 102, ... in that order,
 * each with a backup, 101 the prime unless configured otherwise; a manual clock; every event recorded.
 */
final class InMemoryCluster implements AutoCloseable {

    static final Duration RECONNECT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    final InMemoryTransport transport = new InMemoryTransport();
    final ManualScheduler clock = new ManualScheduler();
    final List<ClusterEvent> events = new CopyOnWriteArrayList<>();
    final List<TelephonyEvent> telephonyEvents = new CopyOnWriteArrayList<>();
    final DialBalancer balancer;
    final BalancerConfig config;

    /** A base configuration: {@code nodes} nodes 101.. with backups, prime 101, reconnect 10 s. */
    static BalancerConfig.Builder config(int nodes) {
        BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(NodeId.of(101))
                .reconnectTimeout(RECONNECT).requestTimeout(REQUEST_TIMEOUT);
        for (int i = 0; i < nodes; i++) {
            int dbid = 101 + i;
            builder.node(NodeSpec.of(NodeId.of(dbid), "node-" + dbid, new Endpoint("sip" + dbid + "a.test", 5000, PortKind.TC_PORT),
                    new Endpoint("sip" + dbid + "b.test", 5000, PortKind.SMART_PROXY)));
        }
        return builder;
    }

    static InMemoryCluster start(BalancerConfig.Builder config) {
        return new InMemoryCluster(config.build(), transport -> { });
    }

    /** Starts with the transport prepared first, e.g. with applications unreachable from the beginning. */
    static InMemoryCluster start(BalancerConfig.Builder config, Consumer<InMemoryTransport> beforeStart) {
        return new InMemoryCluster(config.build(), beforeStart);
    }

    /** Starts with a policy added in code. */
    static InMemoryCluster startWithPolicy(BalancerConfig.Builder config, BalancingPolicyProvider policy) {
        return new InMemoryCluster(config.build(), transport -> { }, policy);
    }

    private InMemoryCluster(BalancerConfig config, Consumer<InMemoryTransport> beforeStart, BalancingPolicyProvider... policies) {
        this.config = config;
        beforeStart.accept(transport);
        DialBalancer.Builder builder = DialBalancer.builder(config);
        for (BalancingPolicyProvider policy : policies) {
            builder.policy(policy);
        }
        this.balancer = builder.transport(transport).scheduler(clock)
                .listener(new ClusterListener() {
                    @Override
                    public void onClusterEvent(ClusterEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void onTelephonyEvent(TelephonyEvent event) {
                        telephonyEvents.add(event);
                    }
                }).build();
        balancer.start();
    }

    static NodeId node(int dbid) {
        return NodeId.of(dbid);
    }

    static CampaignGroup regular(String name) {
        return CampaignGroup.of(name, DialingMode.PREDICTIVE, "AG_" + name);
    }

    static DialRequest.PredictiveCall predictive(CampaignGroup group, int customer) {
        return new DialRequest.PredictiveCall(group, "7000", "555" + customer, Duration.ofSeconds(25),
                Map.of("customer", Integer.toString(customer)), Map.of());
    }

    static DialRequest.EngagingCall engaging(CampaignGroup group) {
        return DialRequest.EngagingCall.of(group, "7100", "8000");
    }

    /** Takes a node's application down (both, with {@code LinkRole} omitted). */
    void down(int dbid, LinkRole role) {
        transport.setReachable(node(dbid), role, false);
    }

    void down(int dbid) {
        down(dbid, LinkRole.PRIMARY);
        down(dbid, LinkRole.BACKUP);
    }

    /** Brings an application back and lets the reconnect timer fire. */
    void up(int dbid, LinkRole role) {
        transport.setReachable(node(dbid), role, true);
        clock.advance(RECONNECT);
    }

    void up(int dbid) {
        transport.setReachable(node(dbid), LinkRole.PRIMARY, true);
        transport.setReachable(node(dbid), LinkRole.BACKUP, true);
        clock.advance(RECONNECT);
    }

    /** Dials and returns the outcome, which the in-memory transport makes immediate unless pending. */
    DialOutcome dialNow(DialRequest request) {
        CompletionStage<DialOutcome> stage = balancer.dial(request);
        assertThat(stage.toCompletableFuture()).as("outcome of %s", request).isDone();
        return stage.toCompletableFuture().join();
    }

    /** Dials {@code count} predictive calls and returns the DBIDs they were dialed on, in order. */
    List<Integer> dialMany(CampaignGroup group, int count) {
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DialOutcome outcome = dialNow(predictive(group, i));
            assertThat(outcome).as("request %d", i).isInstanceOf(DialOutcome.Dialed.class);
            nodes.add(((DialOutcome.Dialed) outcome).node().dbid());
        }
        return nodes;
    }

    @Override
    public void close() {
        balancer.stop();
    }
}
