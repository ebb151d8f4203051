package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.dialbalance.api.ConfigProblem;
import org.junit.jupiter.api.Test;

class DialedCallsTest {

    @Test
    void aReleasedCallIsForgotten() {
        DialedCalls calls = new DialedCalls(10);
        calls.add("c1");
        calls.add("c2");
        calls.remove("c1");
        assertThat(calls.contains("c1")).isFalse();
        assertThat(calls.contains("c2")).isTrue();
        assertThat(calls.size()).isEqualTo(1);
    }

    @Test
    void callsNeverReleasedStayWithinTheLimitOldestFirstOut() {
        DialedCalls calls = new DialedCalls(3);
        List<Long> forgotten = new ArrayList<>();
        for (int i = 1; i <= 1_000; i++) {
            forgotten.add(calls.add("c" + i));
        }
        assertThat(calls.size()).isEqualTo(3);
        assertThat(calls.contains("c998")).isTrue();
        assertThat(calls.contains("c1000")).isTrue();
        assertThat(calls.contains("c997")).isFalse();
        // nothing is forgotten while there is room; then each add counts one more, so the first eviction reports 1 (the link warns once)
        assertThat(forgotten.subList(0, 3)).containsOnly(0L);
        assertThat(forgotten.get(3)).isEqualTo(1L);
        assertThat(forgotten.get(999)).isEqualTo(997L);
    }

    @Test
    void aRepeatedOrEmptyConnIdTakesNoRoom() {
        DialedCalls calls = new DialedCalls(2);
        calls.add("c1");
        calls.add("c1");
        calls.add("");
        calls.add("c2");
        assertThat(calls.contains("c1")).isTrue();
        assertThat(calls.contains("")).isFalse();
        assertThat(calls.size()).isEqualTo(2);
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new DialedCalls(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    }

    @Test
    void maxTrackedCallsIsReadDefaultedAndChecked() {
        List<ConfigProblem> problems = new ArrayList<>();
        assertThat(TserverOptions.parse(Map.of(), problems).maxTrackedCalls()).isEqualTo(TserverOptions.DEFAULT_MAX_TRACKED_CALLS);
        assertThat(TserverOptions.parse(Map.of("max-tracked-calls", "5000"), problems).maxTrackedCalls()).isEqualTo(5_000);
        assertThat(problems).isEmpty();
        TserverOptions.parse(Map.of("max-tracked-calls", "0"), problems);
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.option()).isEqualTo("transport-options.tserver.max-tracked-calls");
            assertThat(problem.value()).isEqualTo("0");
        });
    }
}
