package org.dialbalance.benchmarks.peers;

import java.util.Arrays;
import java.util.Map;

import io.grpc.ClientStreamTracer;
import io.grpc.LoadBalancer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.xds.shaded.com.github.xds.data.orca.v3.OrcaLoadReport;

/**
 * grpc-java's {@code weighted_round_robin} ({@code io.grpc.xds.WeightedRoundRobinLoadBalancer}, gRFC A58, in
 * {@code grpc-xds}) over READY subchannels with the weights a caller asks for, set the way a running channel learns
 * them: from per-request ORCA load reports in RPC trailers ({@code endpoint-load-metrics-bin}).
 *
 * <p>Without load reports the balancer gives every subchannel weight 0 and its scheduler falls back to plain round
 * robin (an equal weight for everyone, one scheduler round per pick). To measure the weighted path instead, setup
 * completes one RPC's stream tracer on each subchannel with a report of {@code rps_fractional = w} and
 * {@code cpu_utilization = 1}, which the balancer turns into weight {@code w} (qps ÷ utilization), then hands the
 * balancer its addresses again, which recomputes the weights at once (its timer does so every second). The
 * configuration makes those weights usable at once and keeps them for the whole run: {@code blackoutPeriod = 0s}
 * (default 10 s), {@code weightExpirationPeriod = 3600s} (default 3 min); per-request reporting
 * ({@code enableOobLoadReport = false}) is the default. Setup checks that the picks follow the weights.
 */
public final class GrpcWeightedRoundRobin {

    /** The policy's configuration, as a service config carries it. */
    public static final Map<String, ?> CONFIG = Map.of("blackoutPeriod", "0s", "weightExpirationPeriod", "3600s");

    /** The trailer grpc's per-request ORCA tracer reads: a serialized {@code xds.data.orca.v3.OrcaLoadReport}. */
    private static final Metadata.Key<byte[]> LOAD_REPORT =
            Metadata.Key.of("endpoint-load-metrics-bin", Metadata.BINARY_BYTE_MARSHALLER);

    private GrpcWeightedRoundRobin() {
    }

    /**
     * Starts grpc's weighted_round_robin over {@code weights.length} READY subchannels, backend {@code i} reported at
     * weight {@code weights[i]}, and returns it once its picks follow those weights.
     *
     * @param weights each backend's weight, at least 1
     * @throws IllegalArgumentException if a weight is below 1
     * @throws IllegalStateException    if the balancer cannot be started, a backend is never picked while the
     *                                  weights are being reported, or the picks do not follow the weights
     */
    public static GrpcBalancer weighted(int[] weights) {
        int total = 0;
        for (int weight : weights) {
            if (weight < 1) {
                throw new IllegalArgumentException("weights must be at least 1, got " + weight);
            }
            total += weight;
        }
        GrpcBalancer balancer = GrpcBalancer.ready("weighted_round_robin", CONFIG, weights.length);
        int[] once = new int[weights.length];
        Arrays.fill(once, 1);
        balancer.pickUntil(once, 4L * weights.length, pick -> report(pick, weights[balancer.backendOf(pick)]));
        balancer.resolveAgain();
        requireShares(balancer, weights, total);
        return balancer;
    }

    /** Completes one RPC on the picked subchannel, its trailers carrying a load report worth {@code weight}. */
    private static void report(LoadBalancer.PickResult pick, int weight) {
        ClientStreamTracer.Factory factory = pick.getStreamTracerFactory();
        if (factory == null) {
            throw new IllegalStateException("weighted_round_robin's pick carries no stream tracer for per-request load reports");
        }
        ClientStreamTracer tracer = factory.newClientStreamTracer(ClientStreamTracer.StreamInfo.newBuilder().build(), new Metadata());
        Metadata trailers = new Metadata();
        trailers.put(LOAD_REPORT, OrcaLoadReport.newBuilder().setCpuUtilization(1.0).setRpsFractional(weight).build().toByteArray());
        tracer.inboundTrailers(trailers);
        tracer.streamClosed(Status.OK);
    }

    /** Over 100 × total weight picks, each backend gets its share of them to within a tenth (plus one pick). */
    private static void requireShares(GrpcBalancer balancer, int[] weights, int total) {
        int rounds = 100;
        int[] picks = new int[weights.length];
        for (int i = 0; i < rounds * total; i++) {
            picks[balancer.backendOf(balancer.pick())]++;
        }
        for (int backend = 0; backend < weights.length; backend++) {
            int expected = rounds * weights[backend];
            if (Math.abs(picks[backend] - expected) > expected / 10 + 1) {
                throw new IllegalStateException("weighted_round_robin picked backend " + backend + " (weight "
                        + weights[backend] + ") " + picks[backend] + " times in " + rounds * total + " picks, expected "
                        + expected + ": the load reports did not set the weights");
            }
        }
    }
}
