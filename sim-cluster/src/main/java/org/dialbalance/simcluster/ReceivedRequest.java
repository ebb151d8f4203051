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
 */
public record ReceivedRequest(long sequence, NodeId node, LinkRole role, boolean engaging, long referenceId, String thisDn,
                              String otherDn, Map<String, String> userData) {
}
