package org.dialbalance.benchmarks.failover;

import java.util.concurrent.atomic.LongAdder;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.policy.roundrobin.RoundRobinPolicyProvider;

/**
 * {@code round-robin}, unchanged, with every decision checked against the link-loss times the
 * {@link ObservedTransport} saw: a decision for a node that <em>began</em> after the node's link started
 * closing, or after the core had handled that close, is counted; so is any decision for a node the
 * snapshot itself shows inactive.
 */
final class ObservedPolicyProvider implements BalancingPolicyProvider {

    private final RoundRobinPolicyProvider delegate = new RoundRobinPolicyProvider();
    private final ObservedTransport transport;
    final LongAdder decisions = new LongAdder();
    final LongAdder afterLinkClosing = new LongAdder();
    final LongAdder afterCloseHandled = new LongAdder();
    final LongAdder toInactiveInSnapshot = new LongAdder();

    ObservedPolicyProvider(ObservedTransport transport) {
        this.transport = transport;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public ConfigResult<BalancingPolicy> create(PolicyContext context) {
        ConfigResult<BalancingPolicy> created = delegate.create(context);
        if (!(created instanceof ConfigResult.Valid<BalancingPolicy> valid)) {
            return created;
        }
        BalancingPolicy policy = valid.value();
        return ConfigResult.valid((DialRequest request, org.dialbalance.api.ClusterSnapshot snapshot) -> {
            long began = System.nanoTime();
            Route route = policy.route(request, snapshot);
            decisions.increment();
            if (route instanceof Route.To to) {
                int dbid = to.node().dbid();
                long closing = transport.closedAt(dbid);
                long handled = transport.handledAt(dbid);
                if (closing != 0 && began > closing) {
                    afterLinkClosing.increment();
                }
                if (handled != 0 && began > handled) {
                    afterCloseHandled.increment();
                }
                if (!snapshot.isActive(to.node())) {
                    toInactiveInSnapshot.increment();
                }
            }
            return route;
        });
    }
}
