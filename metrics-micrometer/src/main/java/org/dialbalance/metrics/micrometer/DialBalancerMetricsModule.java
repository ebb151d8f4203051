package org.dialbalance.metrics.micrometer;

import java.util.Objects;

import com.google.inject.AbstractModule;

import jakarta.inject.Inject;

import org.dialbalance.core.DialBalancer;
import org.dialbalance.core.DialBalancerModule;

/**
 * Installs {@link DialBalancerMetrics} in a Guice injector that also installs {@code DialBalancerModule}: the
 * metrics become one of the balancer's {@code DialObserver}s, and as soon as the injector has the balancer the
 * metrics are {@linkplain DialBalancerMetrics#bind bound} to it (listener and gauges), before it is started.
 *
 * <pre>{@code
 * DialBalancerMetrics metrics = DialBalancerMetrics.builder(registry).build();
 * Injector injector = Guice.createInjector(new DialBalancerModule(config), new DialBalancerMetricsModule(metrics));
 * DialBalancer balancer = injector.getInstance(DialBalancer.class);   // metered
 * }</pre>
 */
public final class DialBalancerMetricsModule extends AbstractModule {

    private final DialBalancerMetrics metrics;

    /** A module that installs these metrics. */
    public DialBalancerMetricsModule(DialBalancerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    protected void configure() {
        DialBalancerModule.observerBinder(binder()).addBinding().toInstance(metrics);
        requestInjection(new Binding(metrics));
    }

    /** Binds the metrics to the injector's balancer when the injector is created. */
    static final class Binding {
        private final DialBalancerMetrics metrics;

        Binding(DialBalancerMetrics metrics) {
            this.metrics = metrics;
        }

        @Inject
        void bind(DialBalancer balancer) {
            metrics.bind(balancer);
        }
    }
}
