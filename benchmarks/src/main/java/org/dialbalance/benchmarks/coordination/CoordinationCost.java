package org.dialbalance.benchmarks.coordination;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.benchmarks.Fixtures;
import org.dialbalance.benchmarks.e2e.EndToEnd;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What coordination adds to one dial: {@code DialBalancer.dial} from the call to its {@code Dialed} outcome, with
 * coordination off and on, everything else alike — core, {@code round-robin} over {@value #NODES} active nodes (primary
 * links only), one regular campaign group, the balancer's own scheduler, and {@link AcceptingTransport}, which answers
 * every request at once on the calling thread with a result built in advance, so the transport adds nothing and each
 * call returns with its outcome complete. No observer, so no metrics.
 *
 * <p>{@code coordination}:
 * <ul>
 *   <li>{@code off}: no {@code coordination}; the request is sent as the host gave it;</li>
 *   <li>{@code owner}: {@code coordination = owns-every-group} ({@link OwnsEveryGroupProvider}: the group owned with a
 *       fixed token, read as {@code ZooKeeperCoordinator} reads it); the request, without extensions of its own as most
 *       are, is handed to the link with its token ({@code Link.send(request, token)}), which sends it without a copy;</li>
 *   <li>{@code owner-own-extensions}: the same, for requests that carry one extension of their own;</li>
 *   <li>{@code owner-copying-link}: as {@code owner}, over links that do not override {@code Link.send(request, token)},
 *       so its default copies each request with the two extensions: what a transport written before that method costs.</li>
 * </ul>
 * Every request has a little user data ({@link Fixtures#callWithUserData}); 1,024 of them are built in advance and
 * dialed in turn. One thread. Every dial must end {@code Dialed}: a trial with any other outcome fails instead of
 * reporting a number. Run with {@code -prof gc} for the bytes per dial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CoordinationCost {

    /** Active nodes. */
    static final int NODES = 2;

    /** {@code off}, {@code owner}, {@code owner-own-extensions} or {@code owner-copying-link}. */
    @Param({"off", "owner", "owner-own-extensions", "owner-copying-link"})
    public String coordination;

    private DialBalancer balancer;
    private final DialRequest[] requests = new DialRequest[1024];
    private int next;
    private long notDialed;
    private DialOutcome firstNotDialed;

    /** Builds and starts the balancer with the coordination asked for, and waits until every node is active. */
    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        CampaignGroup sales = Fixtures.regularGroup();
        boolean ownExtensions = coordination.equals("owner-own-extensions");
        for (int i = 0; i < requests.length; i++) {
            DialRequest.PredictiveCall call = Fixtures.callWithUserData(sales, i);
            requests[i] = ownExtensions ? new DialRequest.PredictiveCall(call.group(), call.originDn(), call.destination(),
                    call.ringTimeout(), call.userData(), Map.of("x-trace-id", "trace-" + i)) : call;
        }
        ClusterTopology topology = Fixtures.topology(NODES);
        BalancerConfig.Builder config = BalancerConfig.builder().primeNode(topology.prime()).lbMode("round-robin")
                .requestTimeout(Duration.ofSeconds(1)).applicationName("bench").campaignGroup(sales);
        topology.nodes().forEach(config::node);
        switch (coordination) {
            case "off" -> { }
            case "owner", "owner-own-extensions", "owner-copying-link" -> config.coordination(OwnsEveryGroupProvider.NAME);
            default -> throw new IllegalArgumentException("coordination = " + coordination
                    + ": expected off, owner, owner-own-extensions or owner-copying-link");
        }
        balancer = DialBalancer.builder(config.build()).transport(new AcceptingTransport(coordination.equals("owner-copying-link")))
                .build();
        balancer.start();
        EndToEnd.awaitActive(balancer, NODES, Duration.ofSeconds(10));
        Map<String, Long> owned = balancer.health().coordination().map(status -> status.owned()).orElse(Map.of());
        if (!owned.equals(coordination.equals("off") ? Map.of() : Map.of(sales.name(), OwnsEveryGroupProvider.TOKEN))) {
            throw new IllegalStateException("coordination = " + coordination + ", but the balancer owns " + owned
                    + ": not the setting this trial is about");
        }
    }

    /** One dial, to its outcome (complete on return: the transport answers on the calling thread). */
    @Benchmark
    public DialOutcome dial() {
        DialOutcome outcome = balancer.dial(requests[next++ & (requests.length - 1)]).toCompletableFuture().getNow(null);
        if (!(outcome instanceof DialOutcome.Dialed)) {
            if (notDialed++ == 0) {
                firstNotDialed = outcome;
            }
        }
        return outcome;
    }

    /** Stops the balancer, and fails the trial if any dial did not end {@code Dialed} on return. */
    @TearDown(Level.Trial)
    public void stop() {
        balancer.stop();
        if (notDialed > 0) {
            throw new IllegalStateException("coordination = " + coordination + ": " + notDialed + " dials did not end Dialed"
                    + " on return, the first with " + firstNotDialed + ": the time of this trial is not valid");
        }
    }
}
