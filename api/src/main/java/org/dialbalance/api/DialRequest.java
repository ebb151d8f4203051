package org.dialbalance.api;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One request to place a call, as the outbound server issues them. Immutable.
 *
 * <ul>
 *   <li>{@link PredictiveCall}: an outbound call to a customer, sent as {@code TMakePredictiveCall};
 *       exists in every mode.</li>
 *   <li>{@link EngagingCall}: the call that seizes an agent before the customer is dialed, sent as
 *       {@code TMakeCall}; exists only in seizing (ASM) modes, so constructing one for a regular
 *       group fails.</li>
 * </ul>
 *
 * <p>User data and extensions are copied on construction and travel as key-value lists on the wire.
 */
@Stable(since = "0.1")
public sealed interface DialRequest permits DialRequest.PredictiveCall, DialRequest.EngagingCall {

    /** The campaign group that issues the request; its mode decides how it is balanced. */
    CampaignGroup group();

    /** The DN the request is made on (ThisDN on the wire). */
    String thisDn();

    /** The number or DN to call (OtherDN on the wire). */
    String otherDn();

    /** User data attached to the call. */
    Map<String, String> userData();

    /** Protocol extensions attached to the request. */
    Map<String, String> extensions();

    /**
     * {@code TMakePredictiveCall}: dial a customer from an origin DN (usually a trunk group or routing
     * point).
     *
     * @param group       issuing campaign group
     * @param originDn    DN the call is made from
     * @param destination customer number
     * @param ringTimeout how long to let it ring, positive
     * @param userData    user data attached to the call
     * @param extensions  request extensions
     */
    record PredictiveCall(CampaignGroup group, String originDn, String destination, Duration ringTimeout,
                          Map<String, String> userData, Map<String, String> extensions) implements DialRequest {

        /** @throws IllegalArgumentException on blank DNs or a non-positive ring timeout */
        public PredictiveCall {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(ringTimeout, "ringTimeout");
            requireText(originDn, "originDn");
            requireText(destination, "destination");
            if (ringTimeout.isNegative() || ringTimeout.isZero()) {
                throw new IllegalArgumentException("ring timeout must be positive, got " + ringTimeout);
            }
            userData = Map.copyOf(userData);
            extensions = Map.copyOf(extensions);
        }

        /** A predictive call without user data or extensions. */
        public static PredictiveCall of(CampaignGroup group, String originDn, String destination, Duration ringTimeout) {
            return new PredictiveCall(group, originDn, destination, ringTimeout, Map.of(), Map.of());
        }

        @Override
        public String thisDn() {
            return originDn;
        }

        @Override
        public String otherDn() {
            return destination;
        }
    }

    /**
     * {@code TMakeCall}: the engaging call of a seizing campaign, from the trunk-group DN to the voice
     * transfer destination, placed on the same node as the group's outbound calls.
     *
     * @param group                    issuing campaign group; must be in a seizing mode
     * @param trunkGroupDn             DN the engaging call is made from
     * @param voiceTransferDestination where the engaging call goes (the agent group's queue)
     * @param userData                 user data attached to the call
     * @param extensions               request extensions
     */
    record EngagingCall(CampaignGroup group, String trunkGroupDn, String voiceTransferDestination,
                        Map<String, String> userData, Map<String, String> extensions) implements DialRequest {

        /** @throws IllegalArgumentException on blank DNs or a group in a regular mode */
        public EngagingCall {
            Objects.requireNonNull(group, "group");
            requireText(trunkGroupDn, "trunkGroupDn");
            requireText(voiceTransferDestination, "voiceTransferDestination");
            if (!group.mode().isSeizing()) {
                throw new IllegalArgumentException("campaign group '" + group.name() + "' dials in mode "
                        + group.mode().configName() + "; engaging calls exist only in seizing (ASM) modes");
            }
            userData = Map.copyOf(userData);
            extensions = Map.copyOf(extensions);
        }

        /** An engaging call without user data or extensions. */
        public static EngagingCall of(CampaignGroup group, String trunkGroupDn, String voiceTransferDestination) {
            return new EngagingCall(group, trunkGroupDn, voiceTransferDestination, Map.of(), Map.of());
        }

        @Override
        public String thisDn() {
            return trunkGroupDn;
        }

        @Override
        public String otherDn() {
            return voiceTransferDestination;
        }
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
