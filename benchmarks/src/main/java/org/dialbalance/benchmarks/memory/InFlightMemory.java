package org.dialbalance.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeId;
import org.dialbalance.benchmarks.Fixtures;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.openjdk.jol.info.GraphLayout;

/**
 * Memory retained per in-flight request: a started {@code DialBalancer} over the test harness's
 * {@link InMemoryTransport} in {@link InMemoryTransport.ReplyMode#SILENT} mode (requests are written and
 * never answered) with a {@link ManualScheduler} (time stands still, so nothing times out), before and after
 * {@code n} dials. Two measures:
 * <ul>
 *   <li><b>graph</b>: the bytes of every object reachable from the balancer, transport and scheduler, walked
 *       with JOL; the difference divided by {@code n}, with a per-class breakdown;</li>
 *   <li><b>heap</b>: used heap after full GCs, the difference divided by {@code n} (a cross-check).</li>
 * </ul>
 * All dials pass the same request object, so the numbers are what the framework keeps per request, not
 * the caller's request itself (whose size is printed separately). The in-memory transport keeps its own
 * records of every request (the {@code SentRequest}, {@code PendingRequest} rows), which a network
 * transport would replace with its own pending-reply entry; the breakdown tells them apart.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.dialbalance.benchmarks.memory.InFlightMemory}.
 */
public final class InFlightMemory {

    /**
     * One measurement.
     *
     * @param inFlight           requests in flight
     * @param graphBytesPerRequest reachable bytes added per request
     * @param heapBytesPerRequest  used heap after GC added per request
     * @param perRequestByClass  instances and bytes per request, by class, largest first
     */
    public record Row(int inFlight, double graphBytesPerRequest, double heapBytesPerRequest, List<ClassShare> perRequestByClass) {
    }

    /**
     * One class's share of a request.
     *
     * @param className the class
     * @param instances instances per request
     * @param bytes     bytes per request
     */
    public record ClassShare(String className, double instances, double bytes) {
    }

    static {
        // JOL reads fields through Unsafe offsets, which the JDK refuses for record classes (the harness and core
        // use records); this JOL option computes those offsets another way
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private InFlightMemory() {
    }

    /** Measures each count with a fresh balancer. */
    public static List<Row> measure(int... counts) {
        List<Row> rows = new ArrayList<>();
        for (int count : counts) {
            rows.add(measureOne(count));
        }
        return rows;
    }

    /** Bytes of one request as the benchmarks dial it (one user-data entry), its campaign group excluded. */
    public static long requestBytes() {
        CampaignGroup group = Fixtures.regularGroup();
        DialRequest request = Fixtures.callWithUserData(group, 123_456);
        return GraphLayout.parseInstance(request).totalSize() - GraphLayout.parseInstance(group).totalSize();
    }

    private static Row measureOne(int count) {
        InMemoryTransport transport = new InMemoryTransport();
        ManualScheduler scheduler = new ManualScheduler();
        CampaignGroup sales = Fixtures.regularGroup();
        BalancerConfig.Builder config = BalancerConfig.builder().primeNode(NodeId.of(Fixtures.FIRST_DBID)).lbMode("round-robin")
                .requestTimeout(Duration.ofHours(1)).maxPendingRequests(1_000_000).applicationName("bench-memory").campaignGroup(sales);
        Fixtures.topology(4).nodes().forEach(config::node);
        for (int i = 0; i < 4; i++) {
            transport.replyMode(NodeId.of(Fixtures.FIRST_DBID + i), InMemoryTransport.ReplyMode.SILENT);
        }
        DialRequest request = Fixtures.callWithUserData(sales, 1);
        try (DialBalancer balancer = DialBalancer.builder(config.build()).transport(transport).scheduler(scheduler).build()) {
            balancer.start();
            scheduler.runDue();
            if (balancer.snapshot().activeCount() != 4) {
                throw new IllegalStateException("the in-memory cluster did not come up: " + balancer.snapshot());
            }
            // warm the dialing path once, then forget that request
            balancer.dial(request);
            transport.pending().forEach(pending -> pending.accept());
            transport.clearRecords();
            scheduler.advance(Duration.ofSeconds(1));

            GraphLayout before = GraphLayout.parseInstance(balancer, transport, scheduler);
            long heapBefore = usedHeapAfterGc();
            for (int i = 0; i < count; i++) {
                balancer.dial(request);
            }
            long heapAfter = usedHeapAfterGc();
            GraphLayout after = GraphLayout.parseInstance(balancer, transport, scheduler);
            int pending = transport.pending().size();
            if (pending != count) {
                throw new IllegalStateException(pending + " requests pending, expected " + count);
            }
            Row row = new Row(count, (after.totalSize() - before.totalSize()) / (double) count,
                    (heapAfter - heapBefore) / (double) count, byClass(before, after, count));
            transport.pending().forEach(InMemoryTransport.PendingRequest::accept);
            return row;
        } finally {
            transport.close();
            scheduler.close();
        }
    }

    private static List<ClassShare> byClass(GraphLayout before, GraphLayout after, int count) {
        Map<Class<?>, long[]> diff = new HashMap<>();
        for (Class<?> type : after.getClasses()) {
            diff.put(type, new long[] {after.getClassCounts().count(type), after.getClassSizes().count(type)});
        }
        for (Class<?> type : before.getClasses()) {
            long[] values = diff.computeIfAbsent(type, ignored -> new long[2]);
            values[0] -= before.getClassCounts().count(type);
            values[1] -= before.getClassSizes().count(type);
        }
        List<ClassShare> shares = new ArrayList<>();
        diff.forEach((type, values) -> {
            double bytes = values[1] / (double) count;
            if (Math.abs(bytes) >= 1.0) {
                shares.add(new ClassShare(type.getName(), values[0] / (double) count, bytes));
            }
        });
        shares.sort(Comparator.comparingDouble(ClassShare::bytes).reversed());
        return shares;
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Prints the table and the breakdown of the largest count as Markdown. Arguments: counts, default 1000 10000 100000. */
    public static void main(String[] args) {
        int[] counts = args.length == 0 ? new int[] {1_000, 10_000, 100_000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        List<Row> rows = measure(counts);
        System.out.println(format(rows));
    }

    /** The table and the largest count's breakdown, Markdown. */
    public static String format(List<Row> rows) {
        StringBuilder out = new StringBuilder("| in flight | graph B/request (JOL) | heap B/request (after GC) | retained for all |\n"
                + "|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %,d | %.1f | %.1f | %.1f MB |%n", row.inFlight(), row.graphBytesPerRequest(),
                    row.heapBytesPerRequest(), row.graphBytesPerRequest() * row.inFlight() / 1e6));
        }
        Row largest = rows.get(rows.size() - 1);
        out.append(String.format(Locale.ROOT, "%nPer request at %,d in flight, by class:%n%n| class | instances | bytes |%n|---|---:|---:|%n",
                largest.inFlight()));
        for (ClassShare share : largest.perRequestByClass()) {
            out.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.1f |%n", share.className(), share.instances(), share.bytes()));
        }
        out.append(String.format(Locale.ROOT, "%nThe request object itself (one user-data entry, group shared): %d bytes.%n", requestBytes()));
        return out.toString();
    }
}
