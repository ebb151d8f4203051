package org.dialbalance.simcluster;

import java.util.Map;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;

/**
 * One request as a simulated server application received it.
 *
 * @param sequence    arrival order across the whole cluster
 * @param node        the node
 * @param role        primary or backup application
 * @param engaging    RequestMakeCall (an engaging call) rather than RequestMakePredictiveCall
 * @param referenceId the request's ReferenceID
 * @param thisDn      ThisDN
 * @param otherDn     OtherDN
 * @param userData    UserData
 * @param extensions  Extensions (a dialer's fencing token travels here)
 * @param fenced      whether the cluster refused it for a stale fencing token (ErrorCode 57); decided together with
 *                    its arrival, so the arrival order is the order in which tokens were admitted
 */
public record ReceivedRequest(long sequence, NodeId node, LinkRole role, boolean engaging, long referenceId, String thisDn,
                              String otherDn, Map<String, String> userData, Map<String, String> extensions, boolean fenced) {

    /** Copies the maps. */
    public ReceivedRequest {
        userData = Map.copyOf(userData);
        extensions = Map.copyOf(extensions);
    }

    /** A request without extensions, admitted. */
    public ReceivedRequest(long sequence, NodeId node, LinkRole role, boolean engaging, long referenceId, String thisDn,
                           String otherDn, Map<String, String> userData) {
        this(sequence, node, role, engaging, referenceId, thisDn, otherDn, userData, Map.of(), false);
    }
}
