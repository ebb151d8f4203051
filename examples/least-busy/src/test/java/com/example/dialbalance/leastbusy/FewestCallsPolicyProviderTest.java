package com.example.dialbalance.leastbusy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.harness.CountingNodeLoad;
import org.dialbalance.harness.RecordingPolicyContext;
import org.dialbalance.harness.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

class FewestCallsPolicyProviderTest {

    private static final BalancerConfig CONFIG = BalancerConfig.parse("""
            dialbalance {
              sip-cluster-lb-mode = example-least-busy
              sip-cluster-prime-node = 101
              nodes = [
                { dbid = 101, primary { host = a, port = 5000 } }
                { dbid = 102, primary { host = b, port = 5000 } }
                { dbid = 103, primary { host = c, port = 5000 } }
              ]
            }
            """);

    @Test
    void serviceLoaderFindsIt() {
        assertThat(ServiceLoader.load(BalancingPolicyProvider.class).stream().map(ServiceLoader.Provider::get))
                .extracting(BalancingPolicyProvider::name).contains("example-least-busy");
    }

    @Test
    void itRoutesToTheNodeWithTheFewestCallsInProgress() {
        CountingNodeLoad load = new CountingNodeLoad(3);
        BalancingPolicy policy = create(RecordingPolicyContext.of(CONFIG, "example-least-busy").withNodeLoad(load));
        ClusterSnapshot snapshot = allUp();
        load.setCalls(0, 4);
        load.setCalls(1, 2);
        load.setCalls(2, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(policy.route(request(), snapshot)).isEqualTo(new Route.To(NodeId.of(102)));
        }
        load.setCalls(1, 9);
        assertThat(policy.route(request(), snapshot)).isEqualTo(new Route.To(NodeId.of(103)));
    }

    @Test
    void itRefusesOptions() {
        ConfigResult<BalancingPolicy> result = new FewestCallsPolicyProvider().create(
                new RecordingPolicyContext(CONFIG.topology(), CONFIG.campaignGroups(), Map.of("speed", "1")));
        assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
    }

    @Test
    void itDependsOnTheApiOnly() {
        ArchitectureRules.pluginDependsOnApiOnly("com.example.dialbalance.leastbusy..").check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.example.dialbalance.leastbusy"));
    }

    private static BalancingPolicy create(RecordingPolicyContext context) {
        return ((ConfigResult.Valid<BalancingPolicy>) new FewestCallsPolicyProvider().create(context)).value();
    }

    private static ClusterSnapshot allUp() {
        ClusterSnapshot snapshot = ClusterSnapshot.initial(CONFIG.topology());
        for (var node : CONFIG.topology().nodes()) {
            snapshot = snapshot.with(new NodeStatus(node.id(), true, false, Optional.of(LinkRole.PRIMARY)));
        }
        return snapshot;
    }

    private static DialRequest request() {
        return DialRequest.PredictiveCall.of(CampaignGroup.of("g", DialingMode.PREDICTIVE, "AG"), "7000", "5551234", Duration.ofSeconds(20));
    }
}
