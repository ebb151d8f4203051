package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dialbalance.acceptance.InMemoryCluster.engaging;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.coordination.CoordinatorProvider;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * The dial-path hook of {@code coordination}: a group this dialer does not own is held with {@code NOT_OWNER} and
 * nothing is sent; an owned group's requests carry its fencing token and group name as extensions; without
 * coordination nothing changes.
 */
class CoordinationRuleTest {

    private static final CampaignGroup SALES = regular("Sales");
    private static final CampaignGroup RETENTION = regular("Retention");

    /**
     * Starts a cluster whose plugin loader also finds {@link FixedOwnershipProvider}, which is not registered for the
     * other tests (the bad-config corpus lists the coordinators that exist, as {@code check-config} does).
     */
    private static InMemoryCluster start(BalancerConfig.Builder config) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(new WithFixedOwnership(previous));
        try {
            return InMemoryCluster.start(config);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** A class loader that adds the fixture's ServiceLoader registration to its parent's. */
    private static final class WithFixedOwnership extends ClassLoader {
        private static final String SERVICES = "META-INF/services/" + CoordinatorProvider.class.getName();

        WithFixedOwnership(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (!name.equals(SERVICES)) {
                return super.getResources(name);
            }
            List<URL> found = new ArrayList<>(Collections.list(super.getResources(name)));
            found.add(getParent().getResource("coordination-fixture/" + SERVICES));
            return Collections.enumeration(found);
        }
    }

    private static BalancerConfig.Builder coordinated() {
        return InMemoryCluster.config(2).lbMode("round-robin").campaignGroup(SALES).campaignGroup(RETENTION)
                .coordination(FixedOwnershipProvider.NAME).coordinationOption(FixedOwnershipProvider.NAME, "Sales", "7");
    }

    @Test
    void aGroupOwnedElsewhereIsHeldAndNothingIsSent() {
        try (InMemoryCluster cluster = start(coordinated())) {
            DialOutcome outcome = cluster.dialNow(predictive(RETENTION, 1));

            assertThat(outcome).isInstanceOf(DialOutcome.Held.class);
            assertThat(((DialOutcome.Held) outcome).reason()).isEqualTo(HoldReason.NOT_OWNER);
            assertThat(((DialOutcome.Held) outcome).detail()).contains("Retention");
            assertThat(cluster.transport.sent()).isEmpty();
        }
    }

    @Test
    void anOwnedGroupIsDialedWithItsFencingToken() {
        try (InMemoryCluster cluster = start(coordinated())) {
            var request = predictive(SALES, 1);
            DialOutcome outcome = cluster.dialNow(request);

            assertThat(outcome).isInstanceOf(DialOutcome.Dialed.class);
            assertThat(outcome.request()).as("the outcome keeps the host's request").isSameAs(request);
            assertThat(cluster.transport.sent()).hasSize(1);
            assertThat(cluster.transport.sent().get(0).request().extensions())
                    .containsEntry(GroupOwnership.FENCING_TOKEN_KEY, "7")
                    .containsEntry(GroupOwnership.CAMPAIGN_GROUP_KEY, "Sales");
            assertThat(cluster.transport.sent().get(0).request().userData()).isEqualTo(request.userData());
        }
    }

    @Test
    void anOwnedGroupsEngagingCallCarriesItsFencingTokenToo() {
        CampaignGroup winback = CampaignGroup.of("Winback", DialingMode.PREDICTIVE_SEIZING, "AG_Winback");
        try (InMemoryCluster cluster = start(coordinated().campaignGroup(winback)
                .coordinationOption(FixedOwnershipProvider.NAME, "Winback", "11"))) {
            DialRequest.EngagingCall request = engaging(winback);
            DialOutcome outcome = cluster.dialNow(request);

            assertThat(outcome).isInstanceOf(DialOutcome.Dialed.class);
            assertThat(outcome.request()).isSameAs(request);
            assertThat(cluster.transport.sent()).singleElement().satisfies(sent -> {
                DialRequest.EngagingCall copy = (DialRequest.EngagingCall) sent.request();
                assertThat(copy.extensions()).containsEntry(GroupOwnership.FENCING_TOKEN_KEY, "11")
                        .containsEntry(GroupOwnership.CAMPAIGN_GROUP_KEY, "Winback");
                assertThat(copy.trunkGroupDn()).isEqualTo(request.trunkGroupDn());
                assertThat(copy.voiceTransferDestination()).isEqualTo(request.voiceTransferDestination());
                assertThat(copy.group()).isEqualTo(request.group());
            });
        }
    }

    @Test
    void aGroupOwnedWithoutATokenIsDialedAsItIs() {
        // GroupOwnership: 0 = owned, but without a token (nothing to fence with); negative = not the owner
        try (InMemoryCluster cluster = start(coordinated().coordinationOption(FixedOwnershipProvider.NAME, "Retention", "0"))) {
            var request = predictive(RETENTION, 1);
            assertThat(cluster.dialNow(request)).isInstanceOf(DialOutcome.Dialed.class);
            assertThat(cluster.transport.sent()).singleElement()
                    .satisfies(sent -> assertThat(sent.request()).isSameAs(request));
        }
    }

    @Test
    void everyRequestOfAnOwnedGroupCarriesTheTokenAndKeepsItsOwnExtensions() {
        try (InMemoryCluster cluster = start(coordinated())) {
            var traced = new DialRequest.PredictiveCall(SALES, "7000", "5553", Duration.ofSeconds(25), Map.of(),
                    Map.of("x-trace-id", "t3"));
            for (DialRequest request : List.of(predictive(SALES, 1), predictive(SALES, 2), traced)) {
                assertThat(cluster.dialNow(request)).isInstanceOf(DialOutcome.Dialed.class);
            }

            Map<String, String> fencing = Map.of(GroupOwnership.FENCING_TOKEN_KEY, "7", GroupOwnership.CAMPAIGN_GROUP_KEY, "Sales");
            assertThat(cluster.transport.sent()).extracting(sent -> sent.request().extensions()).containsExactly(fencing, fencing,
                    Map.of("x-trace-id", "t3", GroupOwnership.FENCING_TOKEN_KEY, "7", GroupOwnership.CAMPAIGN_GROUP_KEY, "Sales"));
            assertThat(traced.extensions()).as("the host's request is left as it was").containsOnlyKeys("x-trace-id");
        }
    }

    @Test
    void ownershipIsPublishedAsEventsAndInHealth() {
        try (InMemoryCluster cluster = start(coordinated())) {
            assertThat(cluster.events).filteredOn(ClusterEvent.OwnershipChanged.class::isInstance)
                    .singleElement().satisfies(event -> {
                        ClusterEvent.OwnershipChanged changed = (ClusterEvent.OwnershipChanged) event;
                        assertThat(changed.campaignGroup()).isEqualTo("Sales");
                        assertThat(changed.owned()).isTrue();
                        assertThat(changed.fencingToken()).isEqualTo(7);
                    });
            ClusterHealth health = cluster.balancer.health();
            assertThat(health.coordination()).hasValueSatisfying(status -> {
                assertThat(status.owned()).isEqualTo(Map.of("Sales", 7L));
                assertThat(status.connected()).isTrue();
            });
        }
    }

    @Test
    void withoutCoordinationNothingChanges() {
        try (InMemoryCluster cluster = InMemoryCluster.start(InMemoryCluster.config(2).lbMode("round-robin")
                .campaignGroup(SALES).campaignGroup(RETENTION))) {
            var request = predictive(RETENTION, 1);
            assertThat(cluster.dialNow(request)).isInstanceOf(DialOutcome.Dialed.class);
            assertThat(cluster.transport.sent().get(0).request()).isSameAs(request);
            assertThat(cluster.balancer.health().coordination()).isEmpty();
            assertThat(cluster.events).noneMatch(ClusterEvent.OwnershipChanged.class::isInstance);
        }
    }

    @Test
    void anInvalidCoordinatorOptionFailsTheBuildNamingIt() {
        assertThatThrownBy(() -> start(coordinated().coordinationOption(FixedOwnershipProvider.NAME, "Retention", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("coordination-options.fixed-ownership.Retention = x: expected a fencing token");
    }

    @Test
    void changingCoordinationNeedsARestart() {
        try (InMemoryCluster cluster = start(coordinated())) {
            var result = cluster.balancer.reconfigure(coordinated().coordinationOption(FixedOwnershipProvider.NAME, "Retention", "9")
                    .build());
            assertThat(result.toString()).contains("coordination-options").contains("restart the balancer");
        }
    }
}
