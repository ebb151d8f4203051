package org.dialbalance.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterSnapshot;
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
 * <p>Events are queued under the cluster lock, in the order of the changes, and delivered to listeners by
 * {@link ListenerBus} after the lock is released, so a slow listener never holds up a state change.
 */
final class ClusterConnections implements NodeConnection.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConnections.class);

    private static final Duration MAX_PRIMARY_HEAD_START = Duration.ofSeconds(1);

    private final Object lock = new Object();
    private final NodeRegistry registry;
    private final ListenerBus bus;
    private final Map<NodeId, NodeConnection> nodes = new LinkedHashMap<>();
    private final Set<String> monitoredDns = new LinkedHashSet<>();
    private Link primeRegisteredOn;

    ClusterConnections(BalancerConfig config, Plugins plugins, Scheduler scheduler, ListenerBus bus) {
        this.registry = plugins.registry();
        this.bus = bus;
        NodeId prime = config.topology().prime();
        for (NodeSpec spec : config.topology().nodes()) {
            nodes.put(spec.id(), new NodeConnection(spec, spec.id().equals(prime), plugins.transport(), scheduler,
                    config.reconnectTimeout(), primaryHeadStart(config.connectTimeout()), lock, this));
        }
        monitoredDns.addAll(config.monitoredDns());
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
