package org.dialbalance.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.CONFIG_VERSION;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.LINK_CONNECTS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.LINK_DISCONNECTS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.LINK_SERVING;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.LINK_UP;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.NODE_CALLS_IN_PROGRESS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.NODE_REQUESTS_PENDING;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.NODE_STATE;
import static org.dialbalance.metrics.micrometer.DialBalancerMetricsTest.count;
import static org.dialbalance.metrics.micrometer.DialBalancerMetricsTest.gauge;
import static org.dialbalance.metrics.micrometer.MeteredCluster.node;
import static org.dialbalance.metrics.micrometer.MeteredCluster.predictive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.ReconfigureResult;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.junit.jupiter.api.Test;

/**
 * The per-node meters follow the configuration in force across reloads, and the link counters follow the links the
 * transport really opened and lost, also when a node comes up with both links at once.
 */
class NodeAndLinkMetersTest {

    @Test
    void aNodeAddedByAReloadGetsItsGaugesWithItsValuesAndARemovedNodeLosesThem() {
        try (MeteredCluster cluster = new MeteredCluster(2)) {
            MeterRegistry registry = cluster.registry;
            assertThat(registry.find(NODE_STATE).tags("node", "103").gauges()).isEmpty();

            // 103 added, with a primary only
            BalancerConfig withSolo = MeteredCluster.configBuilder(2).node(NodeSpec.of(node(103), "node-103",
                    new Endpoint("sip103a.test", 5000, PortKind.TC_PORT))).build();
            assertThat(cluster.balancer.reconfigure(withSolo)).isInstanceOf(ReconfigureResult.Applied.class);

            assertThat(gauge(registry, CONFIG_VERSION)).isEqualTo(2);
            assertThat(gauge(registry, NODE_STATE, "node", "103", "state", "active")).isEqualTo(1);
            assertThat(gauge(registry, NODE_STATE, "node", "103", "state", "inactive")).isZero();
            assertThat(gauge(registry, LINK_UP, "node", "103", "link", "primary")).isEqualTo(1);
            assertThat(gauge(registry, LINK_SERVING, "node", "103", "link", "primary")).isEqualTo(1);
            assertThat(registry.find(LINK_UP).tags("node", "103", "link", "backup").gauges()).as("no backup configured").isEmpty();
            assertThat(count(registry, LINK_CONNECTS, "node", "103", "link", "primary")).isEqualTo(1);
            List<Integer> dialedOn = cluster.balancer.snapshot().activeNodes().stream().map(id -> {
                DialOutcome outcome = cluster.dialNow(predictive(id.dbid()));
                return ((DialOutcome.Dialed) outcome).node().dbid();
            }).toList();
            assertThat(dialedOn).contains(103);
            assertThat(gauge(registry, NODE_CALLS_IN_PROGRESS, "node", "103")).isEqualTo(cluster.balancer.callsInProgress(node(103)))
                    .isEqualTo(1);
            cluster.transport.replyMode(node(103), InMemoryTransport.ReplyMode.MANUAL);
            cluster.transport.replyMode(node(101), InMemoryTransport.ReplyMode.MANUAL);
            cluster.transport.replyMode(node(102), InMemoryTransport.ReplyMode.MANUAL);
            for (int i = 0; i < 3; i++) {
                cluster.dial(predictive(100 + i));
            }
            assertThat(gauge(registry, NODE_REQUESTS_PENDING, "node", "103")).isEqualTo(1);
            cluster.transport.pending().forEach(InMemoryTransport.PendingRequest::accept);
            cluster.transport.replyMode(node(101), InMemoryTransport.ReplyMode.ACCEPT);
            cluster.transport.replyMode(node(102), InMemoryTransport.ReplyMode.ACCEPT);
            cluster.transport.replyMode(node(103), InMemoryTransport.ReplyMode.ACCEPT);
            assertThat(gauge(registry, NODE_REQUESTS_PENDING, "node", "103")).isZero();

            // 102 removed (a second later: one reload per second): its gauges leave the registry, its counters stay
            cluster.clock.advance(Duration.ofSeconds(1));
            BalancerConfig without102 = MeteredCluster.configBuilder(1).node(NodeSpec.of(node(103), "node-103",
                    new Endpoint("sip103a.test", 5000, PortKind.TC_PORT))).build();
            assertThat(cluster.balancer.reconfigure(without102)).isInstanceOf(ReconfigureResult.Applied.class);

            assertThat(gauge(registry, CONFIG_VERSION)).isEqualTo(3);
            for (String name : List.of(NODE_STATE, NODE_REQUESTS_PENDING, NODE_CALLS_IN_PROGRESS, LINK_UP, LINK_SERVING)) {
                assertThat(registry.find(name).tags("node", "102").gauges()).as(name).isEmpty();
                assertThat(registry.find(name).tags("node", "103").gauges()).as(name).isNotEmpty();
            }
            assertThat(count(registry, LINK_CONNECTS, "node", "102", "link", "backup")).isEqualTo(1);
            assertThat(gauge(registry, NODE_STATE, "node", "101", "state", "active")).isEqualTo(1);
        }
    }

    @Test
    void linkConnectsAndDisconnectsMatchTheLinksTheTransportOpenedAndLost() {
        LinkCountingTransport[] links = new LinkCountingTransport[1];
        try (MeteredCluster cluster = new MeteredCluster(3, servers -> links[0] = new LinkCountingTransport(servers, node(102)))) {
            MeterRegistry registry = cluster.registry;
            LinkCountingTransport transport = links[0];
            // 102's backup connected while its primary's first attempt was pending: both links up in one change
            transport.completeDeferredPrimary();
            assertThat(cluster.balancer.snapshot().status(node(102)).backupUp()).isTrue();

            cluster.down(102, LinkRole.PRIMARY);
            cluster.down(102, LinkRole.BACKUP);
            cluster.up(102);
            cluster.down(103, LinkRole.BACKUP);
            cluster.down(101, LinkRole.PRIMARY);
            cluster.down(101, LinkRole.BACKUP);
            cluster.up(101);
            cluster.transport.setReachable(node(103), LinkRole.BACKUP, true);
            cluster.clock.advance(MeteredCluster.RECONNECT);

            assertThat(byLink(registry, LINK_CONNECTS)).isEqualTo(transport.opened()).containsEntry("102 primary", 2.0)
                    .containsEntry("102 backup", 2.0).containsEntry("101 backup", 2.0).containsEntry("103 backup", 2.0);
            assertThat(byLink(registry, LINK_DISCONNECTS)).isEqualTo(transport.lost()).containsEntry("102 primary", 1.0)
                    .containsEntry("102 backup", 1.0).containsEntry("103 backup", 1.0).doesNotContainKey("103 primary");
        }
    }

    /** Counter values by {@code "<node> <link>"}, summed over the other tags. */
    private static Map<String, Double> byLink(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().collect(Collectors.toMap(
                counter -> counter.getId().getTag("node") + " " + counter.getId().getTag("link"), Counter::count, Double::sum,
                TreeMap::new));
    }

    /**
     * The in-memory servers, counting every link that opened and every link that was lost, by node and role; the first
     * connection attempt to one node's primary completes only when told to.
     */
    private static final class LinkCountingTransport implements Transport {
        private final InMemoryTransport delegate;
        private final NodeId deferredNode;
        private final CompletableFuture<Link> deferred = new CompletableFuture<>();
        private final Map<String, Double> opened = new TreeMap<>();
        private final Map<String, Double> lost = new TreeMap<>();
        private LinkTarget deferredTarget;
        private LinkListener deferredListener;

        LinkCountingTransport(InMemoryTransport delegate, NodeId deferredNode) {
            this.delegate = delegate;
            this.deferredNode = deferredNode;
        }

        @Override
        public CompletionStage<Link> connect(LinkTarget target, LinkListener listener) {
            synchronized (this) {
                if (deferredTarget == null && target.node().equals(deferredNode) && target.role() == LinkRole.PRIMARY) {
                    deferredTarget = target;
                    deferredListener = listener;
                    return deferred;
                }
            }
            return counted(target, listener);
        }

        private CompletionStage<Link> counted(LinkTarget target, LinkListener listener) {
            String key = target.node().dbid() + " " + target.role().name().toLowerCase(java.util.Locale.ROOT);
            return delegate.connect(target, new LinkListener() {
                @Override
                public void onEvent(TelephonyEvent event) {
                    listener.onEvent(event);
                }

                @Override
                public void onClosed(String reason) {
                    synchronized (LinkCountingTransport.this) {
                        lost.merge(key, 1.0, Double::sum);
                    }
                    listener.onClosed(reason);
                }
            }).thenApply(link -> {
                synchronized (LinkCountingTransport.this) {
                    opened.merge(key, 1.0, Double::sum);
                }
                return link;
            });
        }

        void completeDeferredPrimary() {
            LinkTarget target;
            LinkListener listener;
            synchronized (this) {
                target = deferredTarget;
                listener = deferredListener;
            }
            assertThat(target).as("the first attempt to the deferred primary was made").isNotNull();
            deferred.complete(counted(target, listener).toCompletableFuture().join());
        }

        synchronized Map<String, Double> opened() {
            return new TreeMap<>(opened);
        }

        synchronized Map<String, Double> lost() {
            return new TreeMap<>(lost);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
