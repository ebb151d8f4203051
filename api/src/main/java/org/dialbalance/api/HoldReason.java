package org.dialbalance.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Why a request was held (refused without being sent). A held request was never written to any
 * link, so the host application may safely retry it later.
 *
 * <p>The constants are the reasons the outbound server's rules produce. Policies may define their
 * own with {@link #of(String)}, for example {@code HoldReason.of("NO_CAPACITY")}.
 *
 * @param code an upper-case identifier such as {@code PRIME_NODE_DOWN}
 */
@Stable(since = "0.1")
public record HoldReason(String code) {

    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** The prime node is inactive: all dialing stops until it is back. */
    public static final HoldReason PRIME_NODE_DOWN = new HoldReason("PRIME_NODE_DOWN");
    /** The dialer node of a seizing campaign group is inactive: that group stops until it is back. */
    public static final HoldReason DIALER_NODE_DOWN = new HoldReason("DIALER_NODE_DOWN");
    /** No node is active that the request could go to. */
    public static final HoldReason NO_ACTIVE_NODE = new HoldReason("NO_ACTIVE_NODE");
    /**
     * The request's campaign group is not the configured one: the configuration has no campaign group of
     * that name (for a seizing mode, whose dialer node only the configuration may name), or has one that
     * differs from it (mode, agent group or {@code sip-cluster-asm-dial-node}). Nothing was sent; take the
     * group from the configuration (or fix the configuration) and retry.
     */
    public static final HoldReason CAMPAIGN_GROUP_NOT_CONFIGURED = new HoldReason("CAMPAIGN_GROUP_NOT_CONFIGURED");
    /**
     * Every active node the request could go to has its {@code max-calls} in progress (calls plus requests
     * awaiting replies). Nothing was sent; retry when calls have ended.
     *
     * @since 0.3
     */
    public static final HoldReason CLUSTER_AT_CAPACITY = new HoldReason("CLUSTER_AT_CAPACITY");
    /**
     * The node the policy chose has its {@code max-calls} in progress, the request was routed once more and the
     * policy chose a full node again while some other active node still had room (a policy that ignores
     * capacity). Nothing was sent; retry, or use a policy that skips full nodes.
     *
     * @since 0.3
     */
    public static final HoldReason NODE_AT_CAPACITY = new HoldReason("NODE_AT_CAPACITY");
    /**
     * Another dialer owns the request's campaign group, or this dialer cannot be sure it owns it now (its
     * coordination service is out of reach): see {@code org.dialbalance.api.coordination}. Nothing was sent; retry
     * later or hand the request to the owner. Only with {@code coordination} configured.
     *
     * @since 0.4
     */
    public static final HoldReason NOT_OWNER = new HoldReason("NOT_OWNER");

    /** @throws IllegalArgumentException unless {@code code} is an upper-case identifier */
    public HoldReason {
        Objects.requireNonNull(code, "code");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("a hold reason code is UPPER_SNAKE_CASE, got '" + code + "'");
        }
    }

    /** A hold reason with the given code; equal to the constant of the same code. */
    public static HoldReason of(String code) {
        return new HoldReason(code);
    }

    @Override
    public String toString() {
        return code;
    }
}
