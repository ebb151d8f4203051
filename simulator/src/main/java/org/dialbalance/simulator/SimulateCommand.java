package org.dialbalance.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Callable;

import org.dialbalance.core.ConfigException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * Runs a scenario end to end: an embedded simulated SIP cluster on loopback, the balancer over the real
 * {@code tserver} transport, a steady workload, the fault script; then the summary, the verdict on the six
 * guarantees (exit status 1 if any fails) and an HTML report.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run a campaign workload with a fault script against an embedded SIP cluster and judge the result.")
final class SimulateCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "a scenario file (see simulator/scenarios/); default: the built-in default scenario")
    Path scenarioFile;

    @Option(names = "--lb-mode", paramLabel = "NAME", description = "run this balancing policy (any on the class path) instead of the scenario's")
    String lbMode;

    @Option(names = "--report", paramLabel = "FILE", description = "where to write the HTML report (default: ${DEFAULT-VALUE})",
            defaultValue = "target/dialbalance-report.html")
    Path report;

    @Option(names = "--no-report", description = "write no HTML report")
    boolean noReport;

    @Option(names = "--requests", paramLabel = "N", description = "issue N requests instead of the scenario's count")
    Integer requests;

    @Option(names = "--rate", paramLabel = "N", description = "issue N requests per second instead of the scenario's rate")
    Integer rate;

    @Option(names = "--seed", paramLabel = "N", description = "seed the workload and the servers with N")
    Long seed;

    @Option(names = "--fault-mode", paramLabel = "MODE", converter = FaultModeConverter.class,
            description = "in-stream (default: each fault placed in the request stream and observed before the workload goes on;"
                    + " the same seed gives the same tables on any machine) or wall-clock (faults at their share of the planned"
                    + " duration, meeting requests in flight: realistic, not reproducible request for request)")
    FaultMode faultMode;

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "serve the balancer's meters for Prometheus at http://127.0.0.1:N/metrics while the run lasts")
    Integer metricsPort;

    @Option(names = "--quiet", description = "no progress output")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validateArguments();
        PrintWriter err = spec.commandLine().getErr();
        Scenario scenario;
        try {
            scenario = scenarioFile == null ? Scenario.defaultScenario() : Scenario.load(scenarioFile);
        } catch (IllegalArgumentException e) {
            err.println(Main.oneProblemOnOneLine(e.getMessage()));
            err.flush();
            return Main.INVALID_INPUT;
        }
        if (lbMode != null) {
            scenario = scenario.withLbMode(lbMode);
        }
        if (requests != null) {
            scenario = scenario.withRequests(requests);
        }
        if (rate != null) {
            scenario = scenario.withRate(rate);
        }
        if (seed != null) {
            scenario = scenario.withSeed(seed);
        }
        if (faultMode != null) {
            scenario = scenario.withFaultMode(faultMode);
        }
        // Ctrl-C: the JVM runs this hook; it asks the run to stop issuing, then waits until the summary, the
        // verdict and the report of what ran are out. The JVM then exits with 130 (128 + SIGINT).
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dialbalance-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try (MetricsEndpoint metrics = metricsPort == null ? null : MetricsEndpoint.start(metricsPort)) {
            return run(scenario, new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8),
                    err, System.console() != null, quiet, noReport ? null : report, stop::get, metrics);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // interrupted: the hook is running and now returns
            }
        }
    }

    /** How long Ctrl-C waits for in-flight requests, the summary and the report before the JVM ends anyway. */
    private static final long INTERRUPT_GRACE_SECONDS = 60;

    /** Reads {@code --fault-mode}. */
    static final class FaultModeConverter implements CommandLine.ITypeConverter<FaultMode> {
        @Override
        public FaultMode convert(String value) {
            try {
                return FaultMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Refuses what type conversion lets through, before anything starts: each is reported on one line of
     * stderr with exit status 2 (see {@link Main#reportBadArgument}).
     *
     * @throws ParameterException naming the argument and what was expected
     */
    private void validateArguments() {
        if (requests != null && requests <= 0) {
            throw invalid("Invalid value for option '--requests': '" + requests + "' is not a positive number");
        }
        if (rate != null && rate <= 0) {
            throw invalid("Invalid value for option '--rate': '" + rate + "' is not a positive number");
        }
        if (scenarioFile != null) {
            Main.requireFile(spec.commandLine(), scenarioFile, "scenario file");
        }
        if (!noReport && Files.isDirectory(report)) {
            throw invalid("Invalid value for option '--report': '" + report + "' is a directory");
        }
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * Runs a scenario and prints everything; used by the command and by tests.
     *
     * @return the exit status
     */
    static int run(Scenario scenario, PrintStream out, PrintWriter err, boolean terminal, boolean quiet, Path report)
            throws InterruptedException, IOException {
        return run(scenario, out, err, terminal, quiet, report, () -> false);
    }

    /**
     * Runs a scenario and prints everything; {@code stop} set meanwhile ends the workload early, and what ran
     * is summarized, judged and reported.
     *
     * @return the exit status: 0, 1 when a guarantee failed, 2 for invalid input, 130 when stopped early
     */
    static int run(Scenario scenario, PrintStream out, PrintWriter err, boolean terminal, boolean quiet, Path report,
                   BooleanSupplier stop) throws InterruptedException, IOException {
        return run(scenario, out, err, terminal, quiet, report, stop, null);
    }

    /** As above, with the balancer metered into {@code metrics} when it is not null ({@code --metrics-port}). */
    static int run(Scenario scenario, PrintStream out, PrintWriter err, boolean terminal, boolean quiet, Path report,
                   BooleanSupplier stop, MetricsEndpoint metrics) throws InterruptedException, IOException {
        out.printf("Scenario '%s': %s%n", scenario.name(), scenario.description());
        out.printf("%d nodes, %d requests at %d/s, %d faults (fault mode %s), seed %d%n%n", scenario.nodes().size(),
                scenario.requests(), scenario.rate(), scenario.faults().size(), scenario.faultMode().optionName(), scenario.seed());
        if (!scenario.dialers().isEmpty()) {
            return runDialers(scenario, out, err, terminal, quiet, report, stop, metrics);
        }
        SimulationResult result;
        try (ClusterUnderTest cluster = EmbeddedCluster.start(scenario)) {
            if (metrics != null) {
                out.println("Metrics: " + metrics.url());
            }
            result = new SimulationRunner(new Progress(out, terminal, quiet), stop)
                    .metrics(metrics == null ? null : metrics.newMetrics()).run(scenario, cluster);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.INVALID_INPUT;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.INVALID_INPUT;
        }
        Summary summary = Summary.of(result);
        List<Verdict.Result> verdict = Verdict.judge(result);
        out.println();
        out.print(summary.text());
        out.println();
        if (metrics != null) {
            metrics.printSummary(out);
            out.println();
        }
        if (LoadChart.worthDrawing(result)) {
            out.println("Calls in progress plus requests awaiting replies, peak per node over " + result.loadSamples().size()
                    + " samples (the report charts them over time): " + String.join("; ", LoadVerdict.peaks(result)));
            out.println();
        }
        boolean passed = printVerdict(out, verdict);
        if (report != null) {
            HtmlReport.write(report, result, summary, verdict);
            out.println("Report: " + report.toAbsolutePath());
        }
        if (result.interrupted()) {
            out.println("Interrupted: " + result.requests().size() + " of " + scenario.requests() + " requests were issued;"
                    + " the verdict covers those.");
        }
        out.flush();
        if (result.interrupted()) {
            return Main.INTERRUPTED;
        }
        return passed ? 0 : Main.GUARANTEE_FAILED;
    }

    /** Prints the verdict's lines and PASS or FAIL; returns whether it passed. */
    private static boolean printVerdict(PrintStream out, List<Verdict.Result> verdict) {
        out.println("Verdict (checked against what each simulated server received):");
        for (Verdict.Result line : verdict) {
            out.printf("  %-4s %-66s checked %7d%s%n", line.status(), line.name(), line.checked(),
                    line.firstViolation().isEmpty() ? "" : "\n         " + line.firstViolation());
        }
        boolean passed = Verdict.passed(verdict);
        out.println(passed ? "\nVERDICT: PASS" : "\nVERDICT: FAIL");
        return passed;
    }

    /** A scenario with several dialers ({@link DialersRunner}): its summary, the verdict of {@link OwnershipVerdict}, its report. */
    private static int runDialers(Scenario scenario, PrintStream out, PrintWriter err, boolean terminal, boolean quiet, Path report,
                                  BooleanSupplier stop, MetricsEndpoint metrics) throws InterruptedException, IOException {
        if (metrics != null) {
            err.println("--metrics-port meters one balancer; the scenario has " + scenario.dialers().size() + " dialers (leave the option out)");
            err.flush();
            return Main.INVALID_INPUT;
        }
        out.printf("Dialers: %s, over one cluster and an embedded ZooKeeper%n%n",
                String.join(", ", scenario.dialers().stream().map(Scenario.Dialer::id).toList()));
        DialersResult result;
        try (ClusterUnderTest cluster = EmbeddedCluster.start(scenario)) {
            result = new DialersRunner(new Progress(out, terminal, quiet), stop).run(scenario, cluster);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.INVALID_INPUT;
        }
        List<Verdict.Result> verdict = OwnershipVerdict.judge(result);
        out.println();
        out.print(DialersReport.text(result));
        out.println();
        boolean passed = printVerdict(out, verdict);
        if (report != null) {
            DialersReport.write(report, result, verdict);
            out.println("Report: " + report.toAbsolutePath());
        }
        out.flush();
        if (result.interrupted()) {
            out.println("Interrupted: the verdict covers the requests issued.");
            return Main.INTERRUPTED;
        }
        return passed ? 0 : Main.GUARANTEE_FAILED;
    }
}
