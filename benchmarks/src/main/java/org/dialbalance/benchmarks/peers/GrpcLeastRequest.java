package org.dialbalance.benchmarks.peers;

import java.util.Map;

import io.grpc.Attributes;
import io.grpc.ClientStreamTracer;
import io.grpc.LoadBalancer;
import io.grpc.Metadata;

/**
 * grpc-java's {@code least_request_experimental} ({@code io.grpc.xds.LeastRequestLoadBalancer}, gRFC A48, in
 * {@code grpc-xds}) over READY subchannels with the numbers of outstanding requests a caller asks for, held the way a
 * running channel holds them: the picker counts a subchannel's outstanding requests through the stream tracer each
 * pick carries (one more when a stream is created, one less when it closes).
 *
 * <p>Setup picks, and for each pick whose subchannel has fewer open streams than asked, creates a stream on the pick's
 * tracer; the streams are never closed, so the counts stay fixed for the run. {@code choiceCount} is 2, the default
 * (power of two choices). Setup checks that the picker reads the counts: the picked backends' mean outstanding count
 * is below the mean over all backends.
 */
public final class GrpcLeastRequest {

    /** The policy's configuration, as a service config carries it (JSON numbers are doubles). */
    public static final Map<String, ?> CONFIG = Map.of("choiceCount", 2.0);

    private GrpcLeastRequest() {
    }

    /**
     * Starts grpc's least_request_experimental over {@code outstanding.length} READY subchannels, opens
     * {@code outstanding[i]} streams on backend {@code i} and returns it.
     *
     * @param outstanding each backend's open streams, at least 0
     * @throws IllegalArgumentException if a count is negative
     * @throws IllegalStateException    if the balancer cannot be started, the streams cannot all be opened within a
     *                                  bound of picks, or the picks do not favour the less loaded backends
     */
    public static GrpcBalancer loaded(int[] outstanding) {
        long total = 0;
        for (int count : outstanding) {
            if (count < 0) {
                throw new IllegalArgumentException("outstanding counts must be at least 0, got " + count);
            }
            total += count;
        }
        GrpcBalancer balancer = GrpcBalancer.ready("least_request_experimental", CONFIG, outstanding.length);
        balancer.pickUntil(outstanding, 100_000L * outstanding.length + 1_000L * total, GrpcLeastRequest::openStream);
        requireFavoursLessLoaded(balancer, outstanding, total);
        return balancer;
    }

    /** Creates a stream on the picked subchannel and leaves it open. */
    private static void openStream(LoadBalancer.PickResult pick) {
        ClientStreamTracer.Factory factory = pick.getStreamTracerFactory();
        if (factory == null) {
            throw new IllegalStateException("least_request_experimental's pick carries no stream tracer");
        }
        Metadata headers = new Metadata();
        factory.newClientStreamTracer(ClientStreamTracer.StreamInfo.newBuilder().build(), headers)
                .streamCreated(Attributes.EMPTY, headers);
    }

    /** Over 10,000 picks the picked backends' mean outstanding count is below the mean of all (if counts differ). */
    private static void requireFavoursLessLoaded(GrpcBalancer balancer, int[] outstanding, long total) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int count : outstanding) {
            min = Math.min(min, count);
            max = Math.max(max, count);
        }
        if (min == max) {
            return;
        }
        int picks = 10_000;
        long picked = 0;
        for (int i = 0; i < picks; i++) {
            picked += outstanding[balancer.backendOf(balancer.pick())];
        }
        if (picked * outstanding.length >= total * picks) {
            throw new IllegalStateException("least_request_experimental's picks average " + (double) picked / picks
                    + " outstanding requests against " + (double) total / outstanding.length
                    + " over all backends: it does not see the open streams");
        }
    }
}
