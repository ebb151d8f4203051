package org.dialbalance.simcluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A simulated SIP Cluster on loopback: N nodes, each a primary and an optional backup
 * {@link SimulatedServer} with its own port, speaking the tserver protocol, so tests and the simulator
 * run the real client over real sockets. It records every request and registration each application
 * received, in arrival order, and lets a test wait for them without sleeping.
 *
 * <pre>{@code
 * try (SimulatedCluster cluster = SimulatedCluster.builder().node(101, true).node(102, true).build()) {
 *     config.nodes(cluster.nodeSpecs()) ...
 *     cluster.server(NodeId.of(101), LinkRole.PRIMARY).kill();
 * }
 * }</pre>
 */
public final class SimulatedCluster implements AutoCloseable {

    private final EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("dialbalance-simcluster", true));
    private final Map<NodeId, SimulatedServer[]> servers = new LinkedHashMap<>();
    private final List<ReceivedRequest> received = new ArrayList<>();
    private final List<ReceivedRegistration> registrations = new ArrayList<>();
    private final Map<String, Long> highestTokens = new java.util.HashMap<>();
    private long fencedRefusals;
    private final PortKind portKind;

    private SimulatedCluster(Builder builder) {
        this.portKind = builder.portKind;
        for (Map.Entry<Integer, Boolean> node : builder.nodes.entrySet()) {
            NodeId id = NodeId.of(node.getKey());
            SimulatedServer primary = new SimulatedServer(id, LinkRole.PRIMARY, this, group, builder.tls, builder.seed);
            SimulatedServer backup = node.getValue()
                    ? new SimulatedServer(id, LinkRole.BACKUP, this, group, builder.tls, builder.seed) : null;
            servers.put(id, new SimulatedServer[] {primary, backup});
        }
        try {
            servers.values().forEach(pair -> {
                pair[0].start();
                if (pair[1] != null) {
                    pair[1].start();
                }
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts describing a cluster. */
    public static Builder builder() {
        return new Builder();
    }

    /** The nodes in the order added, with the endpoints their applications listen on. */
    public List<NodeSpec> nodeSpecs() {
        List<NodeSpec> specs = new ArrayList<>();
        servers.forEach((id, pair) -> specs.add(new NodeSpec(id, "SIP_Node_" + id, endpoint(pair[0]),
                Optional.ofNullable(pair[1]).map(this::endpoint))));
        return specs;
    }

    private Endpoint endpoint(SimulatedServer server) {
        return new Endpoint("127.0.0.1", server.port(), portKind);
    }

    /**
     * One application.
     *
     * @throws IllegalArgumentException if the node has no such application
     */
    public SimulatedServer server(NodeId node, LinkRole role) {
        SimulatedServer[] pair = servers.get(node);
        SimulatedServer server = pair == null ? null : pair[role == LinkRole.PRIMARY ? 0 : 1];
        if (server == null) {
            throw new IllegalArgumentException("the simulated cluster has no " + role + " application for node " + node);
        }
        return server;
    }

    /** Every application, primaries and backups. */
    public List<SimulatedServer> servers() {
        List<SimulatedServer> all = new ArrayList<>();
        servers.values().forEach(pair -> {
            all.add(pair[0]);
            if (pair[1] != null) {
                all.add(pair[1]);
            }
        });
        return all;
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<ReceivedRequest> received() {
        return List.copyOf(received);
    }

    /** Every DN registration received so far, in arrival order. */
    public synchronized List<ReceivedRegistration> registrations() {
        return List.copyOf(registrations);
    }

    /** Forgets what was recorded. */
    public synchronized void clearRecords() {
        received.clear();
        registrations.clear();
    }

    /** Asks every application to publish a DN-level event for each DN registered on it. */
    public void publishDnEvents() {
        servers().forEach(SimulatedServer::publishDnEvents);
    }

    /**
     * Waits until {@code count} received requests match {@code which}.
     *
     * @return the matching requests
     * @throws AssertionError naming what arrived if they do not within {@code timeout}
     */
    public synchronized List<ReceivedRequest> awaitRequests(int count, Predicate<ReceivedRequest> which, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ReceivedRequest> matching = received.stream().filter(which).toList();
            if (matching.size() >= count) {
                return matching;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " matching requests within " + timeout + ", got "
                        + matching.size() + " (of " + received.size() + " received)");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until {@code count} registrations of a DN arrived at any application, returning them all. */
    public synchronized List<ReceivedRegistration> awaitRegistrations(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (registrations.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " registrations within " + timeout + ", got " + registrations);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(registrations);
    }

    /**
     * Fencing, as a server that guards against a former owner of a campaign group: remembers the highest fencing token
     * seen per group (over every node, as one cluster) and admits a request whose token is at least that high.
     *
     * @return the highest token seen before when the request is refused, or {@code -1} when it is admitted
     */
    synchronized long admitFenced(String campaignGroup, long token) {
        Long highest = highestTokens.get(campaignGroup);
        if (highest != null && token < highest) {
            fencedRefusals++;
            return highest;
        }
        highestTokens.put(campaignGroup, token);
        return -1;
    }

    /** The highest fencing token seen per campaign group (requests sent with {@code dialbalance-fencing-token}). */
    public synchronized Map<String, Long> highestFencingTokens() {
        return Map.copyOf(highestTokens);
    }

    /** How many requests were refused for a fencing token lower than one seen before for their campaign group. */
    public synchronized long fencedRefusals() {
        return fencedRefusals;
    }

    synchronized void recordRequest(NodeId node, LinkRole role, boolean engaging, long referenceId, String thisDn, String otherDn,
                                    Map<String, String> userData, Map<String, String> extensions, boolean fenced) {
        received.add(new ReceivedRequest(received.size(), node, role, engaging, referenceId, thisDn, otherDn, userData, extensions,
                fenced));
        notifyAll();
    }

    synchronized void recordRegistration(ReceivedRegistration registration) {
        registrations.add(registration);
        notifyAll();
    }

    /** Stops every application and the cluster's threads. */
    @Override
    public void close() {
        for (SimulatedServer server : servers()) {
            server.kill();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Describes a {@link SimulatedCluster}. */
    public static final class Builder {
        private final Map<Integer, Boolean> nodes = new LinkedHashMap<>();
        private long seed = 1;
        private SslContext tls;
        private PortKind portKind = PortKind.TC_PORT;

        private Builder() {
        }

        /** Adds a node by the DBID of its primary, with or without a backup application. */
        public Builder node(int dbid, boolean withBackup) {
            nodes.put(dbid, withBackup);
            return this;
        }

        /** Seeds the call outcomes the servers draw. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Serves TLS with this context (see {@code TlsContexts.server}). */
        public Builder tls(SslContext context) {
            this.tls = context;
            return this;
        }

        /** The port kind the node specs name. */
        public Builder portKind(PortKind value) {
            this.portKind = value;
            return this;
        }

        /** Starts every application. */
        public SimulatedCluster build() {
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("a simulated cluster needs at least one node");
            }
            return new SimulatedCluster(this);
        }
    }
}
