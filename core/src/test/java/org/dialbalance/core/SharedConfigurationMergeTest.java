package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.NodeId;
import org.junit.jupiter.api.Test;

/** A shared cluster configuration merged with a dialer's own options ({@link SharedConfiguration}). */
class SharedConfigurationMergeTest {

    private static final BalancerConfig RUNNING = BalancerConfig.parse("""
            dialbalance {
              sip-cluster-lb-mode = round-robin
              sip-cluster-prime-node = 101
              request-timeout = 7
              application-name = dialer-a
              monitored-dns = ["7001"]
              nodes = [ { dbid = 101, primary { host = sip1.example.com, port = 5000 } } ]
              transport-options.tserver { io-threads = 3 }
            }
            """);

    @Test
    void theSharedTextGivesTheClusterAndTheRunningConfigurationEverythingElse() {
        BalancerConfig merged = valid(SharedConfiguration.merge("""
                dialbalance {
                  sip-cluster-prime-node = 102
                  nodes = [
                    { dbid = 101, primary { host = sip1.example.com, port = 5000 } }
                    { dbid = 102, name = Second, primary { host = sip2.example.com, port = 5000 } }
                  ]
                  agent-groups { AG_Retention { sip-cluster-asm-dial-node = 102 } }
                  campaign-groups = [ { name = Retention, agent-group = AG_Retention, dialing-mode = predictive-seizing } ]
                }
                """, RUNNING));

        assertThat(merged.topology().prime()).isEqualTo(NodeId.of(102));
        assertThat(merged.topology().nodes()).hasSize(2);
        assertThat(merged.campaignGroup("Retention").orElseThrow().asmDialNode()).contains(NodeId.of(102));
        assertThat(merged.lbMode()).as("a cluster option the shared text leaves out takes its default").isEmpty();
        assertThat(merged.requestTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(merged.applicationName()).isEqualTo("dialer-a");
        assertThat(merged.monitoredDns()).containsExactly("7001");
        assertThat(merged.transportOptions("tserver")).containsEntry("io-threads", "3");
        assertThat(ConfigDiff.between(RUNNING, merged).restartRequired()).isEmpty();
    }

    @Test
    void aDialersOwnOptionInTheSharedTextIsRefusedWithTheOtherProblems() {
        ConfigResult<BalancerConfig> result = SharedConfiguration.merge("""
                dialbalance {
                  sip-cluster-prime-node = 103
                  request-timeout = 3
                  coordination = zookeeper
                  nodes = [ { dbid = 101, primary { host = sip1.example.com, port = 5000 } } ]
                }
                """, RUNNING);

        assertThat(problems(result))
                .contains("coordination = zookeeper: expected only cluster options in a shared configuration (nodes,"
                                + " sip-cluster-prime-node, sip-cluster-lb-mode, asm-policy, policy-options, agent-groups,"
                                + " campaign-groups); coordination is each dialer's own: set it in the dialer's configuration file",
                        "request-timeout = 3: expected only cluster options in a shared configuration (nodes,"
                                + " sip-cluster-prime-node, sip-cluster-lb-mode, asm-policy, policy-options, agent-groups,"
                                + " campaign-groups); request-timeout is each dialer's own: set it in the dialer's configuration file")
                .anySatisfy(problem -> assertThat(problem).startsWith("sip-cluster-prime-node = 103"));
    }

    @Test
    void theReadmesOneLineExampleForZkCliIsAValidSharedConfiguration() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher line = Pattern.compile("(?m)^CLUSTER='(.*)'$").matcher(readme);
        assertThat(line.find()).as("the README's CLUSTER='...' line").isTrue();

        BalancerConfig merged = valid(SharedConfiguration.merge(line.group(1), RUNNING));

        assertThat(merged.topology().nodes()).hasSize(2);
        assertThat(merged.lbMode()).contains("round-robin");
    }

    @Test
    void textThatIsNoHoconOrHasNoBlockIsRefused() {
        assertThat(problems(SharedConfiguration.merge("dialbalance { nodes = , }", RUNNING)).get(0))
                .startsWith("(text) = (HOCON): expected valid HOCON");
        assertThat(problems(SharedConfiguration.merge("other { }", RUNNING)).get(0)).startsWith("dialbalance = (missing)");
    }

    private static BalancerConfig valid(ConfigResult<BalancerConfig> result) {
        if (result instanceof ConfigResult.Valid<BalancerConfig> valid) {
            return valid.value();
        }
        throw new AssertionError("refused: " + result);
    }

    private static List<String> problems(ConfigResult<BalancerConfig> result) {
        if (result instanceof ConfigResult.Invalid<BalancerConfig> invalid) {
            return invalid.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("not refused: " + result);
    }
}
