package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code --metrics-port}: a Prometheus scrape of a short run shows the run's own counts. */
class MetricsEndpointTest {

    @Test
    void aScrapeAfterAShortRunShowsEveryRequestOnceAndTheFaults() throws Exception {
        int requests = 2000;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            int status = SimulateCommand.run(Scenario.defaultScenario().withRequests(requests).withRate(2000),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintWriter(new StringWriter()), false, true, null,
                    () -> false, endpoint);
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(text).isZero();
            assertThat(text).contains("Metrics: " + endpoint.url()).contains("dialbalance.requests");

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            String body = scrape.body();
            assertThat(sum(body, "dialbalance_requests_total", "")).as(body).isEqualTo(requests);
            assertThat(sum(body, "dialbalance_requests_duration_seconds_count", "")).isEqualTo(requests);
            assertThat(sum(body, "dialbalance_requests_held_total", ""))
                    .isEqualTo(sum(body, "dialbalance_requests_total", "outcome=\"held\""));
            assertThat(text).contains("held: PRIME_NODE_DOWN");
            assertThat(sum(body, "dialbalance_requests_held_total", "reason=\"PRIME_NODE_DOWN\"")).isPositive();
            assertThat(sum(body, "dialbalance_link_disconnects_total", "")).isPositive();
            assertThat(sum(body, "dialbalance_link_connects_total", "")).isGreaterThan(sum(body, "dialbalance_link_disconnects_total", ""));
            assertThat(body).contains("dialbalance_node_state{").contains("dialbalance_config_version 1.0");
        }
    }

    /** Sums the samples of one metric whose labels contain {@code labelFilter}. */
    private static double sum(String body, String metric, String labelFilter) {
        Matcher sample = Pattern.compile("(?m)^" + metric + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(body);
        double total = 0;
        while (sample.find()) {
            String labels = sample.group(1) == null ? "" : sample.group(1);
            if (labels.contains(labelFilter)) {
                total += Double.parseDouble(sample.group(2));
            }
        }
        return total;
    }
}
