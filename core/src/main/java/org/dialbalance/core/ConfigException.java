package org.dialbalance.core;

import java.util.List;
import java.util.stream.Collectors;

import org.dialbalance.api.ConfigProblem;

/**
 * A configuration was refused. Carries every problem found, each naming the option, the value and
 * what was expected; the message lists them all, one per line.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    /** @param problems at least one problem */
    public ConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order found. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return "invalid dialbalance configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "):" + problems.stream().map(problem -> "\n  - " + problem.message()).collect(Collectors.joining());
    }
}
