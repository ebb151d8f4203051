package org.dialbalance.harness.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.dialbalance.api.LinkRole;
import org.junit.jupiter.api.Test;

class PropertyRunnerTest {

    private final Generator generator = new Generator(true, true, 30);

    /** Fails when a dial follows the prime's primary going down: the minimal failure has exactly those 2 steps. */
    private static Optional<String> dialAfterPrimeDown(ClusterCase cluster) {
        boolean down = false;
        for (Action action : cluster.actions()) {
            if (action instanceof Action.Down d && d.node() == cluster.prime() && d.role() == LinkRole.PRIMARY) {
                down = true;
            }
            if (down && action instanceof Action.Dial) {
                return Optional.of("dialed after the prime's primary went down");
            }
        }
        return Optional.empty();
    }

    @Test
    void theSameSeedGeneratesTheSameCases() {
        assertThat(generator.next(new SplittableRandom(42))).isEqualTo(generator.next(new SplittableRandom(42)));
        assertThat(generator.next(new SplittableRandom(42))).isNotEqualTo(generator.next(new SplittableRandom(43)));
    }

    @Test
    void aFailureIsShrunkToItsMinimalSequenceAndReportedWithItsSeed() {
        Counterexample found = PropertyRunner.find("demo", 7L, 500, generator, PropertyRunnerTest::dialAfterPrimeDown, cluster -> { })
                .orElseThrow();

        assertThat(found.shrunk().actions()).hasSize(2);
        assertThat(found.shrunk().actions().get(0)).isInstanceOf(Action.Down.class);
        assertThat(found.shrunk().actions().get(1)).isInstanceOf(Action.Dial.class);
        assertThat(found.report()).contains("Property 'demo' failed").contains("seed 7, case " + found.caseIndex())
                .contains("shrunk from " + found.original().actions().size() + " to 2 steps");
        // re-running the seed finds the very same case
        assertThat(PropertyRunner.find("demo", 7L, 500, generator, PropertyRunnerTest::dialAfterPrimeDown, cluster -> { })
                .orElseThrow().original()).isEqualTo(found.original());
    }

    @Test
    void checkFailsWithTheReport() {
        assertThatThrownBy(() -> PropertyRunner.check("demo", 7L, 500, generator, PropertyRunnerTest::dialAfterPrimeDown, cluster -> { }))
                .isInstanceOf(AssertionError.class).hasMessageContaining("shrunk from");
    }

    @Test
    void exhaustiveEnumerationSkipsNoOpLinkActionsAndFindsTheShortestFailure() {
        ClusterCase base = new ClusterCase(List.of(true, false), 0, List.of(new ClusterCase.GroupSpec(
                org.dialbalance.api.DialingMode.PREDICTIVE, ClusterCase.Dialer.UNSET, 0)), List.of());
        List<Action> alphabet = List.of(new Action.Dial(0), new Action.Down(0, LinkRole.PRIMARY), new Action.Up(0, LinkRole.PRIMARY),
                new Action.Down(1, LinkRole.BACKUP));
        List<List<Action>> seen = new ArrayList<>();
        Exhaustive.Result all = Exhaustive.check("count", base, alphabet, 3, cluster -> {
            seen.add(cluster.actions());
            return Optional.empty();
        });

        assertThat(all.failure()).isEmpty();
        // at each step exactly two actions are not no-ops: the dial, and the down or up of #0's primary
        assertThat(seen).noneMatch(actions -> actions.contains(new Action.Down(1, LinkRole.BACKUP)));
        assertThat(seen).noneMatch(actions -> !actions.isEmpty() && actions.get(0).equals(new Action.Up(0, LinkRole.PRIMARY)));
        assertThat(all.sequences()).isEqualTo(seen.size()).isEqualTo(8);

        Exhaustive.Result failing = Exhaustive.check("demo", base, alphabet, 3, PropertyRunnerTest::dialAfterPrimeDown);
        assertThat(failing.failure()).isPresent();
        assertThat(failing.failure().get().shrunk().actions()).hasSize(2);
    }
}
