package org.dialbalance.acceptance.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dialbalance.api.DialingMode;
import org.dialbalance.api.LinkRole;
import org.dialbalance.harness.property.Action;
import org.dialbalance.harness.property.ClusterCase;
import org.dialbalance.harness.property.CoreDriver;
import org.dialbalance.harness.property.Coverage;
import org.dialbalance.harness.property.Exhaustive;
import org.dialbalance.harness.property.Generator;
import org.dialbalance.harness.property.Guarantee;
import org.dialbalance.harness.property.PropertyRunner;
import org.dialbalance.harness.property.Step;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real core (dispatcher, node connections, our policies) driven through generated failure sequences
 * next to the reference model, compared after every step, with every guarantee checked; plus every
 * sequence up to depth 6 on a small cluster. Seeds are printed on failure; {@code -Ddialbalance.seed=S}
 * re-runs one, {@code -Ddialbalance.soak=K} runs K times as many cases.
 */
class CoreModelCheckingTest {

    private static final Logger LOG = LoggerFactory.getLogger(CoreModelCheckingTest.class);

    /** The model-based property: the core agrees with the model, and every guarantee holds. */
    private static Optional<String> agreesAndKeepsTheGuarantees(ClusterCase cluster, String lbMode, Coverage coverage) {
        List<Step> steps = new ArrayList<>();
        Optional<String> violation = CoreDriver.run(cluster, lbMode, steps);
        if (violation.isPresent()) {
            return violation;
        }
        for (Guarantee guarantee : Guarantee.values()) {
            if (lbMode == null && (guarantee == Guarantee.FAIR_ROUND_ROBIN || guarantee == Guarantee.ASM_PINNING)) {
                continue;   // without balancing everything dials on the prime; the model checks that
            }
            Optional<String> broken = guarantee.test(cluster, steps).map(text -> guarantee.name() + " " + text);
            if (broken.isPresent()) {
                return broken;
            }
        }
        if (coverage != null) {
            coverage.record(steps);
        }
        return Optional.empty();
    }

    @Test
    void tenThousandRandomSequencesAgreeWithTheModelAndKeepEveryGuarantee() {
        Coverage coverage = new Coverage();
        long seed = PropertyRunner.seed();
        int cases = PropertyRunner.cases(10_000);

        PropertyRunner.check("core agrees with the reference model (round-robin)", seed, cases, new Generator(true, true, 30),
                cluster -> agreesAndKeepsTheGuarantees(cluster, "round-robin", coverage), cluster -> { });

        LOG.info("seed {}: {}", seed, coverage.summary());
        coverage.assertFloors(0.03);
    }

    @Test
    void withoutLbModeRandomSequencesAgreeWithTheModel() {
        PropertyRunner.check("core agrees with the reference model (no lb-mode)", PropertyRunner.seed(), PropertyRunner.cases(1_000),
                new Generator(true, true, 20), cluster -> agreesAndKeepsTheGuarantees(cluster, null, null), cluster -> { });
    }

    @Test
    void everySequenceUpToDepthSixOnAThreeNodeClusterWithTwoGroups() {
        ClusterCase cluster = new ClusterCase(List.of(true, false, true), 0, List.of(
                new ClusterCase.GroupSpec(DialingMode.PREDICTIVE, ClusterCase.Dialer.UNSET, 0),
                new ClusterCase.GroupSpec(DialingMode.PREDICTIVE_SEIZING, ClusterCase.Dialer.VALID, 1)), List.of());
        List<Action> alphabet = List.of(new Action.Dial(0), new Action.Engage(1),
                new Action.Down(0, LinkRole.PRIMARY), new Action.Up(0, LinkRole.PRIMARY),
                new Action.Down(0, LinkRole.BACKUP), new Action.Up(0, LinkRole.BACKUP),
                new Action.Down(1, LinkRole.PRIMARY), new Action.Up(1, LinkRole.PRIMARY));

        Exhaustive.Result result = Exhaustive.check("every sequence to depth 6", cluster, alphabet, 6,
                candidate -> agreesAndKeepsTheGuarantees(candidate, "round-robin", null));

        result.failure().ifPresent(counterexample -> {
            throw new AssertionError(counterexample.report());
        });
        LOG.info("checked all {} sequences of depth 6", result.sequences());
        assertThat(result.sequences()).as("2 requests + 3 links toggling: 5 choices per step").isEqualTo(15_625);
    }
}
