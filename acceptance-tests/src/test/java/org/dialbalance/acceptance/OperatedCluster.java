package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;

/**
 * A balancer over an in-memory cluster, as {@link InMemoryCluster}, whose servers can also send the call-level
 * EventReleased of a dialed call (by its ConnID): what the operator's side (calls in progress, drain) needs.
 * The balancer is built but not started, so that a test can look at it before {@link #start()}.
 */
final class OperatedCluster implements AutoCloseable {

    final InMemoryTransport transport = new InMemoryTransport();
    final ManualScheduler clock = new ManualScheduler();
    final List<ClusterEvent> events = new CopyOnWriteArrayList<>();
    final DialBalancer balancer;
    private final ReleasingTransport servers = new ReleasingTransport(transport);

    private OperatedCluster(BalancerConfig config, org.dialbalance.api.policy.BalancingPolicyProvider... policies) {
        DialBalancer.Builder builder = DialBalancer.builder(config);
        for (org.dialbalance.api.policy.BalancingPolicyProvider policy : policies) {
            builder.policy(policy);
        }
        this.balancer = builder.transport(servers).scheduler(clock)
                .listener(new ClusterListener() {
                    @Override
                    public void onClusterEvent(ClusterEvent event) {
                        events.add(event);
                    }
                }).build();
    }

    /** Built, not started. */
    static OperatedCluster build(BalancerConfig.Builder config) {
        return new OperatedCluster(config.build());
    }

    /** Built and started, with a policy added in code. */
    static OperatedCluster startWithPolicy(BalancerConfig.Builder config, org.dialbalance.api.policy.BalancingPolicyProvider policy) {
        OperatedCluster cluster = new OperatedCluster(config.build(), policy);
        cluster.start();
        return cluster;
    }

    /** Built and started. */
    static OperatedCluster start(BalancerConfig.Builder config) {
        OperatedCluster cluster = build(config);
        cluster.start();
        return cluster;
    }

    void start() {
        balancer.start();
    }

    /** The server application of a node's link sends EventReleased for a call, as a call-level event. */
    void release(DialOutcome.Dialed call) {
        servers.emit(call.node(), call.via(), new TelephonyEvent(call.node(), call.via(), TelephonyEvent.Scope.CALL,
                "EventReleased", "", call.connId(), Map.of()));
    }

    void down(int dbid, LinkRole role) {
        transport.setReachable(NodeId.of(dbid), role, false);
    }

    void up(int dbid, LinkRole role) {
        transport.setReachable(NodeId.of(dbid), role, true);
        clock.advance(InMemoryCluster.RECONNECT);
    }

    /** Dials and returns the outcome, which must be immediate. */
    DialOutcome dialNow(DialRequest request) {
        CompletionStage<DialOutcome> stage = balancer.dial(request);
        assertThat(stage.toCompletableFuture()).as("outcome of %s", request).isDone();
        return stage.toCompletableFuture().join();
    }

    /** Dials a request that must be dialed at once, and returns where. */
    DialOutcome.Dialed dialed(DialRequest request) {
        DialOutcome outcome = dialNow(request);
        assertThat(outcome).as("outcome of %s", request).isInstanceOf(DialOutcome.Dialed.class);
        return (DialOutcome.Dialed) outcome;
    }

    /** The events of one type, in order. */
    <T extends ClusterEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() {
        balancer.stop();
    }

    /** Delegates to the in-memory transport and keeps each link's listener, to send events the way its server would. */
    private static final class ReleasingTransport implements Transport {
        private final Transport delegate;
        private final Map<LinkTarget, LinkListener> listeners = new HashMap<>();

        ReleasingTransport(Transport delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Link> connect(LinkTarget target, LinkListener listener) {
            CompletionStage<Link> link = delegate.connect(target, listener);
            CompletableFuture<Link> done = link.toCompletableFuture();
            if (done.isDone() && !done.isCompletedExceptionally()) {
                synchronized (this) {
                    listeners.put(target, listener);
                }
            }
            return link;
        }

        void emit(NodeId node, LinkRole role, TelephonyEvent event) {
            LinkListener listener;
            synchronized (this) {
                listener = listeners.entrySet().stream()
                        .filter(entry -> entry.getKey().node().equals(node) && entry.getKey().role() == role)
                        .map(Map.Entry::getValue).findFirst().orElseThrow();
            }
            listener.onEvent(event);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
