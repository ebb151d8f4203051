package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.AsmRuleTest.dialedOn;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.engaging;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.ArrayList;
import java.util.List;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.NodeId;
import org.junit.jupiter.api.Test;

/** Rule 7: without sip-cluster-lb-mode there is no balancing; everything dials on the prime. */
class NoBalancingRuleTest {

    @Test
    void everyRequestOfEveryGroupDialsOnThePrime() {
        CampaignGroup asm = CampaignGroup.of("asm", DialingMode.PREDICTIVE_SEIZING, "AG_ASM", NodeId.of(103));
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).primeNode(NodeId.of(102)).campaignGroup(asm))) {
            assertThat(cluster.config.balancingEnabled()).isFalse();
            List<Integer> nodes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                nodes.add(dialedOn(cluster.dialNow(predictive(regular("g"), i))));
                nodes.add(dialedOn(cluster.dialNow(predictive(asm, i))));
                nodes.add(dialedOn(cluster.dialNow(engaging(asm))));
            }
            assertThat(nodes).hasSize(18).containsOnly(102);
        }
    }

    @Test
    void thePrimeDownStillHoldsEverything() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2))) {
            cluster.down(101);
            assertThat(cluster.dialNow(predictive(regular("g"), 1))).isInstanceOfSatisfying(DialOutcome.Held.class,
                    held -> assertThat(held.reason()).isEqualTo(HoldReason.PRIME_NODE_DOWN));
        }
    }
}
