package org.dialbalance.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dialbalance.api.policy.PolicyContext;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

    private static final List<String> POLICIES = List.of("asm-per-group", "round-robin");

    @Test
    void suggestsTheClosestNameForATypoAnUpperCaseOrAMissingDash() {
        assertThat(DidYouMean.closest("round-robbin", POLICIES)).contains("round-robin");
        assertThat(DidYouMean.closest("roundrobin", POLICIES)).contains("round-robin");
        assertThat(DidYouMean.closest("Round-Robin", POLICIES)).contains("round-robin");
        assertThat(DidYouMean.closest("asm-per-grup", POLICIES)).contains("asm-per-group");
        assertThat(DidYouMean.hint("io-thread", Set.of("io-threads", "max-frame-size"))).isEqualTo(" (did you mean 'io-threads'?)");
    }

    @Test
    void suggestsNothingForANameFarFromEvery() {
        assertThat(DidYouMean.closest("../../etc/passwd", POLICIES)).isEmpty();
        assertThat(DidYouMean.closest("zookeeper", List.of("in-memory"))).isEmpty();
        assertThat(DidYouMean.closest("", POLICIES)).isEmpty();
        assertThat(DidYouMean.closest("round-robin", List.of())).isEmpty();
        assertThat(DidYouMean.hint("colour", POLICIES)).isEmpty();
    }

    @Test
    void aHugeNameGetsNoSuggestionAndCostsNothing() {
        String mib = "k".repeat(1 << 20);
        long start = System.nanoTime();
        assertThat(DidYouMean.closest(mib, POLICIES)).isEmpty();
        assertThat(DidYouMean.closest("r".repeat(DidYouMean.MAX_CHARS + 1), List.of("r".repeat(DidYouMean.MAX_CHARS)))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
        assertThat(DidYouMean.closest("r".repeat(DidYouMean.MAX_CHARS), List.of("r".repeat(DidYouMean.MAX_CHARS - 1))))
                .contains("r".repeat(DidYouMean.MAX_CHARS - 1));
    }

    @Test
    void aPolicysUnknownOptionIsSuggestedItsOwn() {
        PolicyContext context = new PolicyContext() {
            @Override
            public ClusterTopology topology() {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<CampaignGroup> campaignGroups() {
                return List.of();
            }

            @Override
            public Map<String, String> options() {
                return Map.of("wieght", "2");
            }

            @Override
            public void warn(String message) {
            }
        };
        assertThat(context.unknownOptions("weighted", Set.of("weight", "spread")))
                .extracting(ConfigProblem::message)
                .containsExactly("policy-options.weighted.wieght = 2: expected one of the options of weighted "
                        + "(did you mean 'weight'?): spread, weight");
    }
}
