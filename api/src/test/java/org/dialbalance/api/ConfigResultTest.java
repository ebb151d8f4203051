package org.dialbalance.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link ConfigResult#map}: a valid value passes through the function; problems pass through untouched. */
class ConfigResultTest {

    @Test
    void aValidResultMapsItsValue() {
        assertThat(ConfigResult.valid("12").map(Integer::parseInt)).isEqualTo(ConfigResult.valid(12));
    }

    @Test
    void anInvalidResultKeepsItsProblemsAndNeverCallsTheFunction() {
        ConfigResult<String> invalid = ConfigResult.invalid("policy-options.round-robin.slow-start.window", "0s", "1ms to 1h");
        ConfigResult<Integer> mapped = invalid.map(value -> {
            throw new AssertionError("called on an invalid result");
        });
        assertThat(mapped).isInstanceOf(ConfigResult.Invalid.class);
        assertThat(((ConfigResult.Invalid<Integer>) mapped).problems())
                .isEqualTo(List.of(new ConfigProblem("policy-options.round-robin.slow-start.window", "0s", "1ms to 1h")));
    }
}
