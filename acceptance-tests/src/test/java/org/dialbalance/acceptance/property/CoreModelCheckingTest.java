package org.dialbalance.acceptance.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dialbalance.api.DialingMode;
import org.dialbalance.api.LinkRole;
import org.dialbalance.harness.property.Action;
import org.dialbalance.harness.property.ClusterCase;
import org.dialbalance.harness.property.ConfigVariant;
import org.dialbalance.harness.property.CoreDriver;
import org.dialbalance.harness.property.Coverage;
import org.dialbalance.harness.property.Exhaustive;
import org.dialbalance.harness.property.Generator;
import org.dialbalance.harness.property.Guarantee;
import org.dialbalance.harness.property.PropertyRunner;
import org.dialbalance.harness.property.ReportedRun;
import org.dialbalance.harness.property.Step;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/**
 * The real core (dispatcher, node connections, our policies) driven through generated failure sequences —
 * link faults and transport faults on single requests (not written, lost after the write, a late reply, no
 * reply, a failing send stage) — next to the reference model, compared after every step, with every guarantee
 * checked; plus every sequence up to depth {@value #DEPTH} on a small cluster. Each run's property, cases,
 * coverage and seed are printed in the build's console ({@link ReportedRun}). Seeds are
 * printed on failure; {@code -Ddialbalance.seed=S} re-runs one, {@code -Ddialbalance.soak=K} runs K times as many cases.
 */
class CoreModelCheckingTest {

    /**
     * Depth of the exhaustive run: 9 choices per step (4 requests, a tick, 4 links toggling), 6,561 sequences.
     * Depth 5 (59,049) took about 6 minutes on the shared 2-core CI machine; depth 6 would be 531,441.
     */
    static final int DEPTH = 4;
    /** Random sequences with round-robin: each costs several times what it did before transport faults (timeouts advance the clock). */
    static final int RANDOM_CASES = 4_000;

    private static Level saved;
    private static int quieted;

    /** Hundreds of thousands of expected "link down" warnings would go to the output file: the runs judge behaviour, not logs. */
    @BeforeAll
    static synchronized void quietCore() {
        Logger core = (Logger) LoggerFactory.getLogger("org.dialbalance");
        if (quieted++ == 0) {
            saved = core.getLevel();
        }
        core.setLevel(Level.OFF);
    }

    @AfterAll
    static synchronized void restoreLogs() {
        if (--quieted == 0) {
            ((Logger) LoggerFactory.getLogger("org.dialbalance")).setLevel(saved);
        }
    }

    /** The model-based property: the core agrees with the model, and every guarantee holds. */
    static Optional<String> agreesAndKeepsTheGuarantees(ClusterCase cluster, String lbMode, Coverage coverage, CoreDriver.CoreFactory core) {
        List<Step> steps = new ArrayList<>();
        Optional<String> violation = CoreDriver.run(cluster, lbMode, steps, core);
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
    void randomSequencesWithTransportFaultsAgreeWithTheModelAndKeepEveryGuarantee() {
        long seed = PropertyRunner.seed();
        String name = "core agrees with the reference model (round-robin, transport faults)";
        ReportedRun.run(name, seed, () -> {
            Coverage coverage = new Coverage();
            int cases = PropertyRunner.cases(RANDOM_CASES);
            PropertyRunner.check(name, seed, cases, new Generator(true, true, 30).withTransportFaults(),
                    cluster -> agreesAndKeepsTheGuarantees(cluster, "round-robin", coverage, CoreDriver.REAL), cluster -> { });
            coverage.assertFloors(0.03);
            return cases + " cases, " + coverage.summary();
        });
    }

    /** Random sequences with operations: each costs about what a sequence with transport faults does. */
    static final int OPERATIONS_CASES = 1_500;

    @Test
    void randomSequencesWithDrainsEnablesAndReloadsAgreeWithTheModelAndKeepEveryGuarantee() {
        long seed = PropertyRunner.seed();
        String name = "core agrees with the reference model under operations (drain, enable, reload, requests in flight;"
                + " round-robin, transport faults)";
        ReportedRun.run(name, seed, () -> {
            Coverage coverage = Coverage.withOperations();
            int cases = PropertyRunner.cases(OPERATIONS_CASES);
            PropertyRunner.check(name, seed, cases, new Generator(true, true, 30).withTransportFaults().withOperations(),
                    cluster -> agreesAndKeepsTheGuarantees(cluster, "round-robin", coverage, CoreDriver.REAL), cluster -> { });
            // 1%, not 3%: a reload that moves the prime is reached by ~7% of sequences typically, but one CI run with a
            // random seed saw 1.4%; the floor is there to catch a generator that stopped reaching a situation
            coverage.assertFloors(0.01);
            return cases + " cases, " + coverage.summary();
        });
    }

    /**
     * The sequences {@code ReferenceModelOperationsTest} pins on the model alone, on the real core: a drain finished by a
     * request-timeout, by a release after an answer; a removed node whose request in flight is lost with its link; a
     * refused reload, a rate-limited one, a draining node refused as the prime; the old prime drained after a prime change.
     */
    @Test
    void theModelsHandWrittenOperationSequencesAgreeWithTheCore() {
        ClusterCase cluster = new ClusterCase(List.of(true, false, true), 0, List.of(
                new ClusterCase.GroupSpec(DialingMode.PREDICTIVE, ClusterCase.Dialer.UNSET, 0),
                new ClusterCase.GroupSpec(DialingMode.PREDICTIVE_SEIZING, ClusterCase.Dialer.VALID, 2)), List.of());
        List<List<Action>> sequences = List.of(
                List.of(new Action.Dial(0), new Action.InFlight(0), new Action.Drain(1), new Action.Dial(0), new Action.Tick(),
                        new Action.Tick(), new Action.Tick(), new Action.Tick(), new Action.Tick(), new Action.Dial(0)),
                List.of(new Action.Dial(0), new Action.InFlight(0), new Action.Drain(1), new Action.Answer(), new Action.Release(1),
                        new Action.Enable(1), new Action.Dial(0), new Action.Dial(0)),
                List.of(new Action.Drain(0), new Action.Drain(3), new Action.Drain(2), new Action.Engage(1), new Action.Dial(1)),
                List.of(new Action.Dial(0), new Action.Dial(0), new Action.InFlight(0), new Action.Reconfigure(ConfigVariant.REMOVE_NODE),
                        new Action.Dial(0), new Action.Engage(1), new Action.Down(2, LinkRole.PRIMARY), new Action.Up(2, LinkRole.PRIMARY),
                        new Action.Dial(0), new Action.Dial(0)),
                List.of(new Action.Reconfigure(ConfigVariant.INVALID_POLICY), new Action.Reconfigure(ConfigVariant.ADD_NODE),
                        new Action.Reconfigure(ConfigVariant.CHANGE_PRIME), new Action.Reconfigure(ConfigVariant.ADD_NODE),
                        new Action.Dial(0), new Action.Dial(0), new Action.Dial(0), new Action.Dial(0), new Action.Tick(),
                        new Action.Drain(1), new Action.Reconfigure(ConfigVariant.CHANGE_PRIME)),
                List.of(new Action.Reconfigure(ConfigVariant.CHANGE_PRIME), new Action.Drain(0), new Action.Dial(0), new Action.Dial(0),
                        new Action.Dial(0)));
        for (List<Action> sequence : sequences) {
            assertThat(agreesAndKeepsTheGuarantees(cluster.withActions(sequence), "round-robin", null, CoreDriver.REAL))
                    .as("%s", sequence).isEmpty();
        }
    }

    @Test
    void withoutLbModeRandomSequencesAgreeWithTheModel() {
        long seed = PropertyRunner.seed();
        String name = "core agrees with the reference model (no lb-mode, transport faults)";
        ReportedRun.run(name, seed, () -> {
            Coverage coverage = new Coverage();
            int cases = PropertyRunner.cases(1_000);
            PropertyRunner.check(name, seed, cases, new Generator(true, true, 20).withTransportFaults(),
                    cluster -> agreesAndKeepsTheGuarantees(cluster, null, coverage, CoreDriver.REAL), cluster -> { });
            return cases + " cases, " + coverage.summary();
        });
    }

    /** Three nodes (#0 with backup and prime, #1 primary only, #2 with backup); a regular group, a seizing group on #1, a seizing group naming an unknown DBID. */
    static final ClusterCase SMALL = new ClusterCase(List.of(true, false, true), 0, List.of(
            new ClusterCase.GroupSpec(DialingMode.PREDICTIVE, ClusterCase.Dialer.UNSET, 0),
            new ClusterCase.GroupSpec(DialingMode.PREDICTIVE_SEIZING, ClusterCase.Dialer.VALID, 1),
            new ClusterCase.GroupSpec(DialingMode.PROGRESSIVE_SEIZING, ClusterCase.Dialer.UNKNOWN, 0)), List.of());

    /** A regular call, a seizing group's engaging and outbound calls, an unknown-DBID group's outbound call, a tick, four links. */
    static final List<Action> ALPHABET = List.of(new Action.Dial(0), new Action.Engage(1), new Action.Dial(1), new Action.Dial(2),
            new Action.Tick(),
            new Action.Down(0, LinkRole.PRIMARY), new Action.Up(0, LinkRole.PRIMARY),
            new Action.Down(0, LinkRole.BACKUP), new Action.Up(0, LinkRole.BACKUP),
            new Action.Down(1, LinkRole.PRIMARY), new Action.Up(1, LinkRole.PRIMARY),
            new Action.Down(2, LinkRole.PRIMARY), new Action.Up(2, LinkRole.PRIMARY));

    @Test
    void everySequenceToTheDepthOnAThreeNodeClusterWithThreeGroups() {
        String name = "core agrees with the reference model on every sequence of depth " + DEPTH + " over " + ALPHABET.size() + " actions";
        ReportedRun.run(name, null, () -> {
            Exhaustive.Result result = Exhaustive.check(name, SMALL, ALPHABET, DEPTH,
                    candidate -> agreesAndKeepsTheGuarantees(candidate, "round-robin", null, CoreDriver.REAL));
            result.failure().ifPresent(counterexample -> {
                throw new AssertionError(counterexample.report());
            });
            assertThat(result.sequences()).as("4 requests + a tick + 4 links toggling: 9 choices per step").isEqualTo(6_561);
            return result.sequences() + " sequences, all of them";
        });
    }
}
