package org.dialbalance.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.registry.NodeRegistry;
import org.dialbalance.api.transport.Link;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections to every node of the cluster. Turns link changes into registry snapshots and
 * cluster events, registers monitored DNs on the prime node's serving link (again after every change
 * of that link), and passes DN-level events on only from that link.
 *
 * <p>It also keeps what each node has in progress ({@link NodeLoad}: requests awaiting replies, calls not yet
 * released), drains nodes and puts them back on an operator's word, and answers {@link #health}.
 *
 * <p>Events are queued under the cluster lock, in the order of the changes, and delivered to listeners by
 * {@link ListenerBus} after the lock is released, so a slow listener never holds up a state change.
 */
final class ClusterConnections implements NodeConnection.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConnections.class);

    private static final Duration MAX_PRIMARY_HEAD_START = Duration.ofSeconds(1);
    private static final String EVENT_RELEASED = "EventReleased";

    private final Object lock = new Object();
    private final NodeRegistry registry;
    private final ListenerBus bus;
    private final Map<NodeId, NodeConnection> nodes = new LinkedHashMap<>();
    private final Map<NodeId, NodeLoad> loads = new LinkedHashMap<>();
    private final NodeId prime;
    private final Set<String> monitoredDns = new LinkedHashSet<>();
    private final PolicyHost host;
    private final Map<NodeId, Integer> indexes = new LinkedHashMap<>();
    private Link primeRegisteredOn;

    ClusterConnections(BalancerConfig config, Plugins plugins, Scheduler scheduler, ListenerBus bus) {
        this.registry = plugins.registry();
        this.bus = bus;
        this.prime = config.topology().prime();
        for (NodeSpec spec : config.topology().nodes()) {
            nodes.put(spec.id(), new NodeConnection(spec, spec.id().equals(prime), plugins.transport(), scheduler,
                    config.reconnectTimeout(), primaryHeadStart(config.connectTimeout()), lock, this));
            int index = config.topology().indexOf(spec.id());
            indexes.put(spec.id(), index);
            loads.put(spec.id(), new NodeLoad(spec.id(), config.maxCallsInProgress(), config.nodeOptions(index).maxCalls()));
        }
        monitoredDns.addAll(config.monitoredDns());
        this.host = plugins.host();
        host.bindLoads(loads.values().toArray(new NodeLoad[0]));
    }

    /**
     * How long, at start, a node's backup waits for its primary's first connection attempt before it may
     * serve: a quarter of {@code connect-timeout}, at most one second. Long enough for a healthy primary
     * to register first; short enough that a primary that accepts the connection but never registers the
     * client does not hold the node (and, for the prime, all dialing) for its whole connect-timeout.
     */
    static Duration primaryHeadStart(Duration connectTimeout) {
        Duration quarter = connectTimeout.dividedBy(4);
        return quarter.compareTo(MAX_PRIMARY_HEAD_START) < 0 ? quarter : MAX_PRIMARY_HEAD_START;
    }

    ClusterSnapshot snapshot() {
        return registry.snapshot();
    }

    /** The serving link of a node, or {@code null} if it has none now. */
    Link servingLink(NodeId node) {
        NodeConnection connection = nodes.get(node);
        return connection == null ? null : connection.servingLink();
    }

    void start() {
        nodes.values().forEach(NodeConnection::start);
    }

    /**
     * A request is about to be written to a node: it counts as awaiting a reply there until its outcome, and a
     * {@code Dialed} outcome on that node leaves a call in progress until its EventReleased.
     *
     * @return whether it may be written: not when the node's drain has already finished (a request routed on
     *         a snapshot taken just before the drain began), nor when the node has its {@code max-calls} in progress
     */
    NodeLoad.Admission awaitingReply(NodeId node, CompletableFuture<DialOutcome> outcome) {
        NodeLoad load = loads.get(node);
        NodeLoad.Admission admission = load.sent();
        if (admission != NodeLoad.Admission.SENT) {
            return admission;
        }
        outcome.whenComplete((result, error) -> {
            if (load.ended(result) && load.draining()) {
                synchronized (lock) {
                    finishDrainIfIdle(load);
                }
                bus.deliver();
            }
        });
        return admission;
    }

    /** Whether every active node of the snapshot has its {@code max-calls} in progress. */
    boolean allAtCapacity(ClusterSnapshot snapshot) {
        for (int n = 0; n < snapshot.activeCount(); n++) {
            NodeLoad load = loads.get(snapshot.topology().node(snapshot.activeIndex(n)).id());
            if ((long) load.callsInProgress() + load.requestsAwaitingReply() < load.capacity()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Calls in progress on a node: dialed, not yet released. A lock-free, allocation-free read.
     *
     * @throws IllegalArgumentException if the node is not configured
     */
    int callsInProgress(NodeId node) {
        return load(node).callsInProgress();
    }

    /**
     * Takes a node out of the rotation: a new snapshot shows it draining (so not active to policies), then
     * {@code DrainStarted}, and {@code DrainFinished} once nothing is in progress on it (at once if nothing is).
     * Idempotent.
     *
     * @throws IllegalArgumentException if the node is not configured, or is the prime
     */
    void drain(NodeId node) {
        NodeLoad load = load(node);
        if (node.equals(prime)) {
            throw new IllegalArgumentException("node " + node + " is the prime node (sip-cluster-prime-node) and cannot be"
                    + " drained: it carries the DN-level events, and without it every request is held with PRIME_NODE_DOWN;"
                    + " configure another prime node first");
        }
        synchronized (lock) {
            if (load.draining()) {
                return;
            }
            ClusterSnapshot snapshot = registry.updateDraining(node, true);
            load.startDraining();
            LOG.info("Draining node {}: no new request goes to it from snapshot v{}; {} requests awaiting replies and {}"
                    + " calls in progress on it go on", node, snapshot.version(), load.requestsAwaitingReply(),
                    load.callsInProgress());
            bus.enqueue(new ClusterEvent.DrainStarted(snapshot.version(), node));
            finishDrainIfIdle(load);
        }
        bus.deliver();
    }

    /**
     * Puts a draining (or drained) node back into the rotation: a new snapshot shows it not draining, then
     * {@code NodeEnabled}. Idempotent: a node that is not draining is left as it is, with no event.
     *
     * @throws IllegalArgumentException if the node is not configured
     */
    void enable(NodeId node) {
        NodeLoad load = load(node);
        synchronized (lock) {
            if (!load.stopDraining()) {
                return;
            }
            ClusterSnapshot snapshot = registry.updateDraining(node, false);
            LOG.info("Node {} enabled: back in the rotation from snapshot v{}", node, snapshot.version());
            bus.enqueue(new ClusterEvent.NodeEnabled(snapshot.version(), node));
        }
        bus.deliver();
    }

    /** Queues {@code DrainFinished} if the node's drain has just finished. Call under the lock. */
    private void finishDrainIfIdle(NodeLoad load) {
        if (load.finishDrainIfIdle()) {
            long version = registry.snapshot().version();
            LOG.info("Node {} drained: no request awaits a reply and no call is in progress on it", load.node());
            bus.enqueue(new ClusterEvent.DrainFinished(version, load.node()));
        }
    }

    private NodeLoad load(NodeId node) {
        NodeLoad load = loads.get(Objects.requireNonNull(node, "node"));
        if (load == null) {
            throw new IllegalArgumentException("node " + node + " is not a configured node (configured: "
                    + loads.keySet().stream().map(NodeId::toString).collect(Collectors.joining(", ")) + ")");
        }
        return load;
    }

    /**
     * The health of the cluster now: link states and draining flags from one snapshot, taken under the lock with
     * the links' last errors; counts read at the same time.
     *
     * @param notRunning why the balancer is not running, or {@code null} if it is
     */
    ClusterHealth health(String notRunning) {
        List<ClusterHealth.NodeHealth> health = new ArrayList<>();
        List<String> downs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ClusterSnapshot snapshot;
        synchronized (lock) {
            snapshot = registry.snapshot();
            for (NodeConnection connection : nodes.values()) {
                NodeId id = connection.spec().id();
                NodeStatus status = snapshot.status(id);
                NodeLoad load = loads.get(id);
                ClusterHealth.LinkHealth primaryLink = new ClusterHealth.LinkHealth(LinkRole.PRIMARY, status.primaryUp(),
                        connection.lastError(LinkRole.PRIMARY));
                Optional<ClusterHealth.LinkHealth> backupLink = connection.spec().backup().map(endpoint ->
                        new ClusterHealth.LinkHealth(LinkRole.BACKUP, status.backupUp(), connection.lastError(LinkRole.BACKUP)));
                ClusterHealth.NodeHealth node = new ClusterHealth.NodeHealth(id, connection.spec().name(), status.isActive(),
                        status.serving(), primaryLink, backupLink, load.requestsAwaitingReply(), load.callsInProgress(),
                        snapshot.isDraining(id), load.drained());
                health.add(node);
                describeProblems(node, downs, problems);
            }
        }
        if (notRunning != null) {
            downs.add(0, notRunning);
        }
        ClusterHealth.Status status;
        if (!downs.isEmpty()) {
            status = ClusterHealth.Status.DOWN;
        } else if (!problems.isEmpty()) {
            status = ClusterHealth.Status.DEGRADED;
        } else {
            status = ClusterHealth.Status.UP;
        }
        List<String> reasons = new ArrayList<>(downs);
        reasons.addAll(problems);
        String reason = reasons.isEmpty()
                ? "all " + health.size() + " nodes active with every configured link up, none draining"
                : String.join("; ", reasons);
        return new ClusterHealth(status, reason, snapshot.version(), prime, health);
    }

    /**
     * Adds what is wrong with a node: inactive (for the prime, a reason for DOWN), no redundancy, draining (the
     * others, reasons for DEGRADED).
     */
    private void describeProblems(ClusterHealth.NodeHealth node, List<String> downs, List<String> problems) {
        if (!node.active()) {
            String links = linkDetail(node.primary()) + node.backup().map(link -> ", " + linkDetail(link))
                    .orElse(", no backup configured");
            if (node.node().equals(prime)) {
                downs.add("prime node " + node.node() + " has no link up, so every request is held with PRIME_NODE_DOWN ("
                        + links + ")");
            } else {
                problems.add("node " + node.node() + " inactive: no link up (" + links + ")");
            }
        } else if (!node.redundant()) {
            ClusterHealth.LinkHealth down = node.primary().up() ? node.backup().orElseThrow() : node.primary();
            problems.add("node " + node.node() + " has no redundancy: " + linkDetail(down));
        }
        if (node.drained()) {
            problems.add("node " + node.node() + " drained (out of the rotation until enabled)");
        } else if (node.draining()) {
            problems.add("node " + node.node() + " draining: " + node.requestsAwaitingReply() + " requests awaiting replies, "
                    + node.callsInProgress() + " calls in progress");
        }
    }

    private static String linkDetail(ClusterHealth.LinkHealth link) {
        String role = link.role().name().toLowerCase(Locale.ROOT);
        if (link.up()) {
            return role + " up";
        }
        return role + " down" + (link.lastError().isEmpty() ? "" : ": " + link.lastError());
    }

    void stop() {
        nodes.values().forEach(NodeConnection::stop);
    }

    /** Adds a DN to monitor and registers it on the prime's serving link, if there is one now. */
    void monitor(String dn) {
        Link link;
        synchronized (lock) {
            if (!monitoredDns.add(dn)) {
                return;
            }
            link = primeRegisteredOn;
        }
        if (link != null) {
            register(link, dn);
        }
    }

    @Override
    public void statusChanged(NodeConnection node, NodeStatus before, NodeStatus after, Link serving) {
        ClusterSnapshot snapshot = registry.update(after);
        long version = snapshot.version();
        NodeId id = node.spec().id();
        if (!before.isActive() && after.isActive()) {
            LOG.info("Node {} active via its {} link (snapshot v{})", id, after.serving().orElseThrow(), version);
            bus.enqueue(new ClusterEvent.NodeActivated(version, id, after.serving().orElseThrow()));
            if (node.isPrime()) {
                LOG.info("Prime node {} is active: dialing enabled", id);
                bus.enqueue(new ClusterEvent.DialingResumed(version, id, after.serving().orElseThrow()));
            }
        } else if (before.isActive() && !after.isActive()) {
            LOG.warn("Node {} inactive: primary and backup links down (snapshot v{})", id, version);
            bus.enqueue(new ClusterEvent.NodeDeactivated(version, id));
            NodeLoad load = loads.get(id);
            int forgotten = load.forgetCalls();
            if (forgotten > 0) {
                LOG.warn("Node {} inactive: forgetting its {} calls in progress, whose EventReleased cannot reach this client"
                        + " any more", id, forgotten);
            }
            finishDrainIfIdle(load);
            if (node.isPrime()) {
                String detail = "prime node " + id + " lost both links; every request is held with PRIME_NODE_DOWN until it is back";
                LOG.warn("Dialing suspended: {}", detail);
                bus.enqueue(new ClusterEvent.DialingSuspended(version, id, detail));
            }
        } else if (!before.serving().equals(after.serving())) {
            LOG.warn("Node {} switched from its {} link to its {} link (snapshot v{})", id,
                    before.serving().orElseThrow(), after.serving().orElseThrow(), version);
            bus.enqueue(new ClusterEvent.LinkSwitched(version, id, before.serving().orElseThrow(), after.serving().orElseThrow()));
        }
        if (before.isActive() && after.isActive()) {
            boolean redundantBefore = before.primaryUp() && before.backupUp();
            boolean redundantAfter = after.primaryUp() && after.backupUp();
            if (redundantBefore && !redundantAfter) {
                LinkRole lost = after.primaryUp() ? LinkRole.BACKUP : LinkRole.PRIMARY;
                String reason = node.lastError(lost);
                LOG.warn("Node {} lost its {} link and has no redundancy left: {} (snapshot v{})", id, lost, reason, version);
                bus.enqueue(new ClusterEvent.RedundancyLost(version, id, lost, reason));
            } else if (!redundantBefore && redundantAfter) {
                LinkRole restored = before.primaryUp() ? LinkRole.BACKUP : LinkRole.PRIMARY;
                LOG.info("Node {} has both links up again ({} came up; snapshot v{})", id, restored, version);
                bus.enqueue(new ClusterEvent.RedundancyRestored(version, id, restored));
            }
        }
        if (node.isPrime() && serving != primeRegisteredOn) {
            primeRegisteredOn = serving;
            if (serving != null) {
                for (String dn : monitoredDns) {
                    register(serving, dn);
                }
            }
        }
    }

    @Override
    public void deliverEvents() {
        bus.deliver();
    }

    @Override
    public void telephonyEvent(NodeConnection node, Object attempt, TelephonyEvent event) {
        if (EVENT_RELEASED.equals(event.name()) && !event.connId().isEmpty()) {
            // either link, either scope: a call dialed on the primary may be released through the backup
            NodeLoad load = loads.get(node.spec().id());
            if (load.released(event.connId())) {
                finishDrainIfIdle(load);
                host.released(indexes.get(node.spec().id()));
            }
        }
        if (event.scope() == TelephonyEvent.Scope.DN && !(node.isPrime() && node.isServing(attempt))) {
            LOG.debug("Dropping DN-level {} for DN {} from node {} {}: DN-level events are taken from the prime's serving link only",
                    event.name(), event.thisDn(), event.node(), event.via());
            return;
        }
        bus.enqueue(event);
    }

    private static void register(Link link, String dn) {
        link.registerAddress(dn).whenComplete((result, error) -> {
            if (error != null) {
                LOG.warn("Registering DN {} on {} failed: {}", dn, link.target(), error.toString());
            } else if (!result.registered()) {
                LOG.warn("Registering DN {} on {} failed: {}", dn, link.target(), result.detail());
            } else {
                LOG.debug("DN {} registered on {}", dn, link.target());
            }
        });
    }
}
