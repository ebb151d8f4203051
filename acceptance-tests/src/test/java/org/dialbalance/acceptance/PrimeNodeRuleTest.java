package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.engaging;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.harness.inmemory.InMemoryTransport.Registration;
import org.junit.jupiter.api.Test;

/** Rules 4 and 5: the prime node carries DN-level events; without it, all dialing is held. */
class PrimeNodeRuleTest {

    @Test
    void monitoredDnsAreRegisteredOnThePrimesServingLinkOnly() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin").monitorDn("7001").monitorDn("7002"))) {
            assertThat(cluster.transport.registrations()).containsExactly(
                    new Registration(node(101), LinkRole.PRIMARY, "7001"), new Registration(node(101), LinkRole.PRIMARY, "7002"));

            cluster.balancer.monitor("7003");
            assertThat(cluster.transport.registrations()).endsWith(new Registration(node(101), LinkRole.PRIMARY, "7003"));
        }
    }

    @Test
    void theDnsAreRegisteredAgainAfterTheSwitchToTheBackupAndAfterAComeback() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin").monitorDn("7001"))) {
            cluster.transport.clearRecords();
            cluster.down(101, LinkRole.PRIMARY);
            assertThat(cluster.transport.registrations()).containsExactly(new Registration(node(101), LinkRole.BACKUP, "7001"));

            cluster.transport.clearRecords();
            cluster.down(101, LinkRole.BACKUP);
            cluster.up(101, LinkRole.PRIMARY);
            assertThat(cluster.transport.registrations()).containsExactly(new Registration(node(101), LinkRole.PRIMARY, "7001"));
        }
    }

    @Test
    void aPrimeOtherThanTheFirstNodeGetsTheRegistrations() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).primeNode(NodeId.of(103)).lbMode("round-robin").monitorDn("7001"))) {
            assertThat(cluster.transport.registrations()).containsExactly(new Registration(node(103), LinkRole.PRIMARY, "7001"));
        }
    }

    @Test
    void dnLevelEventsReachListenersFromThePrimesServingLinkOnly() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin").monitorDn("7001"))) {
            cluster.transport.emit(node(102), LinkRole.PRIMARY, TelephonyEvent.Scope.DN, "EventAgentReady", "7001");
            cluster.transport.emit(node(101), LinkRole.BACKUP, TelephonyEvent.Scope.DN, "EventAgentReady", "7001");
            assertThat(cluster.telephonyEvents).isEmpty();

            cluster.transport.emit(node(101), LinkRole.PRIMARY, TelephonyEvent.Scope.DN, "EventAgentReady", "7001");
            assertThat(cluster.telephonyEvents).singleElement().satisfies(event -> {
                assertThat(event.node()).isEqualTo(node(101));
                assertThat(event.via()).isEqualTo(LinkRole.PRIMARY);
            });

            // call-level events of calls placed on another node come from that node
            cluster.transport.emit(node(102), LinkRole.PRIMARY, TelephonyEvent.Scope.CALL, "EventEstablished", "7000");
            assertThat(cluster.telephonyEvents).hasSize(2);
        }
    }

    @Test
    void withThePrimeDownEveryRequestIsHeldAndDialingResumesByItself() {
        CampaignGroup asm = CampaignGroup.of("asm", DialingMode.PREDICTIVE_SEIZING, "AG_ASM", NodeId.of(102));
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin").campaignGroup(asm))) {
            cluster.down(101);

            assertThat(cluster.events).anyMatch(event -> event instanceof ClusterEvent.DialingSuspended suspended
                    && suspended.prime().equals(node(101)));
            cluster.transport.clearRecords();
            for (var request : java.util.List.of(predictive(regular("g"), 1), predictive(asm, 2), engaging(asm))) {
                assertThat(cluster.dialNow(request)).isInstanceOfSatisfying(DialOutcome.Held.class,
                        held -> assertThat(held.reason()).isEqualTo(HoldReason.PRIME_NODE_DOWN));
            }
            assertThat(cluster.transport.sent()).as("nothing is sent while the prime is down").isEmpty();

            cluster.up(101);

            assertThat(cluster.events.get(cluster.events.size() - 1)).isInstanceOf(ClusterEvent.DialingResumed.class);
            assertThat(cluster.dialNow(predictive(regular("g"), 3))).isInstanceOf(DialOutcome.Dialed.class);
            assertThat(cluster.dialNow(engaging(asm))).isInstanceOf(DialOutcome.Dialed.class);
        }
    }

    @Test
    void losingOnlyThePrimesPrimaryDoesNotSuspendDialing() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin"))) {
            cluster.down(101, LinkRole.PRIMARY);

            assertThat(cluster.events).noneMatch(event -> event instanceof ClusterEvent.DialingSuspended);
            assertThat(cluster.dialNow(predictive(regular("g"), 1))).isInstanceOf(DialOutcome.Dialed.class);
        }
    }
}
