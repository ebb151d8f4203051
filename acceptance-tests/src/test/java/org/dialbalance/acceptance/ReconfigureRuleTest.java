package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.engaging;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.core.ReconfigureResult;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.junit.jupiter.api.Test;

/**
 * Operating: {@code DialBalancer.reconfigure} checks everything first and applies nothing when anything is wrong;
 * applied, it keeps unchanged nodes' links, drains removed nodes, never cancels or re-sends a request in flight,
 * carries the rotation on, moves DN registrations with the prime, moves ASM groups from the next request, and applies
 * at most one reload per second.
 */
class ReconfigureRuleTest {

    private static final CampaignGroup GROUP = regular("g");

    /** A configuration of nodes 101.. with the given DBIDs (each with a backup), prime 101, round-robin. */
    private static BalancerConfig.Builder nodes(int... dbids) {
        BalancerConfig.Builder builder = BalancerConfig.builder().primeNode(node(101)).lbMode("round-robin")
                .reconnectTimeout(InMemoryCluster.RECONNECT).requestTimeout(InMemoryCluster.REQUEST_TIMEOUT);
        for (int dbid : dbids) {
            builder.node(spec(dbid, "sip" + dbid + "a.test"));
        }
        return builder;
    }

    private static NodeSpec spec(int dbid, String primaryHost) {
        return NodeSpec.of(node(dbid), "node-" + dbid, new Endpoint(primaryHost, 5000, PortKind.TC_PORT),
                new Endpoint("sip" + dbid + "b.test", 5000, PortKind.SMART_PROXY));
    }

    private static ReconfigureResult.Applied applied(ReconfigureResult result) {
        assertThat(result).as("reconfigure result").isInstanceOf(ReconfigureResult.Applied.class);
        return (ReconfigureResult.Applied) result;
    }

    private static long connects(InMemoryTransport transport, int dbid) {
        return transport.connectAttempts().stream().filter(target -> target.node().equals(node(dbid))).count();
    }

    private static List<Integer> dialMany(OperatedCluster cluster, int count) {
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(cluster.dialed(predictive(GROUP, i)).node().dbid());
        }
        return nodes;
    }

    @Test
    void anInvalidConfigurationAppliesNothingAndListsEveryProblem() {
        try (OperatedCluster cluster = OperatedCluster.start(nodes(101, 102, 103))) {
            dialMany(cluster, 1);
            ClusterSnapshot before = cluster.balancer.snapshot();
            cluster.events.clear();

            ReconfigureResult result = cluster.balancer.reconfigure(nodes(101, 102).lbMode("round-robbin")
                    .requestTimeout(Duration.ofSeconds(7)).build());

            assertThat(result).isInstanceOf(ReconfigureResult.Refused.class);
            assertThat(((ReconfigureResult.Refused) result).problems()).extracting(problem -> problem.option())
                    .contains("sip-cluster-lb-mode", "request-timeout");
            assertThat(cluster.balancer.configurationVersion()).isEqualTo(1);
            assertThat(cluster.balancer.snapshot()).isSameAs(before);
            assertThat(cluster.balancer.config().topology().size()).isEqualTo(3);
            assertThat(cluster.events).isEmpty();
            assertThat(dialMany(cluster, 3)).as("the rotation is untouched").containsExactly(102, 103, 101);
        }
    }

    @Test
    void unchangedNodesKeepTheirLinksAndAnAddedNodeConnects() {
        try (OperatedCluster cluster = OperatedCluster.start(nodes(101, 102, 103))) {
            long[] before = {connects(cluster.transport, 101), connects(cluster.transport, 102), connects(cluster.transport, 103)};

            ReconfigureResult.Applied result = applied(cluster.balancer.reconfigure(nodes(101, 102, 103, 104).build()));

            assertThat(result.configurationVersion()).isEqualTo(2);
            assertThat(cluster.balancer.configurationVersion()).isEqualTo(2);
            assertThat(result.diff().changes()).hasSize(1);
            assertThat(new long[] {connects(cluster.transport, 101), connects(cluster.transport, 102),
                    connects(cluster.transport, 103)}).as("no reconnect of kept nodes").containsExactly(before);
            assertThat(connects(cluster.transport, 104)).as("primary and backup of the new node").isEqualTo(2);
            assertThat(cluster.balancer.snapshot().activeNodes()).containsExactly(node(101), node(102), node(103), node(104));
            assertThat(cluster.events(ClusterEvent.ConfigurationApplied.class)).singleElement()
                    .satisfies(event -> assertThat(event.configurationVersion()).isEqualTo(2));
            assertThat(dialMany(cluster, 4)).containsExactly(101, 102, 103, 104);
        }
    }

    @Test
    void aRemovedNodeDrainsItsRequestAndCallThenItsLinksClose() {
        try (OperatedCluster cluster = OperatedCluster.start(nodes(101, 102, 103))) {
            dialMany(cluster, 2);                                                            // 101, 102
            DialOutcome.Dialed call = cluster.dialed(predictive(GROUP, 2));               // 103: a call in progress
            assertThat(call.node()).isEqualTo(node(103));
            dialMany(cluster, 2);                                                            // 101, 102
            cluster.transport.replyMode(node(103), InMemoryTransport.ReplyMode.MANUAL);
            CompletableFuture<DialOutcome> awaiting = cluster.balancer.dial(predictive(GROUP, 99)).toCompletableFuture();
            assertThat(awaiting).as("awaiting its reply from 103").isNotDone();
            cluster.events.clear();

            applied(cluster.balancer.reconfigure(nodes(101, 102).build()));

            long version = cluster.balancer.snapshot().version();
            assertThat(cluster.events).startsWith(new ClusterEvent.DrainStarted(version, node(103)));
            assertThat(cluster.balancer.snapshot().topology().contains(node(103))).isFalse();
            assertThat(dialMany(cluster, 6)).containsOnly(101, 102);
            assertThat(awaiting).as("not cancelled by the reload").isNotDone();
            assertThat(cluster.transport.isConnected(node(103), LinkRole.PRIMARY)).as("kept while in progress").isTrue();

            cluster.transport.pending().get(0).accept();
            assertThat(awaiting.join()).isInstanceOfSatisfying(DialOutcome.Dialed.class,
                    dialed -> assertThat(dialed.node()).isEqualTo(node(103)));
            assertThat(cluster.transport.sent()).as("sent once, on 103 only")
                    .filteredOn(sent -> sent.request().equals(predictive(GROUP, 99))).singleElement()
                    .satisfies(sent -> assertThat(sent.node()).isEqualTo(node(103)));
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).as("two calls are in progress").isEmpty();

            cluster.release(call);
            cluster.release((DialOutcome.Dialed) awaiting.join());

            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).extracting(ClusterEvent.DrainFinished::node)
                    .containsExactly(node(103));
            assertThat(cluster.transport.isConnected(node(103), LinkRole.PRIMARY)).as("closed once drained").isFalse();
            assertThat(cluster.transport.isConnected(node(103), LinkRole.BACKUP)).isFalse();
            cluster.clock.advance(InMemoryCluster.RECONNECT.multipliedBy(3));
            assertThat(connects(cluster.transport, 103)).as("a removed node is never reconnected").isEqualTo(2);
        }
    }

    @Test
    void aRemovedNodeThatLosesItsLinksWhileDrainingIsNeverRetriedAndItsDrainEnds() {
        try (OperatedCluster cluster = OperatedCluster.start(nodes(101, 102, 103))) {
            dialMany(cluster, 2);                                                            // 101, 102
            assertThat(cluster.dialed(predictive(GROUP, 2)).node()).isEqualTo(node(103));  // a call in progress on 103
            cluster.down(103, LinkRole.BACKUP);                                             // its backup now retries
            long connectsBefore = connects(cluster.transport, 103);

            applied(cluster.balancer.reconfigure(nodes(101, 102).build()));
            cluster.clock.advance(InMemoryCluster.RECONNECT.multipliedBy(3));
            assertThat(connects(cluster.transport, 103)).as("the removed node's pending retry was cancelled")
                    .isEqualTo(connectsBefore);
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).as("its call is still in progress").isEmpty();

            long version = cluster.balancer.snapshot().version();
            cluster.down(103, LinkRole.PRIMARY);        // both links lost: its call cannot end on this dialer any more
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).extracting(ClusterEvent.DrainFinished::node)
                    .as("its calls are forgotten, which ends its drain").containsExactly(node(103));
            assertThat(cluster.balancer.snapshot().version()).as("a node out of the topology changes no snapshot")
                    .isEqualTo(version);
            cluster.clock.advance(InMemoryCluster.RECONNECT.multipliedBy(3));
            assertThat(connects(cluster.transport, 103)).as("and it is never reconnected").isEqualTo(connectsBefore);
        }
    }

    @Test
    void aNodeWhoseEndpointChangedIsRemovedAndAddedWhileTheOthersKeepTheirLinks() {
        try (OperatedCluster cluster = OperatedCluster.start(nodes(101, 102, 103))) {
            BalancerConfig moved = nodes(101).node(spec(102, "sip102-new.test")).node(spec(103, "sip103a.test")).build();

            ReconfigureResult.Applied result = applied(cluster.balancer.reconfigure(moved));

            assertThat(result.diff().summary()).contains("node 102 endpoints changed");
            List<LinkTarget> attempts = cluster.transport.connectAttempts();
            assertThat(attempts).filteredOn(target -> target.node().equals(node(102)) && target.role() == LinkRole.PRIMARY)
                    .extracting(target -> target.endpoint().host()).containsExactly("sip102a.test", "sip102-new.test");
            assertThat(connects(cluster.transport, 101)).isEqualTo(2);
            assertThat(connects(cluster.transport, 103)).isEqualTo(2);
            assertThat(cluster.events(ClusterEvent.DrainStarted.class)).extracting(ClusterEvent.DrainStarted::node)
                    .containsExactly(node(102));
            assertThat(cluster.events(ClusterEvent.DrainFinished.class)).extracting(ClusterEvent.DrainFinished::node)
                    .as("nothing was in progress on its old links").containsExactly(node(102));
            assertThat(cluster.balancer.snapshot().isActive(node(102))).as("its new links are up").isTrue();
            assertThat(dialMany(cluster, 3)).containsExactly(101, 102, 103);
        }
    }

    @Test
    void theRotationGoesOnFromTheNodeItLastChoseWhenTheTopologyChanges() {
        try (OperatedCluster cluster = OperatedCluster.start(nodes(101, 102, 103, 104))) {
            assertThat(dialMany(cluster, 2)).containsExactly(101, 102);

            applied(cluster.balancer.reconfigure(nodes(101, 102, 103, 104, 105).build()));
            assertThat(dialMany(cluster, 5)).as("after 102 comes 103, then the added node in its place")
                    .containsExactly(103, 104, 105, 101, 102);

            cluster.clock.advance(DialBalancer.RELOAD_INTERVAL);
            applied(cluster.balancer.reconfigure(nodes(101, 103, 104, 105).build()));
            assertThat(dialMany(cluster, 2)).as("the last chosen node (102) left: on after it")
                    .containsExactly(103, 104);

            cluster.clock.advance(DialBalancer.RELOAD_INTERVAL);
            applied(cluster.balancer.reconfigure(nodes(105, 104, 103, 101).build()));
            assertThat(dialMany(cluster, 4)).as("new order, on after 104").containsExactly(103, 101, 105, 104);
        }
    }

    @Test
    void aPrimeChangeMovesTheDnRegistrationsAndDnLevelEventsComeFromTheNewPrimeOnly() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin").monitorDn("7001"))) {
            cluster.transport.clearRecords();
            cluster.events.clear();

            ReconfigureResult result = cluster.balancer.reconfigure(config(3).lbMode("round-robin").monitorDn("7001")
                    .monitorDn("7002").primeNode(node(102)).build());

            applied(result);
            assertThat(cluster.transport.registrations()).containsExactly(
                    new InMemoryTransport.Registration(node(102), LinkRole.PRIMARY, "7001"),
                    new InMemoryTransport.Registration(node(102), LinkRole.PRIMARY, "7002"));
            assertThat(cluster.balancer.snapshot().prime()).isEqualTo(node(102));
            assertThat(cluster.events).as("dialing went on: no suspension")
                    .noneMatch(event -> event instanceof ClusterEvent.DialingSuspended);

            cluster.transport.emit(node(101), LinkRole.PRIMARY, TelephonyEvent.Scope.DN, "EventAgentReady", "7001");
            cluster.transport.emit(node(102), LinkRole.PRIMARY, TelephonyEvent.Scope.DN, "EventAgentReady", "7001");
            assertThat(cluster.telephonyEvents).extracting(TelephonyEvent::node).containsExactly(node(102));

            cluster.down(102);
            assertThat(cluster.dialNow(predictive(regular("g"), 1))).as("the new prime down holds everything")
                    .isInstanceOfSatisfying(DialOutcome.Held.class,
                            held -> assertThat(held.reason()).isEqualTo(HoldReason.PRIME_NODE_DOWN));
        }
    }

    @Test
    void anAsmDialNodeChangeAppliesFromTheNextRequest() {
        CampaignGroup seizing = CampaignGroup.of("Retention", DialingMode.PREDICTIVE_SEIZING, "AG_Retention", node(102));
        try (OperatedCluster cluster = OperatedCluster.start(nodes(101, 102, 103).campaignGroup(seizing))) {
            assertThat(cluster.dialed(engaging(seizing)).node()).isEqualTo(node(102));
            cluster.transport.replyMode(node(102), InMemoryTransport.ReplyMode.MANUAL);
            CompletableFuture<DialOutcome> inFlight = cluster.balancer.dial(engaging(seizing)).toCompletableFuture();

            CampaignGroup moved = CampaignGroup.of("Retention", DialingMode.PREDICTIVE_SEIZING, "AG_Retention", node(103));
            ReconfigureResult.Applied result = applied(cluster.balancer.reconfigure(nodes(101, 102, 103).campaignGroup(moved)
                    .build()));

            assertThat(result.diff().summary()).contains("agent group AG_Retention sip-cluster-asm-dial-node 102 -> 103");
            CampaignGroup configured = cluster.balancer.config().campaignGroup("Retention").orElseThrow();
            assertThat(cluster.dialed(engaging(configured)).node()).isEqualTo(node(103));
            assertThat(cluster.dialNow(engaging(seizing))).as("the group as the old configuration had it")
                    .isInstanceOfSatisfying(DialOutcome.Held.class,
                            held -> assertThat(held.reason()).isEqualTo(HoldReason.CAMPAIGN_GROUP_NOT_CONFIGURED));
            cluster.transport.pending().get(0).accept();
            assertThat(inFlight.join()).as("the request in flight ends where it was sent")
                    .isInstanceOfSatisfying(DialOutcome.Dialed.class, dialed -> assertThat(dialed.node()).isEqualTo(node(102)));
        }
    }

    @Test
    void atMostOneReloadPerSecond() {
        try (OperatedCluster cluster = OperatedCluster.start(nodes(101, 102, 103))) {
            applied(cluster.balancer.reconfigure(nodes(101, 102).build()));
            cluster.clock.advance(Duration.ofMillis(400));

            ReconfigureResult tooSoon = cluster.balancer.reconfigure(nodes(101, 102, 103).build());

            assertThat(tooSoon).isInstanceOfSatisfying(ReconfigureResult.Refused.class, refused ->
                    assertThat(refused.problems()).singleElement().satisfies(problem -> {
                        assertThat(problem.option()).isEqualTo("reconfigure");
                        assertThat(problem.expected()).isEqualTo("at most one reload per second; try again in 600 ms");
                    }));
            assertThat(cluster.balancer.configurationVersion()).isEqualTo(2);
            assertThat(applied(cluster.balancer.reconfigure(nodes(101, 102).build())).diff().isEmpty())
                    .as("an equal configuration changes nothing and is not limited").isTrue();

            cluster.clock.advance(Duration.ofMillis(600));
            assertThat(applied(cluster.balancer.reconfigure(nodes(101, 102, 103).build())).configurationVersion()).isEqualTo(3);
        }
    }

    @Test
    void aDrainingNodeCannotBecomeThePrime() {
        try (OperatedCluster cluster = OperatedCluster.start(nodes(101, 102, 103))) {
            cluster.balancer.drain(node(102));

            ReconfigureResult result = cluster.balancer.reconfigure(nodes(101, 102, 103).primeNode(NodeId.of(102)).build());

            assertThat(result).isInstanceOfSatisfying(ReconfigureResult.Refused.class, refused ->
                    assertThat(refused.problems()).extracting(problem -> problem.option())
                            .containsExactly("sip-cluster-prime-node"));
            assertThat(cluster.balancer.snapshot().prime()).isEqualTo(node(101));
        }
    }
}
