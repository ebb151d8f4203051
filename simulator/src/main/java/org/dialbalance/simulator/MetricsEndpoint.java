package org.dialbalance.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.dialbalance.metrics.micrometer.DialBalancerMetrics;

/**
 * {@code --metrics-port}: the balancer's meters in a Prometheus registry, scraped at
 * {@code http://127.0.0.1:PORT/metrics} while the simulator runs (and until it exits).
 */
final class MetricsEndpoint implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Listens on 127.0.0.1 at {@code port} (0: any free port). */
    static MetricsEndpoint start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        MetricsEndpoint endpoint = new MetricsEndpoint(server);
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                byte[] body = endpoint.registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return endpoint;
    }

    /** Fresh metrics for one balancer, in this endpoint's registry. */
    DialBalancerMetrics newMetrics() {
        return DialBalancerMetrics.builder(registry).build();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/metrics";
    }

    /** Prints the main counters: requests by outcome and reason, link disconnects and switch-overs. */
    void printSummary(PrintStream out) {
        out.println("Metrics (" + url() + "):");
        print(out, DialBalancerMetrics.REQUESTS, "outcome", "reason");
        print(out, DialBalancerMetrics.LINK_DISCONNECTS, "node", "link", "reason");
        print(out, DialBalancerMetrics.LINK_SWITCHOVERS, "node", "from", "to");
    }

    private void print(PrintStream out, String name, String... keys) {
        Map<String, Double> sums = new TreeMap<>();
        for (Counter counter : registry.find(name).counters()) {
            StringBuilder label = new StringBuilder();
            for (String key : keys) {
                label.append(label.length() == 0 ? "" : ",").append(key).append('=').append(counter.getId().getTag(key));
            }
            sums.merge(label.toString(), counter.count(), Double::sum);
        }
        sums.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .forEach(e -> out.printf("  %-28s {%s} %d%n", name, e.getKey(), Math.round(e.getValue())));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
