package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.junit.jupiter.api.Test;

/** Every option has a documented range, refused outside it in a file and in the Java builder alike. */
class ConfigRangesTest {

    private static final String BASE = """
            dialbalance {
              sip-cluster-prime-node = 101
              nodes = [ { dbid = 101, primary { host = sip1.example.com, port = 5000 } } ]
              %s
            }
            """;

    @Test
    void durationsBelowOrAboveTheirRangeAreRefusedAsWritten() {
        List<ConfigProblem> problems = problems("""
                reconnect-timeout = "1 us"
                addp-timeout = "500 us"
                addp-remote-timeout = "2 h"
                request-timeout = 1e300
                connect-timeout = 601
                """);

        assertThat(problems).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "reconnect-timeout = 1 us: expected a duration from 10 ms to 1 h",
                "addp-timeout = 500 us: expected 0 (off) or a duration from 100 ms to 1 h",
                "addp-remote-timeout = 2 h: expected 0 (off) or a duration from 100 ms to 1 h",
                "request-timeout = 1e300: expected a duration from 10 ms to 1 h",
                "connect-timeout = 601: expected a duration from 10 ms to 10 minutes");
    }

    @Test
    void theEdgesOfEveryRangeAreAccepted() {
        BalancerConfig config = BalancerConfig.parse(BASE.formatted("""
                reconnect-timeout = "10 ms", addp-timeout = 0, addp-remote-timeout = "100 ms"
                request-timeout = "1 h", connect-timeout = "10 minutes", max-pending-requests = 1000000
                application-name = "%s"
                """.formatted("a".repeat(255))));
        assertThat(config.reconnectTimeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.maxPendingRequests()).isEqualTo(1_000_000);
    }

    @Test
    void theBuilderRefusesTheSameValuesWithoutOverflowing() {
        assertThatThrownBy(() -> builder().reconnectTimeout(Duration.ofDays(200_000)).requestTimeout(Duration.ofSeconds(Long.MAX_VALUE))
                .addpTimeout(Duration.ofNanos(500_000)).connectTimeout(Duration.ofMillis(9)).maxPendingRequests(1_000_001).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::message)
                        .containsExactlyInAnyOrder(
                                "reconnect-timeout = 4800000 h: expected a duration from 10 ms to 1 h",
                                "request-timeout = 9223372036854775807 s: expected a duration from 10 ms to 1 h",
                                "addp-timeout = 500 us: expected 0 (off) or a duration from 100 ms to 1 h",
                                "connect-timeout = 9 ms: expected a duration from 10 ms to 10 minutes",
                                "max-pending-requests = 1000001: expected a number of requests from 1 to 1000000"));
    }

    @Test
    void longTextIsRefusedAndShownCut() {
        String dn = "7".repeat(70_000);
        List<ConfigProblem> problems = problems("monitored-dns = [\"" + dn + "\"]\napplication-name = \"" + "n".repeat(100_000) + "\"");

        assertThat(problems).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "monitored-dns[0] = \"" + "7".repeat(59) + "\u2026 (70002 chars): expected a DN of 1 to 255 printable characters"
                        + " (no control characters)",
                "application-name = \"" + "n".repeat(59) + "\u2026 (100002 chars): expected an application name of 1 to 255"
                        + " printable characters (no control characters)");
        assertThatThrownBy(() -> builder().monitorDn("70\u001b[2J01").build()).hasMessageContaining(
                "monitored-dns[0] = \"70\\u001B[2J01\": expected a DN of 1 to 255 printable characters");
    }

    @Test
    void anUnknownOptionWithAHugeValueIsEchoedCut() {
        List<ConfigProblem> problems = problems("mystery = \"" + "x".repeat(50_000) + "\"");
        assertThat(problems).singleElement().extracting(ConfigProblem::value)
                .isEqualTo("x".repeat(60) + "\u2026 (50000 chars)");
    }

    @Test
    void aDialbalanceValueThatIsNotAnObjectIsSaidSo() {
        assertThat(HoconConfigReader.parse("dialbalance = 5").problems()).extracting(ConfigProblem::message)
                .containsExactly("dialbalance = 5: expected an object: a top-level 'dialbalance { ... }' block, not a number");
    }

    @Test
    void hostsThatAreNotHostNamesAreRefusedWithTheReason() {
        List<ConfigProblem> problems = HoconConfigReader.parse("""
                dialbalance {
                  sip-cluster-prime-node = 101
                  nodes = [
                    { dbid = 101, primary { host = "sip 1.example.com", port = 5000 } }
                    { dbid = 102, primary { host = "tcp://sip2.example.com", port = 5000 } }
                    { dbid = 103, primary { host = "127.0.0.1:5000", port = 5000 } }
                    { dbid = 104, primary { host = "::1", port = 5000 }, backup { host = "10.0.0.4", port = 5000 } }
                    { dbid = 105, primary { host = "sip5.example.com.", port = 5000 } }
                  ]
                }
                """).problems();

        String expected = "a host name or IP address (at most 253 characters: letters, digits, '-', '_' and '.';"
                + " an IPv6 address with its colons)";
        assertThat(problems).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "nodes[0].primary.host = sip 1.example.com: expected " + expected + ", without spaces",
                "nodes[1].primary.host = tcp://sip2.example.com: expected " + expected + ", not a URL: drop the scheme",
                "nodes[2].primary.host = 127.0.0.1:5000: expected " + expected + ", without a port: the port goes in 'port'");
    }

    @Test
    void anEndpointUsedTwiceOrABackupEqualToItsPrimaryIsRefused() {
        List<ConfigProblem> problems = HoconConfigReader.parse("""
                dialbalance {
                  sip-cluster-prime-node = 101
                  nodes = [
                    { dbid = 101, primary { host = sip1.example.com, port = 5000 }, backup { host = SIP1.example.com, port = 5000 } }
                    { dbid = 102, primary { host = sip2.example.com, port = 5000 }, backup { host = sip3.example.com, port = 5000 } }
                    { dbid = 103, primary { host = sip3.example.com, port = 5000, port-kind = SmartProxy } }
                  ]
                }
                """).problems();

        assertThat(problems).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "nodes[0].backup = SIP1.example.com:5000: expected an endpoint other than the node's primary"
                        + " (the backup is another server)",
                "nodes[2].primary = sip3.example.com:5000: expected an endpoint no other server uses,"
                        + " but nodes[1].backup is the same");
        assertThatThrownBy(() -> builder().node(NodeSpec.of(NodeId.of(102), "two", endpoint("sip1.example.com"))).build())
                .hasMessageContaining("nodes[1].primary = sip1.example.com:5000: expected an endpoint no other server uses,"
                        + " but nodes[0].primary is the same");
    }

    private static BalancerConfig.Builder builder() {
        return BalancerConfig.builder().primeNode(NodeId.of(101)).node(NodeSpec.of(NodeId.of(101), "one", endpoint("sip1.example.com")));
    }

    private static Endpoint endpoint(String host) {
        return new Endpoint(host, 5000, PortKind.TC_PORT);
    }

    private static List<ConfigProblem> problems(String options) {
        return HoconConfigReader.parse(BASE.formatted(options)).problems();
    }
}
