package org.dialbalance.metrics.micrometer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialObserver;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.core.DialBalancer;

/**
 * The meters of one running balancer, registered in the host application's {@link MeterRegistry}. Core has no
 * Micrometer: these metrics are built only on its public hooks — a {@link DialObserver} for outcomes, a
 * {@link ClusterListener} for link changes, and gauges reading {@link DialBalancer#snapshot()},
 * {@link DialBalancer#health()} and {@link DialBalancer#callsInProgress(NodeId)}. The README's
 * "Operating → Metrics" table lists every meter; the constants below are their names.
 *
 * <p>Installing it takes two steps, because the observer must be in place when the balancer is built and the
 * gauges need the balancer:
 * <pre>{@code
 * DialBalancerMetrics metrics = DialBalancerMetrics.builder(registry).build();
 * DialBalancer balancer = metrics.install(DialBalancer.builder(config)).build();
 * metrics.bind(balancer);   // before start(), so that no cluster event is missed
 * balancer.start();
 * }</pre>
 * With Guice, install {@link DialBalancerMetricsModule} instead, which does both.
 *
 * <p>Tags are bounded: node DBIDs, request types, outcomes, reason codes, link roles. A phone number, DN or
 * ConnID is never a tag. One instance meters one balancer.
 */
public final class DialBalancerMetrics implements DialObserver, ClusterListener {

    /** Counter: requests ended, by node, type, outcome and reason. */
    public static final String REQUESTS = "dialbalance.requests";
    /** Timer with a histogram: time from {@code dial} to the outcome, by type and outcome. */
    public static final String REQUESTS_DURATION = "dialbalance.requests.duration";
    /** Counter: requests held, by reason and type. */
    public static final String REQUESTS_HELD = "dialbalance.requests.held";
    /** Gauge, one-hot: a node's state (active, inactive, draining). */
    public static final String NODE_STATE = "dialbalance.node.state";
    /** Gauge: requests sent to a node awaiting a reply. */
    public static final String NODE_REQUESTS_PENDING = "dialbalance.node.requests.pending";
    /** Gauge: calls dialed on a node and not yet released. */
    public static final String NODE_CALLS_IN_PROGRESS = "dialbalance.node.calls.in.progress";
    /** Gauge: 1 when a configured link is up. */
    public static final String LINK_UP = "dialbalance.link.up";
    /** Gauge, one-hot: 1 for the link that serves the node. */
    public static final String LINK_SERVING = "dialbalance.link.serving";
    /** Counter: links that came up. */
    public static final String LINK_CONNECTS = "dialbalance.link.connects";
    /** Counter: links that went down, by reason. */
    public static final String LINK_DISCONNECTS = "dialbalance.link.disconnects";
    /** Counter: serving-link switch-overs. */
    public static final String LINK_SWITCHOVERS = "dialbalance.link.switchovers";
    /** Gauge: 1 when the prime node is active (dialing possible). */
    public static final String PRIME_ACTIVE = "dialbalance.prime.active";
    /** Gauge, one-hot: the overall health status. */
    public static final String HEALTH_STATUS = "dialbalance.health.status";
    /** Counter: cluster events, by event type. */
    public static final String CLUSTER_EVENTS = "dialbalance.cluster.events";
    /** Gauge: the configuration version. */
    public static final String CONFIG_VERSION = "dialbalance.config.version";
    /** Gauge: the version of the newest cluster snapshot. */
    public static final String SNAPSHOT_VERSION = "dialbalance.snapshot.version";

    /** The {@code node} tag of a request that no node was chosen for. */
    public static final String NO_NODE = "none";
    /** The {@code reason} tag of a dialed request. */
    public static final String NO_REASON = "NONE";

    private static final String[] OUTCOMES = {"dialed", "held", "failed"};
    private static final String[] TYPES = {"predictive", "engaging"};

    private final MeterRegistry registry;
    private final LongSupplier configVersion;
    private final Tags commonTags;
    private final Timer[] durations = new Timer[TYPES.length * OUTCOMES.length];
    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    /** The {@code dialed} counters by node, one per type: the common outcome looked up without allocating a key. */
    private final Map<NodeId, Counter[]> dialedByNode = new ConcurrentHashMap<>();
    private final Map<HeldKey, Counter> held = new ConcurrentHashMap<>();
    private final Map<NodeId, EnumSet<LinkRole>> upLinks = new HashMap<>();          // guarded by this
    private final Map<NodeId, NodeMeters> nodeMeters = new LinkedHashMap<>();       // guarded by this
    private volatile DialBalancer balancer;

    /** The gauges of one node of the configuration in force, and the node as configured when they were registered. */
    private record NodeMeters(NodeSpec spec, List<Meter> gauges) {
    }

    private record RequestKey(int node, int type, int outcome, String reason) {
    }

    private record HeldKey(String reason, int type) {
    }

    private DialBalancerMetrics(Builder builder) {
        this.registry = builder.registry;
        this.configVersion = builder.configVersion;
        this.commonTags = builder.tags;
        for (int type = 0; type < TYPES.length; type++) {
            for (int outcome = 0; outcome < OUTCOMES.length; outcome++) {
                durations[type * OUTCOMES.length + outcome] = Timer.builder(REQUESTS_DURATION)
                        .description("Time from dial to the request's outcome")
                        .tags(commonTags).tag("type", TYPES[type]).tag("outcome", OUTCOMES[outcome])
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry);
            }
        }
    }

    /** Starts metrics for the given registry. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** Adds these metrics to a balancer builder as its observer; returns the builder. Then {@link #bind} the balancer. */
    public DialBalancer.Builder install(DialBalancer.Builder builder) {
        return builder.observer(this);
    }

    /**
     * Registers the gauges reading the balancer and listens to its cluster events. Call it once, before
     * {@code start()}: events published before it are not counted (the links up are read from the snapshot).
     *
     * @throws IllegalStateException if already bound
     */
    public synchronized void bind(DialBalancer balancer) {
        Objects.requireNonNull(balancer, "balancer");
        if (this.balancer != null) {
            throw new IllegalStateException("these metrics are already bound to a balancer; use one instance per balancer");
        }
        this.balancer = balancer;
        syncNodes(balancer.snapshot());
        for (ClusterHealth.Status status : ClusterHealth.Status.values()) {
            Gauge.builder(HEALTH_STATUS, balancer, b -> b.health().status() == status ? 1 : 0)
                    .description("1 for the balancer's overall health status (UP, DEGRADED, DOWN), 0 for the others")
                    .tags(commonTags).tag("status", status.name()).register(registry);
        }
        Gauge.builder(PRIME_ACTIVE, balancer, b -> b.snapshot().isPrimeActive() ? 1 : 0)
                .description("1 when the prime node is active, so requests can be dialed; 0 when every request is held")
                .tags(commonTags).register(registry);
        Gauge.builder(SNAPSHOT_VERSION, balancer, b -> b.snapshot().version())
                .description("Version of the newest cluster snapshot").tags(commonTags).register(registry);
        LongSupplier version = configVersion != null ? configVersion : balancer::configurationVersion;
        Gauge.builder(CONFIG_VERSION, version, LongSupplier::getAsLong)
                .description("Version of the configuration in force").tags(commonTags).strongReference(true).register(registry);
        balancer.addListener(this);
    }

    /**
     * Makes the per-node gauges those of the snapshot's nodes (the configuration in force): registers them for a node
     * that has none, removes them from the registry for a node no longer configured, and registers them anew for a
     * node whose endpoints changed (its new links start from the snapshot's state). Counters of a removed node stay:
     * they are its history.
     */
    private synchronized void syncNodes(ClusterSnapshot snapshot) {
        Map<NodeId, NodeSpec> configured = new LinkedHashMap<>();
        snapshot.topology().nodes().forEach(spec -> configured.put(spec.id(), spec));
        for (Iterator<Map.Entry<NodeId, NodeMeters>> it = nodeMeters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<NodeId, NodeMeters> entry = it.next();
            NodeSpec now = configured.get(entry.getKey());
            NodeSpec before = entry.getValue().spec();
            if (now == null || !now.primary().equals(before.primary()) || !now.backup().equals(before.backup())) {
                entry.getValue().gauges().forEach(registry::remove);
                upLinks.remove(entry.getKey());
                it.remove();
            }
        }
        for (NodeSpec spec : snapshot.topology().nodes()) {
            if (!nodeMeters.containsKey(spec.id())) {
                nodeMeters.put(spec.id(), new NodeMeters(spec, registerNodeGauges(balancer, spec)));
                NodeStatus status = snapshot.status(spec.id());
                for (LinkRole role : LinkRole.values()) {
                    if (status.isUp(role)) {
                        upLinks.computeIfAbsent(spec.id(), ignored -> EnumSet.noneOf(LinkRole.class)).add(role);
                    }
                }
            }
        }
    }

    private List<Meter> registerNodeGauges(DialBalancer balancer, NodeSpec spec) {
        NodeId id = spec.id();
        Tags node = commonTags.and("node", Integer.toString(id.dbid()));
        List<Meter> gauges = new ArrayList<>();
        for (String state : List.of("active", "inactive", "draining")) {
            gauges.add(Gauge.builder(NODE_STATE, balancer, b -> state.equals(state(b.snapshot(), id)) ? 1 : 0)
                    .description("1 for the node's state (active, inactive, draining), 0 for the others")
                    .tags(node).tag("state", state).register(registry));
        }
        gauges.add(Gauge.builder(NODE_REQUESTS_PENDING, balancer,
                        b -> b.health().node(id).map(ClusterHealth.NodeHealth::requestsAwaitingReply).orElse(0))
                .description("Requests sent to the node that have no outcome yet (per node: both links together)")
                .tags(node).register(registry));
        gauges.add(Gauge.builder(NODE_CALLS_IN_PROGRESS, balancer, b -> b.callsInProgress(id))
                .description("Calls dialed on the node whose EventReleased has not come yet")
                .tags(node).register(registry));
        for (LinkRole role : LinkRole.values()) {
            if (spec.endpoint(role).isEmpty()) {
                continue;
            }
            Tags link = node.and("link", role.name().toLowerCase(Locale.ROOT));
            gauges.add(Gauge.builder(LINK_UP, balancer, b -> b.snapshot().status(id).isUp(role) ? 1 : 0)
                    .description("1 when the link is up").tags(link).register(registry));
            gauges.add(Gauge.builder(LINK_SERVING, balancer, b -> b.snapshot().servingLink(id).filter(role::equals).isPresent() ? 1 : 0)
                    .description("1 when the link serves the node (carries its requests), 0 otherwise")
                    .tags(link).register(registry));
        }
        return gauges;
    }

    private static String state(ClusterSnapshot snapshot, NodeId id) {
        if (snapshot.isDraining(id)) {
            return "draining";
        }
        return snapshot.isActive(id) ? "active" : "inactive";
    }

    @Override
    public void onOutcome(DialOutcome outcome, long nanosSinceDial) {
        int type = outcome.request() instanceof DialRequest.EngagingCall ? 1 : 0;
        int kind;
        int node;
        String reason;
        if (outcome instanceof DialOutcome.Dialed dialed) {
            // the common outcome: no key allocated once the node's counter of this type is cached
            Counter[] byType = dialedByNode.get(dialed.node());
            if (byType == null) {
                byType = dialedByNode.computeIfAbsent(dialed.node(), ignored -> new Counter[TYPES.length]);
            }
            Counter counter = byType[type];
            if (counter == null) {    // a race here only looks the same counter up twice
                counter = requestCounter(new RequestKey(dialed.node().dbid(), type, 0, NO_REASON));
                byType[type] = counter;
            }
            counter.increment();
            durations[type * OUTCOMES.length].record(nanosSinceDial, TimeUnit.NANOSECONDS);
            return;
        } else if (outcome instanceof DialOutcome.Held heldOutcome) {
            kind = 1;
            node = -1;
            reason = heldOutcome.reason().code();
            held.computeIfAbsent(new HeldKey(reason, type), key -> Counter.builder(REQUESTS_HELD)
                    .description("Requests held (refused before anything was sent), by reason")
                    .tags(commonTags).tag("reason", key.reason()).tag("type", TYPES[key.type()])
                    .register(registry)).increment();
        } else {
            DialOutcome.Failed failed = (DialOutcome.Failed) outcome;
            kind = 2;
            node = failed.node().map(NodeId::dbid).orElse(-1);
            reason = failed.reason().name();
        }
        requestCounter(new RequestKey(node, type, kind, reason)).increment();
        durations[type * OUTCOMES.length + kind].record(nanosSinceDial, TimeUnit.NANOSECONDS);
    }

    private Counter requestCounter(RequestKey key) {
        return requests.computeIfAbsent(key, ignored -> Counter.builder(REQUESTS)
                .description("Requests ended, by the node they were dialed on or meant for, type, outcome and reason")
                .tags(commonTags).tag("node", key.node() < 0 ? NO_NODE : Integer.toString(key.node()))
                .tag("type", TYPES[key.type()]).tag("outcome", OUTCOMES[key.outcome()]).tag("reason", key.reason())
                .register(registry));
    }

    @Override
    public void onClusterEvent(ClusterEvent event) {
        registry.counter(CLUSTER_EVENTS, commonTags.and("event", event.getClass().getSimpleName())).increment();
        if (event instanceof ClusterEvent.NodeActivated activated) {
            connected(activated.node(), activated.via());
        } else if (event instanceof ClusterEvent.RedundancyRestored restored) {
            connected(restored.node(), restored.restored());
        } else if (event instanceof ClusterEvent.LinkSwitched switched) {
            registry.counter(LINK_SWITCHOVERS, commonTags.and("node", dbid(switched.node()), "from", role(switched.from()),
                    "to", role(switched.to()))).increment();
        } else if (event instanceof ClusterEvent.RedundancyLost lost) {
            disconnected(lost.node(), lost.lost(), lost.reason());
        } else if (event instanceof ClusterEvent.NodeDeactivated deactivated) {
            for (LinkRole last : linksUp(deactivated.node())) {    // normally the serving one; every link still up if more
                disconnected(deactivated.node(), last, lastError(deactivated.node(), last));
            }
        } else if (event instanceof ClusterEvent.ConfigurationApplied) {
            DialBalancer current = balancer;
            if (current != null) {
                syncNodes(current.snapshot());
            }
        }
        // other events (drain, enable, dialing suspended/resumed, and any added later) are counted above only
    }

    private synchronized List<LinkRole> linksUp(NodeId node) {
        EnumSet<LinkRole> up = upLinks.remove(node);
        return up == null ? List.of() : List.copyOf(up);
    }

    private String lastError(NodeId node, LinkRole role) {
        DialBalancer current = balancer;
        if (current == null) {
            return "";
        }
        Optional<ClusterHealth.NodeHealth> health = current.health().node(node);
        return health.flatMap(h -> role == LinkRole.PRIMARY ? Optional.of(h.primary()) : h.backup())
                .map(ClusterHealth.LinkHealth::lastError).orElse("");
    }

    private void connected(NodeId node, LinkRole link) {
        synchronized (this) {
            upLinks.computeIfAbsent(node, ignored -> EnumSet.noneOf(LinkRole.class)).add(link);
        }
        registry.counter(LINK_CONNECTS, commonTags.and("node", dbid(node), "link", role(link))).increment();
    }

    private void disconnected(NodeId node, LinkRole link, String reason) {
        synchronized (this) {
            EnumSet<LinkRole> up = upLinks.get(node);
            if (up != null) {
                up.remove(link);
            }
        }
        registry.counter(LINK_DISCONNECTS, commonTags.and("node", dbid(node), "link", role(link),
                "reason", LinkDownReason.classify(reason).name())).increment();
    }

    private static String dbid(NodeId node) {
        return Integer.toString(node.dbid());
    }

    private static String role(LinkRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    /** Options of the metrics. */
    public static final class Builder {
        private final MeterRegistry registry;
        private LongSupplier configVersion;
        private Tags tags = Tags.empty();

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Where {@link DialBalancerMetrics#CONFIG_VERSION} reads the configuration version from; by default the bound
         * balancer's {@code configurationVersion()} (1 at start, one more per applied reload).
         */
        public Builder configVersion(LongSupplier value) {
            this.configVersion = Objects.requireNonNull(value, "configVersion");
            return this;
        }

        /** Tags added to every meter, for example {@code balancer=outbound-1} when a host runs several balancers. */
        public Builder tags(String... keyValues) {
            this.tags = Tags.of(keyValues);
            return this;
        }

        /** Builds the metrics and registers the request timers; then {@code install} and {@code bind}. */
        public DialBalancerMetrics build() {
            return new DialBalancerMetrics(this);
        }
    }
}
