package org.dialbalance.api.coordination;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.Experimental;

/** The answer of {@link CoordinationHost#applySharedConfiguration}: applied, refused, or too soon. */
@Experimental(reason = "new in 0.4: the shared cluster configuration")
public sealed interface SharedConfigurationResult
        permits SharedConfigurationResult.Applied, SharedConfigurationResult.Refused, SharedConfigurationResult.TooSoon {

    /**
     * The balancer runs the shared configuration now.
     *
     * @param configurationVersion the balancer's configuration version with it (unchanged when it changed nothing)
     * @param summary              the changes made, in words; {@code "no change"} when it equalled the running one
     */
    record Applied(long configurationVersion, String summary) implements SharedConfigurationResult {
        /** Requires a summary. */
        public Applied {
            Objects.requireNonNull(summary, "summary");
        }
    }

    /**
     * Nothing was applied: the running configuration stays.
     *
     * @param problems every problem found, each naming the option, the value and what was expected (at least one)
     */
    record Refused(List<ConfigProblem> problems) implements SharedConfigurationResult {
        /** Requires at least one problem; copies them. */
        public Refused {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a refusal needs at least one problem");
            }
        }
    }

    /**
     * Nothing was applied yet: the balancer applies at most one reconfiguration per second. The configuration is valid
     * as far as it was checked; offer it (or a newer one) again after {@code retryIn}.
     *
     * @param retryIn how long until a reconfiguration is allowed again (positive)
     */
    record TooSoon(Duration retryIn) implements SharedConfigurationResult {
        /** Requires a positive wait. */
        public TooSoon {
            if (retryIn.isNegative() || retryIn.isZero()) {
                throw new IllegalArgumentException("retryIn must be positive: " + retryIn);
            }
        }
    }
}
