package org.dialbalance.policy.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.harness.RecordingPolicyContext;
import org.junit.jupiter.api.Test;

class AsmPerGroupPolicyProviderTest {

    private static final BalancerConfig CONFIG = BalancerConfig.parse("""
            dialbalance {
              sip-cluster-lb-mode = round-robin
              sip-cluster-prime-node = 101
              nodes = [
                { dbid = 101, primary { host = a, port = 5000 } }
                { dbid = 102, primary { host = b, port = 5000 } }
                { dbid = 103, primary { host = c, port = 5000 } }
              ]
              agent-groups {
                AG_Pinned { sip-cluster-asm-dial-node = 103 }
                AG_Unknown { sip-cluster-asm-dial-node = 999 }
              }
              campaign-groups = [
                { name = pinned, agent-group = AG_Pinned, dialing-mode = predictive-seizing }
                { name = unknown, agent-group = AG_Unknown, dialing-mode = progressive-seizing }
                { name = unset, agent-group = AG_Unset, dialing-mode = predictive-seizing }
                { name = regular, agent-group = AG_Unset, dialing-mode = predictive }
              ]
            }
            """);

    @Test
    void serviceLoaderFindsTheProviderUnderItsName() {
        assertThat(ServiceLoader.load(BalancingPolicyProvider.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(provider -> provider.name().equals("asm-per-group"))
                .singleElement().isInstanceOf(AsmPerGroupPolicyProvider.class);
    }

    @Test
    void itBuildsFromConfigurationWarningOnceForEachSeizingGroupThatFallsBackToThePrime() {
        RecordingPolicyContext context = RecordingPolicyContext.of(CONFIG, "asm-per-group");

        assertThat(new AsmPerGroupPolicyProvider().create(context)).isInstanceOf(ConfigResult.Valid.class);

        assertThat(context.warnings()).hasSize(2);
        assertThat(context.warnings().get(0)).contains("'unknown'").contains("sip-cluster-asm-dial-node = 999")
                .contains("configured: 101, 102, 103").contains("prime node 101");
        assertThat(context.warnings().get(1)).contains("'unset'").contains("is not set").contains("prime node 101");
    }

    @Test
    void unknownOptionsAreReportedNotIgnored() {
        var context = new RecordingPolicyContext(CONFIG.topology(), CONFIG.campaignGroups(), java.util.Map.of("pin", "all"));

        var result = new AsmPerGroupPolicyProvider().create(context);

        assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
        assertThat(((ConfigResult.Invalid<BalancingPolicy>) result).problems()).singleElement()
                .satisfies(problem -> assertThat(problem.option()).isEqualTo("policy-options.asm-per-group.pin"));
    }

    @Test
    void eachGroupGoesToItsDialerNodeOrThePrime() {
        BalancingPolicy policy = policy();
        ClusterSnapshot snapshot = allUp();

        assertThat(nodeOf(policy.route(request("pinned"), snapshot))).isEqualTo(103);
        assertThat(nodeOf(policy.route(engaging("pinned"), snapshot))).isEqualTo(103);
        assertThat(nodeOf(policy.route(request("unknown"), snapshot))).isEqualTo(101);
        assertThat(nodeOf(policy.route(engaging("unset"), snapshot))).isEqualTo(101);
    }

    @Test
    void aDialerNodeDownHoldsItsGroupAndThePrimeDownHoldsAll() {
        BalancingPolicy policy = policy();

        assertThat(policy.route(request("pinned"), allUp().with(NodeStatus.down(NodeId.of(103)))))
                .isInstanceOfSatisfying(Route.Hold.class, hold -> assertThat(hold.reason()).isEqualTo(HoldReason.DIALER_NODE_DOWN));
        assertThat(policy.route(request("unset"), allUp().with(NodeStatus.down(NodeId.of(103))))).isInstanceOf(Route.To.class);
        assertThat(policy.route(request("pinned"), allUp().with(NodeStatus.down(NodeId.of(101)))))
                .isInstanceOfSatisfying(Route.Hold.class, hold -> assertThat(hold.reason()).isEqualTo(HoldReason.PRIME_NODE_DOWN));
    }

    @Test
    void theDialerNodeComesFromTheConfigurationNotFromTheRequestsGroupValue() {
        BalancingPolicy policy = policy();
        CampaignGroup forged = CampaignGroup.of("pinned", DialingMode.PREDICTIVE_SEIZING, "AG_Pinned", NodeId.of(102));
        CampaignGroup unsetButConfiguredOn103 = CampaignGroup.of("pinned", DialingMode.PREDICTIVE_SEIZING, "AG_Pinned");
        CampaignGroup notConfigured = CampaignGroup.of("rogue", DialingMode.PREDICTIVE_SEIZING, "AG_X", NodeId.of(102));

        assertThat(nodeOf(policy.route(DialRequest.EngagingCall.of(forged, "7100", "8000"), allUp()))).isEqualTo(103);
        assertThat(nodeOf(policy.route(DialRequest.EngagingCall.of(unsetButConfiguredOn103, "7100", "8000"), allUp()))).isEqualTo(103);
        assertThat(policy.route(DialRequest.EngagingCall.of(notConfigured, "7100", "8000"), allUp()))
                .isInstanceOfSatisfying(Route.Hold.class, hold -> assertThat(hold.reason()).isEqualTo(HoldReason.CAMPAIGN_GROUP_NOT_CONFIGURED));
    }

    private static BalancingPolicy policy() {
        return ((ConfigResult.Valid<BalancingPolicy>) new AsmPerGroupPolicyProvider()
                .create(RecordingPolicyContext.of(CONFIG, "asm-per-group"))).value();
    }

    private static ClusterSnapshot allUp() {
        ClusterSnapshot snapshot = ClusterSnapshot.initial(CONFIG.topology());
        for (var node : CONFIG.topology().nodes()) {
            snapshot = snapshot.with(new NodeStatus(node.id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        return snapshot;
    }

    private static DialRequest request(String group) {
        return DialRequest.PredictiveCall.of(CONFIG.campaignGroup(group).orElseThrow(), "7000", "5550000", Duration.ofSeconds(20));
    }

    private static DialRequest engaging(String group) {
        return DialRequest.EngagingCall.of(CONFIG.campaignGroup(group).orElseThrow(), "7100", "8000");
    }

    private static int nodeOf(Route route) {
        assertThat(route).isInstanceOf(Route.To.class);
        return ((Route.To) route).node().dbid();
    }
}
