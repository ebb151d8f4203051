package org.dialbalance.api.transport;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Stable;
import org.dialbalance.api.coordination.GroupOwnership;

/**
 * One open, registered connection to one server application. Created by
 * {@link Transport#connect(LinkTarget, LinkListener)}; never reopened (the framework asks the
 * transport for a new link to reconnect).
 *
 * <p>Thread-safe: {@link #send} and {@link #registerAddress} may be called from any thread and must
 * not block. Returned stages complete on a transport thread and <em>never</em> complete
 * exceptionally: every outcome is a value.
 *
 * <p>Closing contract: when the link closes for any reason, every pending send completes with
 * {@link SendResult.LostAfterWrite} <em>before</em> {@link LinkListener#onClosed(String)} is called,
 * and sends issued afterwards complete with {@link SendResult.NotWritten}.
 */
@Stable(since = "0.1")
public interface Link {

    /** What this link connects to. */
    LinkTarget target();

    /** Whether the link is open; a closed link never opens again. */
    boolean isOpen();

    /**
     * Sends one request ({@code TMakePredictiveCall} or {@code TMakeCall}) with a fresh ReferenceID and
     * completes with the server's reply or with why there was none.
     */
    CompletionStage<SendResult> send(DialRequest request);

    /**
     * Sends one request of a campaign group this dialer owns, with the group's fencing token: as {@link #send(DialRequest)},
     * except that, for a positive {@code fencingToken}, the request goes on the wire with two more extensions —
     * {@link GroupOwnership#FENCING_TOKEN_KEY} = the token's decimal digits and {@link GroupOwnership#CAMPAIGN_GROUP_KEY}
     * = the name of the request's campaign group — which replace any extensions of the request's own with the same keys;
     * every other extension is sent as it is. A {@code fencingToken} of zero or less means no token: the request is sent
     * exactly as {@link #send(DialRequest)} sends it. The request itself is not changed. Same thread-safety, same
     * never-exceptional stage, same closing contract as {@link #send(DialRequest)}.
     *
     * <p>The balancer calls this (and not {@link #send(DialRequest)}) for every request it dials, with
     * {@link GroupOwnership#UNFENCED} when the group is owned without a token. The default implementation builds a copy
     * of the request carrying the two extensions and hands it to {@link #send(DialRequest)}, so a transport written
     * before this method existed keeps working, at the cost of that copy per fenced request (the record, the extension
     * map and the token's digits); a transport that can write the two extensions while it encodes the request overrides
     * this method and spares it.
     *
     * @param request      the request, as the host issued it
     * @param fencingToken the campaign group's fencing token; zero or less for none
     * @since 0.4
     */
    default CompletionStage<SendResult> send(DialRequest request, long fencingToken) {
        if (fencingToken <= 0) {
            return send(request);
        }
        String group = request.group().name();
        Map<String, String> extensions;
        if (request.extensions().isEmpty()) {
            extensions = Map.of(GroupOwnership.FENCING_TOKEN_KEY, Long.toString(fencingToken), GroupOwnership.CAMPAIGN_GROUP_KEY, group);
        } else {
            extensions = new HashMap<>(request.extensions());
            extensions.put(GroupOwnership.FENCING_TOKEN_KEY, Long.toString(fencingToken));
            extensions.put(GroupOwnership.CAMPAIGN_GROUP_KEY, group);
        }
        if (request instanceof DialRequest.PredictiveCall call) {
            return send(new DialRequest.PredictiveCall(call.group(), call.originDn(), call.destination(), call.ringTimeout(),
                    call.userData(), extensions));
        }
        DialRequest.EngagingCall call = (DialRequest.EngagingCall) request;
        return send(new DialRequest.EngagingCall(call.group(), call.trunkGroupDn(), call.voiceTransferDestination(), call.userData(),
                extensions));
    }

    /**
     * Registers a DN ({@code TRegisterAddress}) so the server sends this link its DN-level events.
     */
    CompletionStage<RegisterResult> registerAddress(String dn);

    /** Closes the link; idempotent. Pending sends complete as described above. */
    void close();
}
