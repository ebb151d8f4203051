package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.engaging;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.ArrayList;
import java.util.List;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rule 6: a seizing campaign group dials outbound and engaging calls on one dialer node. */
class AsmRuleTest {

    @ParameterizedTest
    @EnumSource(value = DialingMode.class, names = {"PROGRESSIVE_SEIZING", "PREDICTIVE_SEIZING"})
    void outboundAndEngagingCallsOfAGroupAllGoToItsDialerNode(DialingMode mode) {
        CampaignGroup group = CampaignGroup.of("asm", mode, "AG_ASM", NodeId.of(103));
        try (InMemoryCluster cluster = InMemoryCluster.start(config(4).lbMode("round-robin").campaignGroup(group))) {
            List<Integer> nodes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                nodes.add(dialedOn(cluster.dialNow(predictive(group, i))));
                nodes.add(dialedOn(cluster.dialNow(engaging(group))));
                cluster.dialNow(predictive(regular("other"), i));
            }
            assertThat(nodes).hasSize(20).containsOnly(103);
        }
    }

    @Test
    void aGroupWithoutDialerNodeOrWithAnUnknownDbidDialsOnThePrimeWithOneWarningEach() {
        CampaignGroup unset = CampaignGroup.of("unset", DialingMode.PREDICTIVE_SEIZING, "AG_UNSET");
        CampaignGroup unknown = CampaignGroup.of("unknown", DialingMode.PROGRESSIVE_SEIZING, "AG_UNKNOWN", NodeId.of(999));
        try (LogCapture log = LogCapture.warnings();
             InMemoryCluster cluster = InMemoryCluster.start(config(3).primeNode(NodeId.of(102)).lbMode("round-robin")
                     .campaignGroup(unset).campaignGroup(unknown))) {
            for (CampaignGroup group : List.of(unset, unknown)) {
                assertThat(dialedOn(cluster.dialNow(predictive(group, 1)))).isEqualTo(102);
                assertThat(dialedOn(cluster.dialNow(engaging(group)))).isEqualTo(102);
            }
            assertThat(log.messagesContaining("'unset'")).singleElement().asString()
                    .contains("sip-cluster-asm-dial-node is not set").contains("prime node 102");
            assertThat(log.messagesContaining("'unknown'")).singleElement().asString()
                    .contains("sip-cluster-asm-dial-node = 999").contains("prime node 102");
        }
    }

    @Test
    void aDialerNodeDownHoldsOnlyItsOwnGroup() {
        CampaignGroup on103 = CampaignGroup.of("on103", DialingMode.PREDICTIVE_SEIZING, "AG1", NodeId.of(103));
        CampaignGroup on102 = CampaignGroup.of("on102", DialingMode.PREDICTIVE_SEIZING, "AG2", NodeId.of(102));
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin").campaignGroup(on103).campaignGroup(on102))) {
            cluster.down(103);

            for (DialRequest request : List.of(predictive(on103, 1), engaging(on103))) {
                assertThat(cluster.dialNow(request)).isInstanceOfSatisfying(DialOutcome.Held.class, held -> {
                    assertThat(held.reason()).isEqualTo(HoldReason.DIALER_NODE_DOWN);
                    assertThat(held.detail()).contains("103").contains("on103");
                });
            }
            assertThat(dialedOn(cluster.dialNow(engaging(on102)))).isEqualTo(102);
            assertThat(cluster.dialNow(predictive(regular("regular"), 1))).isInstanceOf(DialOutcome.Dialed.class);

            cluster.up(103);
            assertThat(dialedOn(cluster.dialNow(engaging(on103)))).isEqualTo(103);
        }
    }

    @Test
    void withThePrimeDownASeizingGroupOnAnotherNodeIsHeldForThePrime() {
        CampaignGroup on103 = CampaignGroup.of("on103", DialingMode.PREDICTIVE_SEIZING, "AG1", NodeId.of(103));
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin").campaignGroup(on103))) {
            cluster.down(101);

            assertThat(cluster.dialNow(engaging(on103))).isInstanceOfSatisfying(DialOutcome.Held.class,
                    held -> assertThat(held.reason()).isEqualTo(HoldReason.PRIME_NODE_DOWN));
        }
    }

    @Test
    void onlyTheConfigurationSaysWhereAGroupDialsAGroupBuiltInCodeIsHeld() {
        CampaignGroup configured = CampaignGroup.of("asm", DialingMode.PREDICTIVE_SEIZING, "AG_ASM", NodeId.of(103));
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin").campaignGroup(configured))) {
            CampaignGroup otherDialer = new CampaignGroup("asm", DialingMode.PREDICTIVE_SEIZING, "AG_ASM",
                    java.util.Optional.of(NodeId.of(102)));
            CampaignGroup otherMode = CampaignGroup.of("asm", DialingMode.PREDICTIVE, "AG_ASM");
            CampaignGroup notConfigured = CampaignGroup.of("rogue", DialingMode.PROGRESSIVE_SEIZING, "AG_X", NodeId.of(102));

            for (DialRequest request : List.of(predictive(otherDialer, 1), engaging(otherDialer), predictive(otherMode, 2),
                    predictive(notConfigured, 3), engaging(notConfigured))) {
                assertThat(cluster.dialNow(request)).as("%s", request.group()).isInstanceOfSatisfying(DialOutcome.Held.class,
                        held -> {
                            assertThat(held.reason()).isEqualTo(HoldReason.CAMPAIGN_GROUP_NOT_CONFIGURED);
                            assertThat(held.detail()).contains("'" + request.group().name() + "'");
                        });
            }
            assertThat(cluster.transport.sent()).as("nothing was sent for a group the configuration does not describe").isEmpty();

            CampaignGroup fromConfig = cluster.config.campaignGroup("asm").orElseThrow();
            CampaignGroup equalCopy = CampaignGroup.of("asm", DialingMode.PREDICTIVE_SEIZING, "AG_ASM", NodeId.of(103));
            assertThat(dialedOn(cluster.dialNow(engaging(fromConfig)))).isEqualTo(103);
            assertThat(dialedOn(cluster.dialNow(predictive(equalCopy, 4)))).as("an equal value is the configured group").isEqualTo(103);
            assertThat(cluster.dialNow(predictive(regular("adhoc"), 5))).as("a regular group needs no configuration")
                    .isInstanceOf(DialOutcome.Dialed.class);
        }
    }

    @Test
    void anEngagingCallForARegularGroupCannotEvenBeBuilt() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> engaging(regular("regular")))
                .withMessageContaining("seizing");
    }

    static int dialedOn(DialOutcome outcome) {
        assertThat(outcome).isInstanceOf(DialOutcome.Dialed.class);
        return ((DialOutcome.Dialed) outcome).node().dbid();
    }
}
