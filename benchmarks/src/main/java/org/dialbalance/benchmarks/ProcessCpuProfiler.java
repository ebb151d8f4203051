package org.dialbalance.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler ({@code -prof org.dialbalance.benchmarks.ProcessCpuProfiler}) that reports the CPU time the
 * benchmark's JVM used per operation, {@code cpu.time.norm} in ns/op: the process CPU time of each iteration
 * (every thread: the benchmark's, the garbage collector's, the balancer's own, JMH's) divided by its operations, as
 * {@code -prof gc} divides the bytes allocated. On a machine other processes also load, the time per operation
 * includes the time the benchmark thread waited for a core; the CPU time does not, so it moves far less with the
 * load (caches and frequency still move it a little).
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    private final com.sun.management.OperatingSystemMXBean system =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long startNanos;

    @Override
    public String getDescription() {
        return "process CPU time per operation (all threads of the benchmark JVM)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startNanos = system.getProcessCpuTime();
    }

    @Override
    public Collection<ScalarResult> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                  IterationResult result) {
        long used = system.getProcessCpuTime() - startNanos;
        long operations = result.getMetadata().getAllOps();
        return operations == 0 ? List.of()
                : List.of(new ScalarResult("cpu.time.norm", (double) used / operations, "ns/op", AggregationPolicy.AVG));
    }
}
