package org.dialbalance.simcluster;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;

/**
 * One DN registration (RequestRegisterAddress) as a simulated server application received it.
 *
 * @param node the node
 * @param role primary or backup application
 * @param dn   the DN
 */
public record ReceivedRegistration(NodeId node, LinkRole role, String dn) {
}
