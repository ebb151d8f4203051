package org.dialbalance.api.policy;

import org.dialbalance.api.Experimental;

/**
 * A node's balancing options, from its entry in {@code nodes[]}: {@code weight} and {@code max-calls}. Reached
 * through {@link PolicyContext#nodeOptions(int)}. Policies that do not weigh nodes may ignore them; the balancer
 * enforces {@code max-calls} for every policy.
 *
 * @param weight   the node's relative share, 1 to {@value #MAX_WEIGHT}; 1 when not configured
 * @param maxCalls the most calls the node may have in progress (calls plus requests awaiting a reply), 1 to
 *                 {@value #MAX_CALLS}, or {@value #UNLIMITED} when not configured
 */
@Experimental(reason = "new in 0.3 with load-aware balancing; may gain options")
public record NodeOptions(int weight, int maxCalls) {

    /** The largest weight. */
    public static final int MAX_WEIGHT = 1000;
    /**
     * The largest configurable {@code max-calls}, also the largest {@code max-calls-in-progress}; a node's
     * {@code max-calls} is at most the configured {@code max-calls-in-progress} (default 100000).
     */
    public static final int MAX_CALLS = 10_000_000;
    /** {@code max-calls} when none is configured: no cap. */
    public static final int UNLIMITED = Integer.MAX_VALUE;
    /** A node with no options: weight 1, no cap. */
    public static final NodeOptions DEFAULT = new NodeOptions(1, UNLIMITED);

    /** @throws IllegalArgumentException if a value is out of range */
    public NodeOptions {
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("a weight is from 1 to " + MAX_WEIGHT + ", got " + weight);
        }
        if (maxCalls < 1 || (maxCalls > MAX_CALLS && maxCalls != UNLIMITED)) {
            throw new IllegalArgumentException("max-calls is from 1 to " + MAX_CALLS + " (or unlimited), got " + maxCalls);
        }
    }

    /** Whether the node has a cap. */
    public boolean capped() {
        return maxCalls != UNLIMITED;
    }
}
