package org.dialbalance.simulator;

import java.util.List;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;

/**
 * The cluster a simulation runs against, seen from the simulator: where its server applications listen,
 * how to inflict faults on them, and what each of them received.
 */
interface ClusterUnderTest extends AutoCloseable {

    /** The nodes, in configured order, with the endpoints their applications listen on. */
    List<NodeSpec> nodeSpecs();

    /** Applies one fault. */
    void apply(Fault fault);

    /**
     * Whether a client could hold a working link to this application now: it exists, listens and is not
     * blackholed. After a fault, the balancer has observed it once its snapshot shows each link up exactly
     * when this holds.
     */
    boolean reachable(NodeId node, LinkRole role);

    /** Every dial request each application received, in arrival order per application. */
    List<ServerRecord> received();

    /** Every DN registration each application received. */
    List<Registration> registrations();

    /** Asks every application to publish one DN-level event for each DN registered on it. */
    void publishDnEvents();

    @Override
    void close();

    /**
     * One request as a server application received it.
     *
     * @param node      the node
     * @param role      primary or backup application
     * @param requestId the request's {@code DIALBALANCE_REQUEST_ID} user data, or empty
     * @param engaging  whether it was a RequestMakeCall (engaging call) rather than RequestMakePredictiveCall
     * @param dialer    the {@code DIALBALANCE_DIALER} user data (which dialer sent it, with several), or empty
     * @param fencing   the fencing token and campaign group it carried, or {@code null} when it carried none
     */
    record ServerRecord(NodeId node, LinkRole role, String requestId, boolean engaging, String dialer, Fencing fencing) {

        /** A request of the one balancer of a scenario, without a fencing token. */
        ServerRecord(NodeId node, LinkRole role, String requestId, boolean engaging) {
            this(node, role, requestId, engaging, "", null);
        }
    }

    /**
     * The fencing part of a request a server received.
     *
     * @param campaignGroup the {@code dialbalance-campaign-group} extension
     * @param token         the {@code dialbalance-fencing-token} extension, as a number ({@code -1} if it was none)
     * @param fenced        whether the cluster refused it as a former owner's (ErrorCode 57)
     */
    record Fencing(String campaignGroup, long token, boolean fenced) {
    }

    /**
     * One DN registration as a server application received it.
     *
     * @param node the node
     * @param role primary or backup application
     * @param dn   the DN
     */
    record Registration(NodeId node, LinkRole role, String dn) {
    }
}
