package org.dialbalance.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.dialbalance.benchmarks.e2e.EndToEnd;
import org.dialbalance.benchmarks.failover.Failover;
import org.dialbalance.benchmarks.memory.InFlightMemory;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI's smoke check: every benchmark runs once, in-process, with the smallest parameters and minimal
 * iterations, and produces a result. No number is asserted: CI machines are not benchmark machines.
 */
class BenchmarksSmokeTest {

    @Test
    void everyJmhBenchmarkProducesAResult() throws Exception {
        Options options = new OptionsBuilder()
                .include("org\\.dialbalance\\.benchmarks\\..*")
                .forks(0)
                .threads(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .param("nodes", "2")
                .param("groups", "10")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Set<String> declared = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of()).stream()
                .map(BenchmarkListEntry::getUsername).collect(Collectors.toSet());
        Set<String> ran = results.stream().map(result -> result.getParams().getBenchmark()).collect(Collectors.toSet());
        assertThat(declared).as("benchmarks found in META-INF/BenchmarkList").isNotEmpty();
        assertThat(ran).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(results).allSatisfy(result -> assertThat(result.getPrimaryResult().getSampleCount()).isPositive());
    }

    @Test
    void endToEndProducesEveryTable() throws Exception {
        EndToEnd.Settings settings = EndToEnd.Settings.smoke();

        List<EndToEnd.Result> results = EndToEnd.run(settings);

        assertThat(results).extracting(EndToEnd.Result::setup).containsExactly(EndToEnd.Setup.values());
        assertThat(results).allSatisfy(result -> {
            assertThat(result.throughput().rates()).hasSize(settings.windows());
            assertThat(result.latencies()).hasSize(settings.rates().length)
                    .allSatisfy(latency -> assertThat(latency.histogram().getTotalCount()).isPositive());
        });
        assertThat(EndToEnd.format(results, settings)).contains("max sustained requests/s");
    }

    @Test
    void failoverProducesEveryMeasure() throws Exception {
        Failover.Settings settings = Failover.Settings.smoke();

        Failover.Result result = Failover.run(settings);

        assertThat(result.killMillis()).hasSize(settings.killRuns());
        assertThat(result.blackholeMillis()).hasSize(settings.blackholeRuns());
        assertThat(result.decisions()).isPositive();
        assertThat(Failover.format(result, settings)).contains("blackholed");
    }

    @Test
    void inFlightMemoryProducesARow() {
        List<InFlightMemory.Row> rows = InFlightMemory.measure(1_000);

        assertThat(rows).singleElement().satisfies(row -> assertThat(row.perRequestByClass()).isNotEmpty());
        assertThat(InFlightMemory.format(rows)).contains("in flight");
    }
}
