package org.dialbalance.acceptance.property;

import java.util.concurrent.CompletionStage;

import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeId;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.ReconfigureResult;
import org.dialbalance.harness.property.CoreDriver;

/** A core that delegates everything to another: the broken cores of the tests override what they break. */
class DelegatingCore implements CoreDriver.Core {
    private final CoreDriver.Core delegate;

    DelegatingCore(CoreDriver.Core delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletionStage<DialOutcome> dial(DialRequest request) {
        return delegate.dial(request);
    }

    @Override
    public ClusterSnapshot snapshot() {
        return delegate.snapshot();
    }

    @Override
    public ClusterHealth health() {
        return delegate.health();
    }

    @Override
    public void drain(NodeId node) {
        delegate.drain(node);
    }

    @Override
    public void enable(NodeId node) {
        delegate.enable(node);
    }

    @Override
    public ReconfigureResult reconfigure(BalancerConfig config) {
        return delegate.reconfigure(config);
    }

    @Override
    public long configurationVersion() {
        return delegate.configurationVersion();
    }

    @Override
    public void stop() {
        delegate.stop();
    }
}
