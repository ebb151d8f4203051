package org.dialbalance.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The result of building something from configuration: a value, or every problem found. Providers
 * return this instead of throwing, so the framework can report all problems of a configuration at
 * once.
 *
 * @param <T> what was built
 */
@Stable(since = "0.1")
public sealed interface ConfigResult<T> permits ConfigResult.Valid, ConfigResult.Invalid {

    /** A value was built. @param value the value */
    record Valid<T>(T value) implements ConfigResult<T> {
        /** Requires a value. */
        public Valid {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Nothing was built. @param problems at least one problem */
    record Invalid<T>(List<ConfigProblem> problems) implements ConfigResult<T> {
        /** Requires at least one problem. */
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one problem");
            }
        }
    }

    /**
     * This result with its value passed through {@code function}: a valid result of what it returns, or an invalid
     * result with the same problems (the function is then not called). For a provider that builds on a parsed value.
     *
     * @param function what to build from the value; must not return null
     * @param <U>      what it builds
     * @since 0.4
     */
    default <U> ConfigResult<U> map(Function<? super T, ? extends U> function) {
        Objects.requireNonNull(function, "function");
        if (this instanceof Valid<T> valid) {
            return new Valid<>(function.apply(valid.value()));
        }
        return new Invalid<>(((Invalid<T>) this).problems());
    }

    /** A successful result. */
    static <T> ConfigResult<T> valid(T value) {
        return new Valid<>(value);
    }

    /** A failed result with one problem. */
    static <T> ConfigResult<T> invalid(String option, String value, String expected) {
        return new Invalid<>(List.of(new ConfigProblem(option, value, expected)));
    }
}
