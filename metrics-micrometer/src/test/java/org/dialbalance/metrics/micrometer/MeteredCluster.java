package org.dialbalance.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;

/**
 * A host application that meters its balancer with a {@link SimpleMeterRegistry}: nodes 101.. each with a backup,
 * 101 the prime, round-robin, over the in-memory transport and a manual clock (after the acceptance tests'
 * {@code InMemoryCluster}). Every outcome is recorded, so a test can say what the meters must show.
 */
final class MeteredCluster implements AutoCloseable {

    static final Duration RECONNECT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final InMemoryTransport transport = new InMemoryTransport();
    final ManualScheduler clock = new ManualScheduler();
    final List<DialOutcome> outcomes = new CopyOnWriteArrayList<>();
    final DialBalancerMetrics metrics;
    final DialBalancer balancer;

    static BalancerConfig config(int nodes) {
        return configBuilder(nodes).build();
    }

    /** {@link #config}, open for more: a reload's configuration, say. */
    static BalancerConfig.Builder configBuilder(int nodes) {
        BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(NodeId.of(101)).lbMode("round-robin")
                .reconnectTimeout(RECONNECT).requestTimeout(REQUEST_TIMEOUT);
        for (int i = 0; i < nodes; i++) {
            int dbid = 101 + i;
            builder.node(NodeSpec.of(NodeId.of(dbid), "node-" + dbid, new Endpoint("sip" + dbid + "a.test", 5000, PortKind.TC_PORT),
                    new Endpoint("sip" + dbid + "b.test", 5000, PortKind.SMART_PROXY)));
        }
        return builder.campaignGroup(ASM);
    }

    MeteredCluster(int nodes) {
        this(nodes, servers -> servers);
    }

    /** Over the in-memory servers as seen through {@code wrap}: a test's transport that watches or delays them. */
    MeteredCluster(int nodes, Function<InMemoryTransport, Transport> wrap) {
        metrics = DialBalancerMetrics.builder(registry).build();
        balancer = metrics.install(DialBalancer.builder(config(nodes))).transport(wrap.apply(transport)).scheduler(clock).build();
        metrics.bind(balancer);
        balancer.start();
    }

    static NodeId node(int dbid) {
        return NodeId.of(dbid);
    }

    static final CampaignGroup GROUP = CampaignGroup.of("g", DialingMode.PREDICTIVE, "AG_g");
    /** A seizing group dialing on the prime, for engaging calls. */
    static final CampaignGroup ASM = CampaignGroup.of("asm", DialingMode.PREDICTIVE_SEIZING, "AG_asm", NodeId.of(101));

    static DialRequest predictive(int customer) {
        return new DialRequest.PredictiveCall(GROUP, "7000", "555" + customer, Duration.ofSeconds(25),
                Map.of("customer", Integer.toString(customer)), Map.of());
    }

    static DialRequest engaging() {
        return DialRequest.EngagingCall.of(ASM, "7100", "8000");
    }

    /** Dials and records the outcome, which must be immediate. */
    DialOutcome dialNow(DialRequest request) {
        CompletionStage<DialOutcome> stage = dial(request);
        assertThat(stage.toCompletableFuture()).as("outcome of %s", request).isDone();
        return stage.toCompletableFuture().join();
    }

    /** Dials and records the outcome whenever it comes. */
    CompletionStage<DialOutcome> dial(DialRequest request) {
        return balancer.dial(request).whenComplete((outcome, error) -> outcomes.add(outcome));
    }

    void down(int dbid, LinkRole role) {
        transport.setReachable(node(dbid), role, false);
    }

    void up(int dbid) {
        transport.setReachable(node(dbid), LinkRole.PRIMARY, true);
        transport.setReachable(node(dbid), LinkRole.BACKUP, true);
        clock.advance(RECONNECT);
    }

    @Override
    public void close() {
        balancer.stop();
    }
}
