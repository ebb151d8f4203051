package org.dialbalance.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
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
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.registry.NodeRegistry;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.Transport;
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
 *
 * <p>Reconfiguration ({@link #reconfigure}) changes the members under the same lock, in one step: kept nodes keep
 * their connections; a removed node (or the old connection of a node whose endpoints changed) <em>retires</em>: it
 * leaves the topology, so no new request goes to it, drains like a drained node, stops reconnecting, and its links
 * close once nothing is in progress on it. The member maps are replaced, never changed in place, so the dispatcher
 * reads them without the lock.
 */
final class ClusterConnections implements NodeConnection.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConnections.class);

    private static final Duration MAX_PRIMARY_HEAD_START = Duration.ofSeconds(1);
    private static final String EVENT_RELEASED = "EventReleased";

    /** A configured node: its connection and what is in progress on it. */
    record Member(NodeConnection connection, NodeLoad load) {
        /** The link that serves the node now, or {@code null}. Safe from any thread. */
        Link servingLink() {
            return connection.servingLink();
        }
    }

    private final Object lock = new Object();
    private final NodeRegistry registry;
    private final ListenerBus bus;
    private final Transport transport;
    private final Scheduler scheduler;
    private final Duration primaryHeadStart;
    private final int maxCallsInProgress;
    /** The configured nodes in configured order; replaced (under the lock), never changed, so readable without it. */
    private volatile Map<NodeId, Member> members;
    /** The load of every connection, configured or retiring. Guarded by the lock. */
    private final Map<NodeConnection, NodeLoad> loadOf = new IdentityHashMap<>();
    /** Retiring connections by their load, until their drain finishes. Guarded by the lock. */
    private final Map<NodeLoad, NodeConnection> retiring = new IdentityHashMap<>();
    /** Retired connections whose drain finished, to stop once the lock is released. Guarded by the lock. */
    private final List<NodeConnection> toStop = new ArrayList<>();
    private volatile NodeId prime;
    private Duration reconnectTimeout;
    private boolean started;
    private final Set<String> monitoredDns = new LinkedHashSet<>();
    /** What the installed policies see (loads by node index, feedback); replaced with them. Guarded by the lock. */
    private PolicyHost host;
    private Link primeRegisteredOn;

    ClusterConnections(BalancerConfig config, Plugins plugins, Scheduler scheduler, ListenerBus bus) {
        this.registry = plugins.registry();
        this.bus = bus;
        this.transport = plugins.transport();
        this.scheduler = scheduler;
        this.primaryHeadStart = primaryHeadStart(config.connectTimeout());
        this.maxCallsInProgress = config.maxCallsInProgress();
        this.reconnectTimeout = config.reconnectTimeout();
        this.prime = config.topology().prime();
        Map<NodeId, Member> initial = new LinkedHashMap<>();
        for (NodeSpec spec : config.topology().nodes()) {
            initial.put(spec.id(), newMember(spec, config.nodeOptions(config.topology().indexOf(spec.id())).maxCalls()));
        }
        this.members = Collections.unmodifiableMap(initial);
        monitoredDns.addAll(config.monitoredDns());
        this.host = plugins.host();
        host.bindLoads(loadsInOrder(members));
    }

    /** The loads of the members, in configured order: what policies of that configuration see by node index. */
    private static NodeLoad[] loadsInOrder(Map<NodeId, Member> members) {
        return members.values().stream().map(Member::load).toArray(NodeLoad[]::new);
    }

    private Member newMember(NodeSpec spec, int maxCalls) {
        NodeConnection connection = new NodeConnection(spec, spec.id().equals(prime), transport, scheduler, reconnectTimeout,
                primaryHeadStart, lock, this);
        NodeLoad load = new NodeLoad(spec.id(), maxCallsInProgress, maxCalls);
        loadOf.put(connection, load);
        return new Member(connection, load);
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

    /** A configured node, or {@code null} if it is not (any more) configured. Lock-free. */
    Member member(NodeId node) {
        return members.get(node);
    }

    /** The cluster lock: routing takes it only to read a snapshot and the policies of one configuration together. */
    Object lock() {
        return lock;
    }

    void start() {
        Collection<Member> all;
        synchronized (lock) {
            started = true;
            all = members.values();
        }
        all.forEach(member -> member.connection().start());
    }

    /**
     * A request is about to be written to a node: it counts as awaiting a reply there until its outcome, and a
     * {@code Dialed} outcome on that node leaves a call in progress until its EventReleased.
     *
     * @return whether it may be written: not when the node's drain has already finished (a request routed on
     *         a snapshot taken just before the drain began), nor when the node has its {@code max-calls} in progress
     */
    NodeLoad.Admission awaitingReply(Member member, CompletableFuture<DialOutcome> outcome) {
        NodeLoad load = member.load();
        NodeLoad.Admission admission = load.sent();
        if (admission != NodeLoad.Admission.SENT) {
            return admission;
        }
        outcome.whenComplete((result, error) -> {
            if (load.ended(result) && load.draining()) {
                synchronized (lock) {
                    finishDrainIfIdle(load);
                }
                afterLock();
            }
        });
        return admission;
    }

    /** Whether every active node of the snapshot has its {@code max-calls} in progress. */
    boolean allAtCapacity(ClusterSnapshot snapshot) {
        Map<NodeId, Member> current = members;
        for (int n = 0; n < snapshot.activeCount(); n++) {
            Member member = current.get(snapshot.topology().node(snapshot.activeIndex(n)).id());
            // a node that left the configuration since takes nothing new: as good as full
            if (member != null && !member.load().atCapacity()) {
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
        afterLock();
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

    /**
     * Queues {@code DrainFinished} if the node's drain has just finished, and marks a retiring connection whose drain
     * has finished to be stopped once the lock is released. Call under the lock.
     */
    private void finishDrainIfIdle(NodeLoad load) {
        if (load.finishDrainIfIdle()) {
            long version = registry.snapshot().version();
            LOG.info("Node {} drained: no request awaits a reply and no call is in progress on it", load.node());
            bus.enqueue(new ClusterEvent.DrainFinished(version, load.node()));
        }
        if (load.drained()) {
            NodeConnection retired = retiring.remove(load);
            if (retired != null) {
                LOG.info("Node {} ({}) left the configuration and has drained: closing its links", load.node(),
                        retired.spec().primary());
                loadOf.remove(retired);
                toStop.add(retired);
            }
        }
    }

    /** Stops the retired connections whose drain finished, then delivers the queued events. Call without the lock. */
    private void afterLock() {
        List<NodeConnection> stopping;
        synchronized (lock) {
            if (toStop.isEmpty()) {
                stopping = List.of();
            } else {
                stopping = List.copyOf(toStop);
                toStop.clear();
            }
        }
        stopping.forEach(NodeConnection::stop);
        bus.deliver();
    }

    private NodeLoad load(NodeId node) {
        Member member = members.get(Objects.requireNonNull(node, "node"));
        if (member == null) {
            throw new IllegalArgumentException("node " + node + " is not a configured node (configured: "
                    + members.keySet().stream().map(NodeId::toString).collect(Collectors.joining(", ")) + ")");
        }
        return member.load();
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
            for (Member member : members.values()) {
                NodeConnection connection = member.connection();
                NodeId id = connection.spec().id();
                NodeStatus status = snapshot.status(id);
                NodeLoad load = member.load();
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
        List<NodeConnection> all = new ArrayList<>();
        synchronized (lock) {
            started = false;
            members.values().forEach(member -> all.add(member.connection()));
            all.addAll(retiring.values());
            all.addAll(toStop);
            toStop.clear();
        }
        all.forEach(NodeConnection::stop);
    }

    /**
     * Applies a new configuration's cluster in one step under the lock, with the policies ({@code installPolicies} runs
     * under the same lock, right after the new snapshot is in the registry), so that no request is routed on one
     * configuration's snapshot with the other's policies.
     *
     * <ol>
     *   <li>The registry takes the new topology (only if it changed; a registry that cannot fails here, before anything
     *       else changed).</li>
     *   <li>Kept nodes (same DBID, same primary and backup endpoints) keep their connections and links, and take their
     *       new name, whether they are the prime, and the new {@code reconnect-timeout} (for the next retry).</li>
     *   <li>Added nodes, and nodes whose endpoints changed, get new connections, which start connecting once the lock is
     *       released (they are inactive until a link is up). A node an operator drains stays draining.</li>
     *   <li>A kept node keeps its {@link NodeLoad}: its calls in progress and requests awaiting replies go on counting,
     *       and its new {@code max-calls} applies from now on (lowered below its load, it takes nothing new until its
     *       load is under it). An added node, or a node's new connection, starts with nothing in progress.</li>
     *   <li>The members are replaced, the policies' view of the loads is bound to the new configured order
     *       ({@code nextHost}), then the policies are installed.</li>
     *   <li>Removed nodes, and the old connections of nodes whose endpoints changed, retire: not the prime, no
     *       reconnecting, {@code DrainStarted} (unless already draining); their links close once nothing is in progress
     *       on them ({@code DrainFinished}).</li>
     *   <li>A new prime (or the prime's new connection) takes the DN registrations: every monitored DN is registered on
     *       its serving link now if it has one (else when it comes up), and DN-level events are taken from it only.
     *       {@code DialingSuspended} or {@code DialingResumed} if the prime's activity changed.</li>
     *   <li>Monitored DNs added by the new configuration are registered on the prime's serving link; removed ones are no
     *       longer registered on later serving links.</li>
     *   <li>{@code ConfigurationApplied}.</li>
     * </ol>
     *
     * @return the newest snapshot once applied
     * @throws UnsupportedOperationException if the topology changed and the registry cannot change its topology
     *                                       (nothing is applied then)
     */
    ClusterSnapshot reconfigure(BalancerConfig before, BalancerConfig next, PolicyHost nextHost, Runnable installPolicies,
                                long configurationVersion, String summary) {
        List<NodeConnection> starting = new ArrayList<>();
        ClusterSnapshot snapshot;
        synchronized (lock) {
            ClusterSnapshot previous = registry.snapshot();
            ClusterTopology topology = next.topology();
            // first, so that a registry that cannot change its topology fails before anything has changed
            snapshot = previous.topology().equals(topology) ? previous : registry.replaceTopology(topology);
            Map<NodeId, Member> old = members;
            Member oldPrime = old.get(prime);
            prime = topology.prime();
            reconnectTimeout = next.reconnectTimeout();
            Map<NodeId, Member> updated = new LinkedHashMap<>();
            for (int index = 0; index < topology.size(); index++) {
                NodeSpec spec = topology.node(index);
                int maxCalls = next.nodeOptions(index).maxCalls();
                Member kept = old.get(spec.id());
                if (kept != null && spec.primary().equals(kept.connection().spec().primary())
                        && spec.backup().equals(kept.connection().spec().backup())) {
                    kept.connection().reconfigure(spec, spec.id().equals(prime), reconnectTimeout);
                    kept.load().capacity(maxCalls);
                    updated.put(spec.id(), kept);
                } else {
                    Member added = newMember(spec, maxCalls);
                    if (kept != null && kept.load().draining()) {
                        added.load().startDraining();
                    }
                    updated.put(spec.id(), added);
                    starting.add(added.connection());
                }
            }
            // a request routed on the old snapshot to a node that left finds no member, so it is routed once more
            members = Collections.unmodifiableMap(updated);
            nextHost.bindLoads(loadsInOrder(members));
            host = nextHost;
            installPolicies.run();
            for (Member member : old.values()) {
                if (updated.get(member.connection().spec().id()) != member) {
                    retire(member, snapshot.version());
                }
            }
            for (Member member : updated.values()) {
                if (!old.containsValue(member) && member.load().draining()) {
                    finishDrainIfIdle(member.load());
                }
            }
            Set<String> removedDns = new LinkedHashSet<>(before.monitoredDns());
            removedDns.removeAll(next.monitoredDns());
            monitoredDns.removeAll(removedDns);
            List<String> addedDns = new ArrayList<>();
            for (String dn : next.monitoredDns()) {
                if (monitoredDns.add(dn)) {
                    addedDns.add(dn);
                }
            }
            Member newPrime = updated.get(prime);
            if (newPrime != oldPrime) {
                movePrime(previous, snapshot, newPrime);
            } else if (primeRegisteredOn != null) {
                addedDns.forEach(dn -> register(primeRegisteredOn, dn));
            }
            bus.enqueue(new ClusterEvent.ConfigurationApplied(snapshot.version(), configurationVersion, summary));
            if (!started) {
                starting.clear();
            }
        }
        starting.forEach(NodeConnection::start);
        afterLock();
        return snapshot;
    }

    /** A removed node (or a node's old connection) leaves: it drains, then its links close. Call under the lock. */
    private void retire(Member member, long version) {
        NodeConnection connection = member.connection();
        NodeLoad load = member.load();
        connection.retire();
        retiring.put(load, connection);
        if (load.startDraining()) {
            LOG.info("Node {} ({}) left the configuration: no new request goes to it from snapshot v{}; {} requests awaiting"
                    + " replies and {} calls in progress on it go on, then its links close", load.node(),
                    connection.spec().primary(), version, load.requestsAwaitingReply(), load.callsInProgress());
            bus.enqueue(new ClusterEvent.DrainStarted(version, load.node()));
        }
        finishDrainIfIdle(load);
    }

    /** The prime changed: DN registrations move to the new prime's serving link, dialing follows its activity. */
    private void movePrime(ClusterSnapshot previous, ClusterSnapshot snapshot, Member newPrime) {
        Link serving = newPrime.servingLink();
        primeRegisteredOn = serving;
        if (serving != null) {
            for (String dn : monitoredDns) {
                register(serving, dn);
            }
        }
        NodeId id = newPrime.connection().spec().id();
        LOG.info("The prime node is now {}: DN registrations {} and DN-level events are taken from it only", id,
                serving == null ? "follow once a link of it is up" : "moved to its " + serving.target().role() + " link");
        if (previous.isPrimeActive() && !snapshot.isPrimeActive()) {
            String detail = "the new prime node " + id + " has no link up yet; every request is held with PRIME_NODE_DOWN"
                    + " until it has";
            LOG.warn("Dialing suspended: {}", detail);
            bus.enqueue(new ClusterEvent.DialingSuspended(snapshot.version(), id, detail));
        } else if (!previous.isPrimeActive() && snapshot.isPrimeActive()) {
            LOG.info("The new prime node {} is active: dialing enabled", id);
            bus.enqueue(new ClusterEvent.DialingResumed(snapshot.version(), id, snapshot.servingLink(id).orElseThrow()));
        }
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
        if (node.isRetired()) {
            // no longer in the topology: it changes no snapshot; losing both links forgets its calls, which may end its drain
            NodeLoad load = loadOf.get(node);
            if (load != null && !after.isActive()) {
                load.forgetCalls();
                finishDrainIfIdle(load);
            }
            return;
        }
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
            NodeLoad load = loadOf.get(node);
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
        afterLock();
    }

    @Override
    public void telephonyEvent(NodeConnection node, Object attempt, TelephonyEvent event) {
        if (EVENT_RELEASED.equals(event.name()) && !event.connId().isEmpty()) {
            // either link, either scope: a call dialed on the primary may be released through the backup
            NodeLoad load = loadOf.get(node);
            if (load != null && load.released(event.connId())) {
                finishDrainIfIdle(load);
                host.released(load.node());
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
