package org.dialbalance.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.CLUSTER_EVENTS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.CONFIG_VERSION;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.HEALTH_STATUS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.LINK_CONNECTS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.LINK_DISCONNECTS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.LINK_SERVING;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.LINK_SWITCHOVERS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.LINK_UP;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.NODE_CALLS_IN_PROGRESS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.NODE_REQUESTS_PENDING;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.NODE_STATE;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.PRIME_ACTIVE;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.REQUESTS;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.REQUESTS_DURATION;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.REQUESTS_HELD;
import static org.dialbalance.metrics.micrometer.DialBalancerMetrics.SNAPSHOT_VERSION;
import static org.dialbalance.metrics.micrometer.MeteredCluster.engaging;
import static org.dialbalance.metrics.micrometer.MeteredCluster.node;
import static org.dialbalance.metrics.micrometer.MeteredCluster.predictive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.inject.Guice;
import com.google.inject.Injector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.LinkRole;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.core.DialBalancerModule;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.junit.jupiter.api.Test;

/** A host application meters a run with faults; every meter of the README's table shows what the run implies. */
class DialBalancerMetricsTest {

    @Test
    void everyMeterShowsWhatARunWithFaultsImplies() throws IOException {
        try (MeteredCluster cluster = new MeteredCluster(3)) {
            MeterRegistry registry = cluster.registry;
            // start: each node's primary came up (NodeActivated), then its backup (RedundancyRestored)
            for (int dbid = 101; dbid <= 103; dbid++) {
                assertThat(count(registry, LINK_CONNECTS, "node", "" + dbid, "link", "primary")).isEqualTo(1);
                assertThat(count(registry, LINK_CONNECTS, "node", "" + dbid, "link", "backup")).isEqualTo(1);
                assertThat(gauge(registry, NODE_STATE, "node", "" + dbid, "state", "active")).isEqualTo(1);
                assertThat(gauge(registry, LINK_SERVING, "node", "" + dbid, "link", "primary")).isEqualTo(1);
            }
            assertThat(gauge(registry, HEALTH_STATUS, "status", "UP")).isEqualTo(1);
            assertThat(gauge(registry, PRIME_ACTIVE)).isEqualTo(1);

            // 6 predictive and 1 engaging call, spread 3/2/2 by round-robin
            for (int i = 0; i < 6; i++) {
                assertThat(cluster.dialNow(predictive(i))).isInstanceOf(DialOutcome.Dialed.class);
            }
            assertThat(cluster.dialNow(engaging())).isInstanceOf(DialOutcome.Dialed.class);
            assertThat(gauge(registry, NODE_CALLS_IN_PROGRESS, "node", "101")).isEqualTo(3);
            assertThat(gauge(registry, NODE_CALLS_IN_PROGRESS, "node", "102")).isEqualTo(2);

            // 102 loses its primary (switch-over to the backup), then its backup (inactive; its calls are forgotten)
            cluster.down(102, LinkRole.PRIMARY);
            assertThat(gauge(registry, LINK_SERVING, "node", "102", "link", "backup")).isEqualTo(1);
            assertThat(gauge(registry, LINK_UP, "node", "102", "link", "primary")).isZero();
            assertThat(gauge(registry, HEALTH_STATUS, "status", "DEGRADED")).isEqualTo(1);
            cluster.down(102, LinkRole.BACKUP);
            assertThat(gauge(registry, NODE_STATE, "node", "102", "state", "inactive")).isEqualTo(1);
            assertThat(gauge(registry, NODE_STATE, "node", "102", "state", "active")).isZero();
            assertThat(gauge(registry, LINK_SERVING, "node", "102", "link", "backup")).isZero();
            assertThat(gauge(registry, NODE_CALLS_IN_PROGRESS, "node", "102")).isZero();

            // 103 rejects: of two requests one goes to 103 and fails REJECTED, one is dialed on 101
            cluster.transport.replyMode(node(103), InMemoryTransport.ReplyMode.REJECT);
            cluster.dialNow(predictive(10));
            cluster.dialNow(predictive(11));
            cluster.transport.replyMode(node(103), InMemoryTransport.ReplyMode.ACCEPT);

            // a reply that has not come yet is pending on its node
            cluster.transport.replyMode(node(101), InMemoryTransport.ReplyMode.MANUAL);
            cluster.transport.replyMode(node(103), InMemoryTransport.ReplyMode.MANUAL);
            CompletionStage<DialOutcome> awaiting = cluster.dial(predictive(12));
            int awaitedOn = cluster.transport.pending().get(0).sent().node().dbid();
            assertThat(gauge(registry, NODE_REQUESTS_PENDING, "node", "" + awaitedOn)).isEqualTo(1);
            cluster.transport.pending().get(0).accept();
            assertThat(awaiting.toCompletableFuture()).isDone();
            assertThat(gauge(registry, NODE_REQUESTS_PENDING, "node", "" + awaitedOn)).isZero();
            cluster.transport.replyMode(node(101), InMemoryTransport.ReplyMode.ACCEPT);
            cluster.transport.replyMode(node(103), InMemoryTransport.ReplyMode.ACCEPT);

            // the prime goes down: every request is held with PRIME_NODE_DOWN
            cluster.down(101, LinkRole.PRIMARY);
            cluster.down(101, LinkRole.BACKUP);
            assertThat(gauge(registry, PRIME_ACTIVE)).isZero();
            assertThat(gauge(registry, HEALTH_STATUS, "status", "DOWN")).isEqualTo(1);
            for (int i = 20; i < 23; i++) {
                assertThat(cluster.dialNow(predictive(i))).isInstanceOf(DialOutcome.Held.class);
            }
            assertThat(cluster.dialNow(engaging())).isInstanceOf(DialOutcome.Held.class);
            cluster.up(101);
            assertThat(gauge(registry, PRIME_ACTIVE)).isEqualTo(1);

            // 103 drains; a request with no reply times out on 101, the only node left in the rotation
            cluster.balancer.drain(node(103));
            assertThat(gauge(registry, NODE_STATE, "node", "103", "state", "draining")).isEqualTo(1);
            assertThat(gauge(registry, NODE_STATE, "node", "103", "state", "active")).isZero();
            cluster.transport.replyMode(node(101), InMemoryTransport.ReplyMode.SILENT);
            CompletionStage<DialOutcome> silent = cluster.dial(predictive(30));
            assertThat(gauge(registry, NODE_REQUESTS_PENDING, "node", "101")).isEqualTo(1);
            cluster.clock.advance(MeteredCluster.REQUEST_TIMEOUT);
            assertThat(silent.toCompletableFuture().join()).isInstanceOfSatisfying(DialOutcome.Failed.class,
                    failed -> assertThat(failed.reason().name()).isEqualTo("TIMEOUT"));
            assertThat(gauge(registry, NODE_REQUESTS_PENDING, "node", "101")).isZero();

            // requests: exactly the run's outcomes, by node, type, outcome and reason; nothing else
            List<DialOutcome> outcomes = cluster.outcomes;
            assertThat(outcomes).hasSize(15);
            assertThat(requestCounters(registry)).isEqualTo(expectedRequests(outcomes));
            assertThat(count(registry, REQUESTS, "node", "none", "type", "predictive", "outcome", "held", "reason", "PRIME_NODE_DOWN"))
                    .isEqualTo(3);
            assertThat(count(registry, REQUESTS, "node", "101", "type", "predictive", "outcome", "failed", "reason", "TIMEOUT"))
                    .isEqualTo(1);
            assertThat(count(registry, REQUESTS, "node", "103", "type", "predictive", "outcome", "failed", "reason", "REJECTED"))
                    .isEqualTo(1);
            assertThat(count(registry, REQUESTS_HELD, "reason", "PRIME_NODE_DOWN", "type", "predictive")).isEqualTo(3);
            assertThat(count(registry, REQUESTS_HELD, "reason", "PRIME_NODE_DOWN", "type", "engaging")).isEqualTo(1);
            assertThat(registry.find(REQUESTS_HELD).counters()).hasSize(2);
            // durations: one per outcome, by type and outcome
            Map<String, Long> timed = registry.find(REQUESTS_DURATION).timers().stream().filter(t -> t.count() > 0)
                    .collect(Collectors.toMap(t -> t.getId().getTag("type") + "/" + t.getId().getTag("outcome"), Timer::count));
            assertThat(timed).isEqualTo(outcomes.stream().collect(Collectors.groupingBy(
                    o -> type(o.request()) + "/" + outcome(o), TreeMap::new, Collectors.counting())));
            assertThat(timed).containsEntry("predictive/held", 3L).containsEntry("engaging/held", 1L)
                    .containsEntry("engaging/dialed", 1L).containsEntry("predictive/failed", 2L);
            assertThat(registry.find(REQUESTS_DURATION).timers()).hasSize(6);

            // calls in progress: dialed since the node last came up (102: forgotten when it went down)
            assertThat(gauge(registry, NODE_CALLS_IN_PROGRESS, "node", "101")).isZero();   // forgotten when the prime went down
            assertThat(gauge(registry, NODE_CALLS_IN_PROGRESS, "node", "103"))
                    .isEqualTo(dialedOn(outcomes, 103)).isEqualTo(cluster.balancer.callsInProgress(node(103)));

            // links: 101 and 102 lost the primary (switch-over) then the backup; 101 came back on both
            assertThat(count(registry, LINK_CONNECTS, "node", "101", "link", "primary")).isEqualTo(2);
            assertThat(count(registry, LINK_CONNECTS, "node", "101", "link", "backup")).isEqualTo(2);
            assertThat(count(registry, LINK_CONNECTS, "node", "102", "link", "primary")).isEqualTo(1);
            assertThat(registry.find(LINK_CONNECTS).counters()).hasSize(6);
            for (String dbid : List.of("101", "102")) {
                assertThat(count(registry, LINK_DISCONNECTS, "node", dbid, "link", "primary", "reason", "OTHER")).isEqualTo(1);
                assertThat(count(registry, LINK_DISCONNECTS, "node", dbid, "link", "backup", "reason", "OTHER")).isEqualTo(1);
                assertThat(count(registry, LINK_SWITCHOVERS, "node", dbid, "from", "primary", "to", "backup")).isEqualTo(1);
            }
            assertThat(registry.find(LINK_DISCONNECTS).counters()).hasSize(4);
            assertThat(registry.find(LINK_SWITCHOVERS).counters()).hasSize(2);
            assertThat(gauge(registry, LINK_UP, "node", "101", "link", "backup")).isEqualTo(1);
            assertThat(gauge(registry, LINK_UP, "node", "102", "link", "backup")).isZero();

            // events, by type
            assertThat(eventCounts(registry)).isEqualTo(Map.of("NodeActivated", 4.0, "RedundancyRestored", 4.0,
                    "DialingResumed", 2.0, "LinkSwitched", 2.0, "RedundancyLost", 2.0, "NodeDeactivated", 2.0,
                    "DialingSuspended", 1.0, "DrainStarted", 1.0));

            ClusterHealth health = cluster.balancer.health();
            assertThat(gauge(registry, SNAPSHOT_VERSION)).isEqualTo(health.snapshotVersion());
            assertThat(gauge(registry, CONFIG_VERSION)).isEqualTo(1);
            assertThat(gauge(registry, HEALTH_STATUS, "status", health.status().name())).isEqualTo(1);
            assertThat(registry.find(HEALTH_STATUS).gauges().stream().mapToDouble(Gauge::value).sum()).isEqualTo(1);

            // no tag value is a phone number, DN or ConnID
            for (Meter meter : registry.getMeters()) {
                for (Tag tag : meter.getId().getTags()) {
                    assertThat(tag.getValue()).as("%s", meter.getId()).doesNotStartWith("555").isNotIn("7000", "7100", "8000");
                }
            }

            assertThat(documentedMeters()).as("README's Operating → Metrics table")
                    .isEqualTo(registeredMeters(registry));
        }
    }

    @Test
    void theGuiceModuleInstallsAndBindsTheMetrics() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DialBalancerMetrics metrics = DialBalancerMetrics.builder(registry).tags("balancer", "b1").configVersion(() -> 7).build();
        InMemoryTransport transport = new InMemoryTransport();
        ManualScheduler clock = new ManualScheduler();
        Injector injector = Guice.createInjector(new DialBalancerModule(MeteredCluster.config(2)), binder -> {
            DialBalancerModule.transportBinder(binder).setBinding().toInstance(transport);
            DialBalancerModule.schedulerBinder(binder).setBinding().toInstance(clock);
        }, new DialBalancerMetricsModule(metrics));
        DialBalancer balancer = injector.getInstance(DialBalancer.class);
        balancer.start();
        try {
            assertThat(balancer.dial(predictive(1)).toCompletableFuture().join()).isInstanceOf(DialOutcome.Dialed.class);
            assertThat(count(registry, REQUESTS, "balancer", "b1", "node", "101", "type", "predictive", "outcome", "dialed",
                    "reason", "NONE")).isEqualTo(1);
            assertThat(count(registry, LINK_CONNECTS, "balancer", "b1", "node", "102", "link", "backup")).isEqualTo(1);
            assertThat(gauge(registry, CONFIG_VERSION, "balancer", "b1")).isEqualTo(7);
            assertThat(gauge(registry, NODE_STATE, "balancer", "b1", "node", "102", "state", "active")).isEqualTo(1);
        } finally {
            balancer.stop();
        }
    }

    @Test
    void transportReasonsAreSortedIntoBoundedKinds() {
        assertThat(LinkDownReason.classify("no reply to the keep-alive ping within 3000 ms (addp-timeout), after 3000 ms"))
                .isEqualTo(LinkDownReason.ADDP_TIMEOUT);
        assertThat(LinkDownReason.classify("the server announced EventLinkDisconnected")).isEqualTo(LinkDownReason.LINK_DISCONNECTED);
        assertThat(LinkDownReason.classify("protocol violation: bad tag")).isEqualTo(LinkDownReason.PROTOCOL_ERROR);
        assertThat(LinkDownReason.classify("frame larger than max-frame-size: 70000")).isEqualTo(LinkDownReason.PROTOCOL_ERROR);
        assertThat(LinkDownReason.classify("I/O error: java.io.IOException: Connection reset")).isEqualTo(LinkDownReason.IO_ERROR);
        assertThat(LinkDownReason.classify("connection closed by the server")).isEqualTo(LinkDownReason.CLOSED_BY_SERVER);
        assertThat(LinkDownReason.classify("closed by the client")).isEqualTo(LinkDownReason.CLOSED_BY_CLIENT);
        assertThat(LinkDownReason.classify("")).isEqualTo(LinkDownReason.OTHER);
        assertThat(LinkDownReason.classify(null)).isEqualTo(LinkDownReason.OTHER);
    }

    @Test
    void bindingTwiceIsRefused() {
        try (MeteredCluster cluster = new MeteredCluster(1)) {
            org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> cluster.metrics.bind(cluster.balancer));
        }
    }

    // --- what the run implies

    private static String type(DialRequest request) {
        return request instanceof DialRequest.EngagingCall ? "engaging" : "predictive";
    }

    private static String outcome(DialOutcome outcome) {
        return outcome instanceof DialOutcome.Dialed ? "dialed" : outcome instanceof DialOutcome.Held ? "held" : "failed";
    }

    private static Map<String, Double> expectedRequests(List<DialOutcome> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(o -> {
            String nodeTag;
            String reason;
            if (o instanceof DialOutcome.Dialed dialed) {
                nodeTag = "" + dialed.node().dbid();
                reason = "NONE";
            } else if (o instanceof DialOutcome.Held held) {
                nodeTag = "none";
                reason = held.reason().code();
            } else {
                DialOutcome.Failed failed = (DialOutcome.Failed) o;
                nodeTag = failed.node().map(n -> "" + n.dbid()).orElse("none");
                reason = failed.reason().name();
            }
            return nodeTag + "/" + type(o.request()) + "/" + outcome(o) + "/" + reason;
        }, TreeMap::new, Collectors.summingDouble(o -> 1.0)));
    }

    private static long dialedOn(List<DialOutcome> outcomes, int dbid) {
        return outcomes.stream().filter(o -> o instanceof DialOutcome.Dialed d && d.node().dbid() == dbid).count();
    }

    // --- reading the registry

    private static Map<String, Double> requestCounters(MeterRegistry registry) {
        return registry.find(REQUESTS).counters().stream().collect(Collectors.toMap(c -> c.getId().getTag("node") + "/"
                + c.getId().getTag("type") + "/" + c.getId().getTag("outcome") + "/" + c.getId().getTag("reason"),
                Counter::count, Double::sum, TreeMap::new));
    }

    private static Map<String, Double> eventCounts(MeterRegistry registry) {
        return registry.find(CLUSTER_EVENTS).counters().stream().collect(Collectors.toMap(c -> c.getId().getTag("event"),
                Counter::count));
    }

    static double count(MeterRegistry registry, String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        assertThat(counter).as("counter %s %s", name, List.of(tags)).isNotNull();
        return counter.count();
    }

    static double gauge(MeterRegistry registry, String name, String... tags) {
        Gauge gauge = registry.find(name).tags(tags).gauge();
        assertThat(gauge).as("gauge %s %s", name, List.of(tags)).isNotNull();
        return gauge.value();
    }

    // --- the README's table against the registry: name, type and tag keys

    private static final Pattern ROW = Pattern.compile("^\\| `(dialbalance\\.[a-z.]+)` \\| (counter|gauge|timer) \\| ([^|]*)\\|");

    static Set<String> documentedMeters() throws IOException {
        Path readme = Path.of(System.getProperty("dialbalance.readme", "../README.md"));
        String text = Files.readString(readme);
        int start = text.indexOf("### Metrics");
        assertThat(start).as("README has an Operating → Metrics section").isPositive();
        Set<String> rows = new TreeSet<>();
        for (String line : text.substring(start).split("\n")) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                Set<String> keys = new TreeSet<>();
                Matcher tag = Pattern.compile("`([a-z]+)`").matcher(row.group(3));
                while (tag.find()) {
                    keys.add(tag.group(1));
                }
                rows.add(row.group(1) + " " + row.group(2) + " " + keys);
            }
        }
        return rows;
    }

    static Set<String> registeredMeters(MeterRegistry registry) {
        return registry.getMeters().stream().map(meter -> meter.getId().getName() + " "
                + meter.getId().getType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toCollection(TreeSet::new)))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
