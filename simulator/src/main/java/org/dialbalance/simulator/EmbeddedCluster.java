package org.dialbalance.simulator;

import java.util.List;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.simcluster.ReceivedRequest;
import org.dialbalance.simcluster.SimulatedCluster;
import org.dialbalance.simcluster.SimulatedServer;

/** The simulated SIP cluster of the test harness, as the simulator drives it. */
final class EmbeddedCluster implements ClusterUnderTest {

    private final SimulatedCluster cluster;

    private EmbeddedCluster(SimulatedCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts one server application per node and role of the scenario, on loopback. */
    static EmbeddedCluster start(Scenario scenario) {
        SimulatedCluster.Builder builder = SimulatedCluster.builder().seed(scenario.seed());
        scenario.nodes().forEach(node -> builder.node(node.id().dbid(), node.backup()));
        SimulatedCluster cluster = builder.build();
        cluster.servers().forEach(server -> server.talkTime(scenario.talkTime()));    // zero: answered calls never end
        return new EmbeddedCluster(cluster);
    }

    @Override
    public List<NodeSpec> nodeSpecs() {
        return cluster.nodeSpecs();
    }

    @Override
    public void apply(Fault fault) {
        if (fault.action().onBalancer()) {
            throw new IllegalArgumentException("'" + fault.text() + "' acts on the balancer, not on the cluster");
        }
        for (LinkRole role : fault.roles()) {
            if (role == LinkRole.BACKUP && cluster.nodeSpecs().stream()
                    .noneMatch(spec -> spec.id().equals(fault.node()) && spec.backup().isPresent())) {
                continue;    // "both" on a node without backup means its primary
            }
            SimulatedServer server = cluster.server(fault.node(), role);
            switch (fault.action()) {
                case KILL -> server.kill();
                case RESTART -> server.restart();
                case BLACKHOLE -> server.blackhole(true);
                case HEAL -> server.blackhole(false);
                case REJECT -> server.reject(true);
                case ACCEPT -> server.reject(false);
                case LATENCY -> server.latency(fault.latency());
                case DRAIN, ENABLE -> throw new AssertionError("refused above");
            }
        }
    }

    @Override
    public boolean reachable(NodeId node, LinkRole role) {
        if (role == LinkRole.BACKUP && cluster.nodeSpecs().stream().noneMatch(spec -> spec.id().equals(node) && spec.backup().isPresent())) {
            return false;
        }
        SimulatedServer server = cluster.server(node, role);
        return server.isRunning() && !server.isBlackholed();
    }

    @Override
    public List<ServerRecord> received() {
        return cluster.received().stream().map(request -> new ServerRecord(request.node(), request.role(),
                request.userData().getOrDefault(SimulationRunner.REQUEST_ID, ""), request.engaging(),
                request.userData().getOrDefault(DialersRunner.DIALER, ""), fencing(request))).toList();
    }

    private static Fencing fencing(ReceivedRequest request) {
        String group = request.extensions().get(GroupOwnership.CAMPAIGN_GROUP_KEY);
        String token = request.extensions().get(GroupOwnership.FENCING_TOKEN_KEY);
        if (group == null || token == null) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(token);
        } catch (NumberFormatException e) {
            value = -1;
        }
        return new Fencing(group, value, request.fenced());
    }

    @Override
    public List<Registration> registrations() {
        return cluster.registrations().stream().map(registration -> new Registration(registration.node(), registration.role(),
                registration.dn())).toList();
    }

    @Override
    public void publishDnEvents() {
        cluster.publishDnEvents();
    }

    @Override
    public void close() {
        cluster.close();
    }

}
