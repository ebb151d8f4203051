package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.engaging;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.time.Duration;

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

            // the prime's backup connects right after its primary: RedundancyRestored follows DialingResumed
            assertThat(cluster.events.stream().filter(event -> !(event instanceof ClusterEvent.RedundancyRestored)).toList())
                    .last().isInstanceOf(ClusterEvent.DialingResumed.class);
            assertThat(cluster.dialNow(predictive(regular("g"), 3))).isInstanceOf(DialOutcome.Dialed.class);
            assertThat(cluster.dialNow(engaging(asm))).isInstanceOf(DialOutcome.Dialed.class);
        }
    }

    @Test
    void aPrimeWhosePrimaryHangsInRegistrationAtStartDialsThroughItsBackupAfterAShortHeadStart() {
        Duration connectTimeout = Duration.ofSeconds(5);
        Duration headStart = Duration.ofSeconds(1);   // a quarter of connect-timeout, at most 1 s (README, design notes)
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin").connectTimeout(connectTimeout),
                transport -> transport.setHanging(node(101), LinkRole.PRIMARY, true))) {
            assertThat(cluster.transport.isConnected(node(101), LinkRole.BACKUP)).as("the backup is registered").isTrue();
            assertThat(cluster.dialNow(predictive(regular("g"), 1))).as("the backup waits for the primary's head start")
                    .isInstanceOfSatisfying(DialOutcome.Held.class, held -> assertThat(held.reason()).isEqualTo(HoldReason.PRIME_NODE_DOWN));

            cluster.clock.advance(headStart.minusMillis(1));
            assertThat(cluster.balancer.snapshot().isPrimeActive()).isFalse();
            cluster.clock.advance(Duration.ofMillis(1));

            assertThat(cluster.balancer.snapshot().servingLink(node(101))).contains(LinkRole.BACKUP);
            assertThat(cluster.events).anyMatch(event -> event instanceof ClusterEvent.DialingResumed resumed
                    && resumed.via() == LinkRole.BACKUP);
            assertThat(cluster.dialNow(predictive(regular("g"), 2))).isInstanceOfSatisfying(DialOutcome.Dialed.class,
                    dialed -> assertThat(dialed.via()).isIn(LinkRole.PRIMARY, LinkRole.BACKUP));
            assertThat(cluster.dialNow(predictive(regular("g"), 3))).isInstanceOf(DialOutcome.Dialed.class);
            assertThat(cluster.transport.sent()).filteredOn(sent -> sent.node().equals(node(101)))
                    .singleElement().satisfies(sent -> assertThat(sent.role()).isEqualTo(LinkRole.BACKUP));

            // the hanging attempt ends at connect-timeout and is retried; the node stays on its backup (sticky)
            cluster.transport.setHanging(node(101), LinkRole.PRIMARY, false);
            assertThat(cluster.transport.timeOutHangingConnects(node(101), LinkRole.PRIMARY)).isEqualTo(1);
            cluster.clock.advance(InMemoryCluster.RECONNECT);
            assertThat(cluster.balancer.snapshot().status(node(101)).primaryUp()).isTrue();
            assertThat(cluster.balancer.snapshot().servingLink(node(101))).contains(LinkRole.BACKUP);
            assertThat(cluster.events).noneMatch(ClusterEvent.DialingSuspended.class::isInstance);
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
