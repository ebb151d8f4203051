package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's configuration and embedding example, compiled and run, and checked to be the very text
 * the README shows, so the two cannot drift apart.
 */
class ReadmeExampleTest {

    private static final Logger LOG = LoggerFactory.getLogger(ReadmeExampleTest.class);
    private static final Path README = Path.of("..", "README.md");

    // README:begin
    static DialOutcome dialOnce(Path configFile) throws Exception {
        BalancerConfig config = BalancerConfig.load(configFile);      // every problem listed at once, or a valid config
        CompletableFuture<Void> dialingEnabled = new CompletableFuture<>();
        try (DialBalancer balancer = DialBalancer.builder(config)
                .listener(new ClusterListener() {
                    @Override
                    public void onClusterEvent(ClusterEvent event) {
                        if (event instanceof ClusterEvent.DialingResumed) {
                            dialingEnabled.complete(null);     // the prime node is up
                        }
                    }
                })
                .build()) {
            balancer.start();
            dialingEnabled.get(10, TimeUnit.SECONDS);

            CampaignGroup sales = config.campaignGroup("Sales").orElseThrow();
            DialRequest call = DialRequest.PredictiveCall.of(sales, "7000", "5551234", Duration.ofSeconds(25));
            DialOutcome outcome = balancer.dial(call).toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (outcome instanceof DialOutcome.Dialed dialed) {
                LOG.info("dialing on node {} via its {} link, ConnID {}", dialed.node(), dialed.via(), dialed.connId());
            } else if (outcome instanceof DialOutcome.Held held) {
                LOG.info("held ({}): {} - safe to retry later", held.reason(), held.detail());
            } else if (outcome instanceof DialOutcome.Failed failed) {
                LOG.warn("failed ({}, written: {}): {}", failed.reason(), failed.reason().written(), failed.detail());
            }
            return outcome;
        }                                                               // stop(): links closed, no thread left
    }
    // README:end

    @Test
    void theReadmeExampleRunsOnTheReadmeConfiguration(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dialbalance.conf");
        // the README's configuration, pointed at the in-memory transport so it runs without a cluster
        Files.writeString(file, block("hocon").replace("dialbalance {", "dialbalance {\n  transport = in-memory"));

        DialOutcome outcome = dialOnce(file);

        assertThat(outcome).isInstanceOfSatisfying(DialOutcome.Dialed.class,
                dialed -> assertThat(dialed.node().dbid()).isEqualTo(101));
    }

    @Test
    void theReadmeShowsExactlyTheCompiledExample() throws IOException {
        String source = Files.readString(Path.of("src/test/java/org/dialbalance/acceptance/ReadmeExampleTest.java"));
        Matcher region = Pattern.compile("// README:begin\\n(.*?)    // README:end", Pattern.DOTALL).matcher(source);
        assertThat(region.find()).isTrue();
        String compiled = region.group(1).stripTrailing().stripIndent().strip();

        assertThat(block("java").strip()).isEqualTo(compiled);
    }

    /** The first fenced code block of a language in the README. */
    private static String block(String language) throws IOException {
        Matcher matcher = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
        assertThat(matcher.find()).as("a ```%s block in README.md", language).isTrue();
        return matcher.group(1);
    }
}
