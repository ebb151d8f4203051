package org.dialbalance.benchmarks.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

import reactor.core.publisher.Flux;

/**
 * Spring Cloud LoadBalancer's {@link RoundRobinLoadBalancer} over a fixed list of instances, called as a
 * blocking caller calls it: {@code choose(request).block()}. The instance list supplier returns the same
 * list every time, so the measurement is the balancer's own reactive path, not service discovery.
 */
public final class SpringRoundRobin {

    private static final String SERVICE_ID = "sip-cluster";

    private final RoundRobinLoadBalancer balancer;
    private final Request<?> request = new DefaultRequest<>();

    private SpringRoundRobin(RoundRobinLoadBalancer balancer) {
        this.balancer = balancer;
    }

    /** A balancer over {@code instances} instances. */
    public static SpringRoundRobin over(int instances) {
        List<ServiceInstance> list = new ArrayList<>(instances);
        for (int i = 0; i < instances; i++) {
            list.add(new DefaultServiceInstance("node-" + i, SERVICE_ID, "10.0.0." + (i % 250 + 1), 5000 + i, false, Map.of()));
        }
        List<ServiceInstance> fixed = List.copyOf(list);
        ServiceInstanceListSupplier supplier = new ServiceInstanceListSupplier() {
            @Override
            public String getServiceId() {
                return SERVICE_ID;
            }

            @Override
            public Flux<List<ServiceInstance>> get() {
                return Flux.just(fixed);
            }
        };
        return new SpringRoundRobin(new RoundRobinLoadBalancer(new FixedProvider<>(supplier), SERVICE_ID));
    }

    /**
     * One choice, blocking on the {@code Mono} as a non-reactive caller does.
     *
     * @throws IllegalStateException if no instance was chosen
     */
    public ServiceInstance choose() {
        Response<ServiceInstance> response = balancer.choose(request).block();
        if (response == null || !response.hasServer()) {
            throw new IllegalStateException("Spring's RoundRobinLoadBalancer chose no instance");
        }
        return response.getServer();
    }

    /** An {@link ObjectProvider} of one fixed object, as the Spring context would provide the supplier bean. */
    private static final class FixedProvider<T> implements ObjectProvider<T> {
        private final T object;

        FixedProvider(T object) {
            this.object = object;
        }

        @Override
        public T getObject() {
            return object;
        }

        @Override
        public T getObject(Object... args) {
            return object;
        }

        @Override
        public T getIfAvailable() {
            return object;
        }

        @Override
        public T getIfUnique() {
            return object;
        }
    }
}
