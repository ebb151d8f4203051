package org.dialbalance.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.dialbalance.api.DialRequest;

/**
 * Drives a dial function with load from one issuing thread: closed loop (a fixed number of requests in
 * flight, for the highest sustained rate) or open loop (requests at fixed intended times, for latency at a
 * given rate). Latency is measured from a request's <em>intended</em> send time to its completion, so a
 * stalled sender does not hide queueing (no coordinated omission).
 */
public final class LoadDriver {

    /** Refuse to keep going once this many requests are in flight in an open-loop run: the rate is not sustainable. */
    static final int OPEN_LOOP_BACKLOG_LIMIT = 200_000;

    private final Function<DialRequest, CompletionStage<?>> dial;
    private final Predicate<Object> success;
    private final DialRequest[] requests;
    private final String serverThreadPrefix;

    /**
     * @param dial               sends one request; its stage completes with the outcome
     * @param success            whether an outcome is a success (EventDialing)
     * @param requests           the requests to cycle through
     * @param serverThreadPrefix name prefix of the server side's threads, whose CPU time is not the client's
     */
    public LoadDriver(Function<DialRequest, CompletionStage<?>> dial, Predicate<Object> success, DialRequest[] requests,
                      String serverThreadPrefix) {
        this.dial = dial;
        this.success = success;
        this.requests = requests.clone();
        this.serverThreadPrefix = serverThreadPrefix;
    }

    /**
     * The highest rate sustained with {@code window} requests in flight, after a warm-up.
     *
     * @param windows how many consecutive measurement windows of {@code windowLength} to report
     */
    public Throughput maxThroughput(int window, Duration warmup, int windows, Duration windowLength) throws InterruptedException {
        AtomicInteger inFlight = new AtomicInteger();
        LongAdder completed = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long[] boundaries = new long[windows + 1];
        long[] counts = new long[windows + 1];
        long[] cpuFrom = null;
        int boundary = 0;
        long nextBoundary = measureFrom;
        int sent = 0;
        int refillBelow = Math.max(1, window / 2);
        while (boundary <= windows) {
            long now = System.nanoTime();
            if (now >= nextBoundary) {
                boundaries[boundary] = now;
                counts[boundary] = completed.sum();
                if (boundary == 0) {
                    cpuFrom = cpuNanos();
                }
                boundary++;
                nextBoundary += windowLength.toNanos();
                continue;
            }
            if (inFlight.get() > refillBelow) {
                // refill in bursts once half the window completed: no wake-up per completion
                LockSupport.parkNanos(20_000);
                continue;
            }
            while (inFlight.get() < window) {
                inFlight.incrementAndGet();
                dial.apply(requests[sent++ % requests.length]).whenComplete((outcome, error) -> {
                    if (error != null || !success.test(outcome)) {
                        failed.increment();
                    }
                    completed.increment();
                    inFlight.decrementAndGet();
                });
            }
        }
        long[] cpuTo = cpuNanos();
        long measuredRequests = counts[windows] - counts[0];
        drain(inFlight);
        double[] rates = new double[windows];
        for (int i = 0; i < windows; i++) {
            rates[i] = (counts[i + 1] - counts[i]) * 1e9 / (boundaries[i + 1] - boundaries[i]);
        }
        return new Throughput(rates, failed.sum(), completed.sum(), (cpuTo[0] - cpuFrom[0]) / 1e3 / measuredRequests,
                (cpuTo[1] - cpuFrom[1]) / 1e3 / measuredRequests);
    }

    /**
     * Latency at a fixed open-loop rate: request {@code i} is due at {@code start + i / rate}; its latency
     * runs from then to its completion. Only requests due after the warm-up are recorded.
     */
    public Latency openLoop(int ratePerSecond, Duration warmup, Duration measure) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicInteger inFlight = new AtomicInteger();
        LongAdder failed = new LongAdder();
        LongAdder measured = new LongAdder();
        double intervalNanos = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        boolean sustainable = true;
        long i = 0;
        while (true) {
            long due = start + (long) (i * intervalNanos);
            if (due >= end) {
                break;
            }
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            if (inFlight.get() > OPEN_LOOP_BACKLOG_LIMIT) {
                sustainable = false;
                break;
            }
            boolean record = due >= measureFrom;
            inFlight.incrementAndGet();
            dial.apply(requests[(int) (i % requests.length)]).whenComplete((outcome, error) -> {
                long latency = System.nanoTime() - due;
                if (error != null || !success.test(outcome)) {
                    failed.increment();
                }
                if (record) {
                    recorder.recordValue(latency);
                    measured.increment();
                }
                inFlight.decrementAndGet();
            });
            i++;
        }
        long issuedUntil = System.nanoTime();
        drain(inFlight);
        Histogram histogram = recorder.getIntervalHistogram();
        return new Latency(ratePerSecond, sustainable, histogram, failed.sum(), measured.sum(),
                (issuedUntil - start) / 1e9);
    }

    /** CPU time (user and system) of all live threads so far: [client side, server side], in nanoseconds. */
    private long[] cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long client = 0;
        long server = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            if (info.getThreadName().startsWith(serverThreadPrefix)) {
                server += cpu;
            } else {
                client += cpu;
            }
        }
        return new long[] {client, server};
    }

    private static void drain(AtomicInteger inFlight) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(inFlight.get() + " requests still in flight 30 s after the load stopped");
            }
            Thread.sleep(1);
        }
    }

    /**
     * Result of a closed-loop run.
     *
     * @param rates     completions per second in each measurement window
     * @param failures  requests that did not end with EventDialing (whole run)
     * @param completed requests completed (whole run, warm-up included)
     * @param clientCpuMicros CPU time per request of every thread but the server's (driver, balancer, transport, GC, JIT)
     *                  over the measurement windows, in microseconds
     * @param serverCpuMicros CPU time per request of the server's threads, in microseconds
     */
    public record Throughput(double[] rates, long failures, long completed, double clientCpuMicros, double serverCpuMicros) {
        /** Mean of the windows. */
        public double mean() {
            double sum = 0;
            for (double rate : rates) {
                sum += rate;
            }
            return sum / rates.length;
        }

        /** Sample standard deviation of the windows. */
        public double stdev() {
            double mean = mean();
            double sum = 0;
            for (double rate : rates) {
                sum += (rate - mean) * (rate - mean);
            }
            return rates.length < 2 ? 0 : Math.sqrt(sum / (rates.length - 1));
        }
    }

    /**
     * Result of an open-loop run.
     *
     * @param rate        intended requests per second
     * @param sustainable false if the backlog passed {@value #OPEN_LOOP_BACKLOG_LIMIT} and the run stopped early
     * @param histogram   latencies of the measured requests, in nanoseconds
     * @param failures    requests that did not end with EventDialing (whole run)
     * @param measured    requests recorded
     * @param seconds     how long requests were issued
     */
    public record Latency(int rate, boolean sustainable, Histogram histogram, long failures, long measured, double seconds) {
        /** A percentile in microseconds. */
        public double micros(double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1_000.0;
        }
    }
}
