package org.dialbalance.core;

import java.util.List;
import java.util.Objects;

import org.dialbalance.api.ConfigProblem;

/**
 * What {@link DialBalancer#reconfigure(BalancerConfig)} did: {@link Applied} with the new configuration version and
 * the changes, or {@link Refused} with every problem, nothing applied.
 */
public sealed interface ReconfigureResult permits ReconfigureResult.Applied, ReconfigureResult.Refused {

    /** Whether the configuration was applied (or was equal to the running one). */
    default boolean applied() {
        return this instanceof Applied;
    }

    /**
     * Applied: from {@code configurationVersion} on, requests are routed with the new configuration. An empty diff
     * (the configurations are equivalent) changes nothing and keeps the version.
     *
     * @param configurationVersion the balancer's configuration version now
     * @param diff                 what changed
     */
    record Applied(long configurationVersion, ConfigDiff diff) implements ReconfigureResult {
        /** Requires every field. */
        public Applied {
            Objects.requireNonNull(diff, "diff");
        }
    }

    /**
     * Refused: nothing was applied; the balancer runs on with its configuration as it was.
     *
     * @param problems every reason, each naming the option, the value and what was expected
     */
    record Refused(List<ConfigProblem> problems) implements ReconfigureResult {
        /** Requires at least one problem. */
        public Refused {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a refusal has at least one problem");
            }
        }
    }
}
