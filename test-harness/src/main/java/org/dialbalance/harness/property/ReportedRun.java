package org.dialbalance.harness.property;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * What a passing property run checked, where a build shows it. Surefire sends test output to files and prints
 * only each class's counts, so a run appends one line — property, cases, coverage, seed — to
 * {@code target/property-runs.txt} (or the file {@code -Ddialbalance.property.report=FILE} names), and the
 * modules that run properties print that file in their {@code test} phase, right after surefire's lines
 * (maven-antrun-plugin in the parent pom, for every module), then delete it.
 */
public final class ReportedRun {

    /** The system property naming the file. */
    public static final String REPORT_PROPERTY = "dialbalance.property.report";

    private ReportedRun() {
    }

    /**
     * Runs a property, then records what it checked.
     *
     * @param property what is checked
     * @param seed     the run's seed, or {@code null} for an enumeration
     * @param run      checks the property (throwing on failure) and returns what it checked, e.g.
     *                 {@code "10000 cases, coverage ..."}
     */
    public static void run(String property, Long seed, Supplier<String> run) {
        String summary = run.get();
        record(property + ": " + summary + (seed == null ? "" : " [seed " + seed + ", re-run: -D" + PropertyRunner.SEED_PROPERTY + "=" + seed + "]"));
    }

    /** Appends one line to the report file. */
    public static synchronized void record(String line) {
        Path file = Path.of(System.getProperty(REPORT_PROPERTY, "target/property-runs.txt"));
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, "PASSED " + line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the property report " + file.toAbsolutePath(), e);
        }
    }
}
