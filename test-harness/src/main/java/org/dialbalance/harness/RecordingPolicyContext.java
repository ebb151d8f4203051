package org.dialbalance.harness;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.core.BalancerConfig;

/**
 * A {@link PolicyContext} for tests of a policy provider: built from a {@link BalancerConfig} the way the
 * balancer builds it, and recording every warning the policy reports so a test can assert on them.
 */
public final class RecordingPolicyContext implements PolicyContext {

    private final ClusterTopology topology;
    private final List<CampaignGroup> campaignGroups;
    private final Map<String, String> options;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private volatile org.dialbalance.api.policy.NodeLoadView nodeLoad = org.dialbalance.api.policy.NodeLoadView.IDLE;
    private volatile java.util.function.LongSupplier clock = System::nanoTime;
    private volatile java.util.function.IntFunction<org.dialbalance.api.policy.NodeOptions> nodeOptions =
            index -> org.dialbalance.api.policy.NodeOptions.DEFAULT;

    /**
     * @param topology       the cluster
     * @param campaignGroups the groups configured at startup
     * @param options        the policy's own options
     */
    public RecordingPolicyContext(ClusterTopology topology, List<CampaignGroup> campaignGroups, Map<String, String> options) {
        this.topology = topology;
        this.campaignGroups = List.copyOf(campaignGroups);
        this.options = Map.copyOf(options);
    }

    /** The context the balancer would give the policy named {@code policyName} for this configuration. */
    public static RecordingPolicyContext of(BalancerConfig config, String policyName) {
        return new RecordingPolicyContext(config.topology(), config.campaignGroups(), config.policyOptions(policyName))
                .withNodeOptions(config::nodeOptions);
    }

    /** Makes the policy see these loads (e.g. a {@link CountingNodeLoad}); idle by default. */
    public RecordingPolicyContext withNodeLoad(org.dialbalance.api.policy.NodeLoadView value) {
        this.nodeLoad = java.util.Objects.requireNonNull(value, "value");
        return this;
    }

    /** Makes the policy read this clock, e.g. {@code manualScheduler::nanoTime}; {@link System#nanoTime()} by default. */
    public RecordingPolicyContext withClock(java.util.function.LongSupplier value) {
        this.clock = java.util.Objects.requireNonNull(value, "value");
        return this;
    }

    /** Gives each node these options (by position); weight 1, no cap by default. */
    public RecordingPolicyContext withNodeOptions(java.util.function.IntFunction<org.dialbalance.api.policy.NodeOptions> value) {
        this.nodeOptions = java.util.Objects.requireNonNull(value, "value");
        return this;
    }

    @Override
    public org.dialbalance.api.policy.NodeLoadView nodeLoad() {
        return nodeLoad;
    }

    @Override
    public org.dialbalance.api.policy.NodeOptions nodeOptions(int nodeIndex) {
        return nodeOptions.apply(nodeIndex);
    }

    @Override
    public long nanoTime() {
        return clock.getAsLong();
    }

    @Override
    public ClusterTopology topology() {
        return topology;
    }

    @Override
    public List<CampaignGroup> campaignGroups() {
        return campaignGroups;
    }

    @Override
    public Map<String, String> options() {
        return options;
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
    }

    /** Every warning reported so far, in order. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }
}
