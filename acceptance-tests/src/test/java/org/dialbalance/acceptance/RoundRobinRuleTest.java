package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rules 1 and 3: round-robin over active nodes in configured order, fair, and fair again after changes. */
class RoundRobinRuleTest {

    @ParameterizedTest
    @EnumSource(value = DialingMode.class, names = {"PROGRESSIVE", "PREDICTIVE", "PROGRESSIVE_GVP", "PREDICTIVE_GVP", "POWER_GVP"})
    void eachRegularModeGoesToTheNextActiveNodeInConfiguredOrder(DialingMode mode) {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(4).lbMode("round-robin"))) {
            CampaignGroup group = CampaignGroup.of("g-" + mode.configName(), mode, "AG1");

            assertThat(cluster.dialMany(group, 9)).containsExactly(101, 102, 103, 104, 101, 102, 103, 104, 101);
        }
    }

    @Test
    void anInactiveNodeIsSkippedAndUsedAgainFromTheNextRoundOnceBack() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            cluster.down(102);

            assertThat(cluster.dialMany(group, 6)).doesNotContain(102).containsOnly(101, 103);

            cluster.up(102);
            assertThat(cluster.dialMany(group, 3)).containsExactlyInAnyOrder(101, 102, 103);
        }
    }

    @Test
    void aDepartedNodesShareSpreadsEvenlyInsteadOfFallingToItsNeighbour() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(4).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            cluster.dialMany(group, 5);
            cluster.down(102);

            Map<Integer, Integer> counts = count(cluster.dialMany(group, 300));

            // 300 requests over 3 active nodes: 100 each. A ring that hands 102's slot to 103 gives 103 150.
            assertThat(counts).containsOnlyKeys(101, 103, 104);
            assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(99, 101));
        }
    }

    @Test
    void theCursorIsNotResetWhenMembershipChanges() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(4).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            assertThat(cluster.dialMany(group, 2)).containsExactly(101, 102);

            cluster.down(104);

            // the rotation goes on after 102 with 103; a reset cursor would start over at 101
            assertThat(cluster.dialMany(group, 3)).containsExactly(103, 101, 102);
        }
    }

    @Test
    void whileTheActiveSetIsUnchangedPerNodeCountsDifferByAtMostOne() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(5).lbMode("round-robin"))) {
            CampaignGroup first = regular("a");
            CampaignGroup second = CampaignGroup.of("b", DialingMode.POWER_GVP, "AG2");
            cluster.dialMany(first, 3);
            cluster.down(103);

            // counts from the change on, checked after every request, across groups sharing the cursor
            Map<Integer, Integer> counts = new TreeMap<>();
            for (int i = 0; i < 200; i++) {
                int node = cluster.dialMany(i % 3 == 0 ? second : first, 1).get(0);
                counts.merge(node, 1, Integer::sum);
                List<Integer> values = List.copyOf(counts.values());
                int spread = (counts.size() < 4 ? 0 : Collections.max(values)) - (counts.size() < 4 ? 0 : Collections.min(values));
                assertThat(spread).as("spread after %d requests: %s", i + 1, counts).isLessThanOrEqualTo(1);
            }
            assertThat(counts).containsOnlyKeys(101, 102, 104, 105);
        }
    }

    @Test
    void aNodeFlappingBetweenEveryRequestDoesNotSkewTheNodesThatStayUp() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin"))) {
            CampaignGroup group = regular("g");
            Map<Integer, Integer> counts = new TreeMap<>();
            for (int i = 0; i < 60; i++) {
                if (i % 2 == 0) {
                    cluster.down(103);
                } else {
                    cluster.up(103);
                }
                counts.merge(cluster.dialMany(group, 1).get(0), 1, Integer::sum);
                // an active[n mod A] counter would alias with the alternating A and pile onto 102
                assertThat(Math.abs(counts.getOrDefault(101, 0) - counts.getOrDefault(102, 0)))
                        .as("101 vs 102 after %d requests: %s", i + 1, counts).isLessThanOrEqualTo(1);
            }
        }
    }

    private static Map<Integer, Integer> count(List<Integer> nodes) {
        Map<Integer, Integer> counts = new TreeMap<>();
        nodes.forEach(node -> counts.merge(node, 1, Integer::sum));
        return counts;
    }
}
