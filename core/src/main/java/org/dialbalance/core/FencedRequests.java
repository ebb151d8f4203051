package org.dialbalance.core;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.coordination.GroupOwnership;

/**
 * Builds the request an owner of a campaign group sends: the host's request with {@link GroupOwnership#FENCING_TOKEN_KEY}
 * (the token's decimal digits) and {@link GroupOwnership#CAMPAIGN_GROUP_KEY} (the group's name) added to its extensions.
 * Extensions, not user data: the token is for the server, not data attached to the call.
 *
 * <p>Most requests carry no extensions of their own, and then the extensions of every request of one group are the
 * same two entries for as long as the token stays: that immutable map is kept per campaign group with its token and
 * reused, so such a request costs one record copy (its user data and the kept map are immutable already, so the
 * record's own copies return them as they are). A new token builds a new map on the next request of the group. A
 * request with extensions of its own gets a fresh map with them and the two entries (the two entries win over its own
 * of the same keys).
 *
 * <p>Thread-safe and lock-free on a hit (one {@link ConcurrentHashMap#get}). Two requests that miss at once each build
 * an equal map and one of them stays kept: harmless. One map is kept per campaign group dialed with a token (only
 * owned, configured groups reach the send); a reconfiguration, which may remove groups, drops them all
 * ({@link #forget()}), so groups removed from the configuration are not kept for ever.
 */
final class FencedRequests {

    /** One group's two fencing extensions, for one token. */
    private record Kept(long token, Map<String, String> extensions) {
    }

    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    /**
     * The request as sent by the owner of its campaign group.
     *
     * @param token the group's fencing token, positive
     */
    DialRequest fenced(DialRequest request, long token) {
        String group = request.group().name();
        Map<String, String> extensions;
        if (request.extensions().isEmpty()) {
            Kept current = kept.get(group);
            if (current == null || current.token() != token) {
                current = new Kept(token, Map.of(GroupOwnership.FENCING_TOKEN_KEY, Long.toString(token),
                        GroupOwnership.CAMPAIGN_GROUP_KEY, group));
                kept.put(group, current);
            }
            extensions = current.extensions();
        } else {
            extensions = new HashMap<>(request.extensions());
            extensions.put(GroupOwnership.FENCING_TOKEN_KEY, Long.toString(token));
            extensions.put(GroupOwnership.CAMPAIGN_GROUP_KEY, group);
        }
        if (request instanceof DialRequest.PredictiveCall call) {
            return new DialRequest.PredictiveCall(call.group(), call.originDn(), call.destination(), call.ringTimeout(),
                    call.userData(), extensions);
        }
        DialRequest.EngagingCall call = (DialRequest.EngagingCall) request;
        return new DialRequest.EngagingCall(call.group(), call.trunkGroupDn(), call.voiceTransferDestination(), call.userData(),
                extensions);
    }

    /** Drops every kept map: the campaign groups may have changed. */
    void forget() {
        kept.clear();
    }
}
