package org.dialbalance.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.dialbalance.api.DialObserver;

import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.transport.Transport;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;

/**
 * Installs a {@link DialBalancer} into a host application's Guice injector.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new DialBalancerModule(config), binder ->
 *     DialBalancerModule.policyBinder(binder).addBinding("weighted").toInstance(new WeightedPolicyProvider()));
 * DialBalancer balancer = injector.getInstance(DialBalancer.class);
 * balancer.start();
 * }</pre>
 *
 * <p>The module has no side effects: nothing connects until {@link DialBalancer#start()}. Policies,
 * transports and registries are found with {@link java.util.ServiceLoader}; a policy bound with
 * {@link #policyBinder(Binder)} replaces a discovered one of the same name. A transport or scheduler
 * bound with {@link #transportBinder(Binder)} / {@link #schedulerBinder(Binder)} replaces the configured
 * one (the host then owns it: the balancer does not close it). Every binding is explicit, so the module
 * works in injectors that {@code requireExplicitBindings()}.
 */
public final class DialBalancerModule extends AbstractModule {

    private final BalancerConfig config;
    private final ClassLoader pluginLoader;

    /** A module for a configuration; plugins are looked up with the thread's context class loader. */
    public DialBalancerModule(BalancerConfig config) {
        this(config, defaultLoader());
    }

    /** A module for a configuration, looking plugins up in {@code pluginLoader}. */
    public DialBalancerModule(BalancerConfig config, ClassLoader pluginLoader) {
        this.config = Objects.requireNonNull(config, "config");
        this.pluginLoader = Objects.requireNonNull(pluginLoader, "pluginLoader");
    }

    /** Where host applications add balancing policies in code, by name. */
    public static MapBinder<String, BalancingPolicyProvider> policyBinder(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, BalancingPolicyProvider.class);
    }

    /** Where a host application can supply its own {@link Transport}. */
    public static OptionalBinder<Transport> transportBinder(Binder binder) {
        return OptionalBinder.newOptionalBinder(binder, Transport.class);
    }

    /** Where a host application adds {@link DialObserver}s: metrics, tracing, audit. */
    public static Multibinder<DialObserver> observerBinder(Binder binder) {
        return Multibinder.newSetBinder(binder, DialObserver.class);
    }

    /** Where a host application (or a test) can supply its own {@link Scheduler}. */
    public static OptionalBinder<Scheduler> schedulerBinder(Binder binder) {
        return OptionalBinder.newOptionalBinder(binder, Scheduler.class);
    }

    @Override
    protected void configure() {
        bind(BalancerConfig.class).toInstance(config);
        policyBinder(binder());
        transportBinder(binder());
        schedulerBinder(binder());
        observerBinder(binder());
    }

    @Provides
    @Singleton
    Plugins plugins(BalancerConfig configuration, Map<String, BalancingPolicyProvider> codePolicies,
                    Optional<Transport> transport) {
        return Plugins.resolve(configuration, pluginLoader, codePolicies, transport);
    }

    @Provides
    @Singleton
    DialBalancer dialBalancer(BalancerConfig configuration, Plugins plugins, Optional<Scheduler> scheduler,
                              Set<DialObserver> observers, Map<String, BalancingPolicyProvider> codePolicies) {
        return new DialBalancer(configuration, plugins, scheduler, observers, pluginLoader, codePolicies);
    }

    static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : DialBalancerModule.class.getClassLoader();
    }
}
