package org.dialbalance.simulator;

import java.time.Duration;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.core.BalancerConfig;

/** The small cluster that hand-built simulation results run on: nodes 101–103, prime 101, one regular and one pinned group. */
final class RunFixtures {

    static final CampaignGroup REGULAR = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");
    static final CampaignGroup PINNED = CampaignGroup.of("Retention", DialingMode.PREDICTIVE_SEIZING, "AG_R", NodeId.of(103));
    /** A pinned group without a dialer node of its own: it dials on the prime. */
    static final CampaignGroup PINNED_TO_PRIME = CampaignGroup.of("Retention", DialingMode.PREDICTIVE_SEIZING, "AG_R");
    static final BalancerConfig CONFIG = config(103, REGULAR, PINNED);

    private RunFixtures() {
    }

    static DialRequest request(CampaignGroup group) {
        return DialRequest.PredictiveCall.of(group, "7000", "555", Duration.ofSeconds(20));
    }

    /** Nodes 101 to {@code lastNode}, prime 101, round-robin, these groups: the fixture's, or a reload's. */
    static BalancerConfig config(int lastNode, CampaignGroup... groups) {
        BalancerConfig.Builder builder = BalancerConfig.builder().lbMode("round-robin").primeNode(NodeId.of(101)).monitorDn("7001");
        for (CampaignGroup group : groups) {
            builder.campaignGroup(group);
        }
        for (int dbid = 101; dbid <= lastNode; dbid++) {
            builder.node(NodeSpec.of(NodeId.of(dbid), "n" + dbid, new Endpoint("127.0.0.1", dbid, PortKind.TC_PORT)));
        }
        return builder.build();
    }
}
