package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.transport.AddpTrace;
import org.junit.jupiter.api.Test;

class BalancerConfigTest {

    static final String VALID = """
            dialbalance {
              sip-cluster-lb-mode = round-robin
              sip-cluster-prime-node = 101
              reconnect-timeout = 10
              addp-timeout = "2.5 s"
              addp-remote-timeout = 20
              addp-trace = remote
              monitored-dns = ["7001", 7002]
              nodes = [
                { dbid = 101, name = SIP_Node_1,
                  primary { host = sip1a.example.com, port = 5000, port-kind = TCport }
                  backup  { host = sip1b.example.com, port = 5000, port-kind = SmartProxy } }
                { dbid = "102", primary { host = sip2a.example.com, port = 5001 } }
              ]
              agent-groups { AG_Sales { sip-cluster-asm-dial-node = 102 } }
              campaign-groups = [
                { name = "Sales@AG_Sales", agent-group = AG_Sales, dialing-mode = "Predictive with Seizing" }
                { name = "Service@AG_Service", agent-group = AG_Service, dialing-mode = power-gvp }
              ]
              transport-options { tserver { max-frame-size = 65536 } }
            }
            """;

    @Test
    void readsEveryOptionOfAValidFile() {
        BalancerConfig config = BalancerConfig.parse(VALID);

        assertThat(config.lbMode()).contains("round-robin");
        assertThat(config.topology().prime()).isEqualTo(NodeId.of(101));
        assertThat(config.topology().nodes()).hasSize(2);
        assertThat(config.topology().node(0).name()).isEqualTo("SIP_Node_1");
        assertThat(config.topology().node(0).backup()).contains(new Endpoint("sip1b.example.com", 5000, PortKind.SMART_PROXY));
        assertThat(config.topology().node(1).name()).isEqualTo("node-102");
        assertThat(config.topology().node(1).primary().kind()).as("TCport by default").isEqualTo(PortKind.TC_PORT);
        assertThat(config.reconnectTimeout()).as("a bare number is seconds").isEqualTo(Duration.ofSeconds(10));
        assertThat(config.addpTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.addpRemoteTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.addpTrace()).isEqualTo(AddpTrace.REMOTE);
        assertThat(config.monitoredDns()).containsExactly("7001", "7002");
        assertThat(config.campaignGroups()).containsExactly(
                CampaignGroup.of("Sales@AG_Sales", DialingMode.PREDICTIVE_SEIZING, "AG_Sales", NodeId.of(102)),
                CampaignGroup.of("Service@AG_Service", DialingMode.POWER_GVP, "AG_Service"));
        assertThat(config.transportOptions("tserver")).containsEntry("max-frame-size", "65536");
    }

    @Test
    void withoutLbModeBalancingIsOff() {
        BalancerConfig config = BalancerConfig.parse(VALID.replace("sip-cluster-lb-mode = round-robin", ""));
        assertThat(config.balancingEnabled()).isFalse();
    }

    @Test
    void everyProblemIsListedAtOnceNamingOptionValueAndExpectation() {
        String broken = """
                dialbalance {
                  sip-cluster-lb-mod = round-robin
                  sip-cluster-prime-node = 109
                  reconnect-timeout = -5
                  addp-timeout = soon
                  addp-trace = loud
                  nodes = [
                    { dbid = 101, primary { host = a, port = 70000 } }
                    { dbid = 101, primary { host = b, port = 5000 } }
                    { dbid = abc, primary { host = c, port = 5000 } }
                    { dbid = 104 }
                    { dbid = 105, primary { host = e, port = 5000, port-kind = TPort } }
                  ]
                  campaign-groups = [ { name = x, agent-group = y, dialing-mode = turbo } ]
                }
                """;

        List<ConfigProblem> problems = problems(broken);

        assertThat(problems).extracting(ConfigProblem::option).containsExactlyInAnyOrder(
                "sip-cluster-lb-mod", "sip-cluster-prime-node", "reconnect-timeout", "addp-timeout", "addp-trace",
                "nodes[0].primary.port", "nodes[1].dbid", "nodes[2].dbid", "nodes[3].primary",
                "nodes[4].primary.port-kind", "campaign-groups[0].dialing-mode");
        assertThat(problem(problems, "sip-cluster-lb-mod").expected()).contains("did you mean 'sip-cluster-lb-mode'?");
        assertThat(problem(problems, "sip-cluster-prime-node").value()).isEqualTo("109");
        assertThat(problem(problems, "sip-cluster-prime-node").expected()).contains("101").contains("105");
        assertThat(problem(problems, "reconnect-timeout").expected()).isEqualTo("a duration from 10 ms to 1 h");
        assertThat(problem(problems, "addp-timeout").value()).isEqualTo("soon");
        assertThat(problem(problems, "addp-trace").expected()).contains("remote");
        assertThat(problem(problems, "nodes[0].primary.port").value()).isEqualTo("70000");
        assertThat(problem(problems, "nodes[1].dbid").expected()).contains("unique");
        assertThat(problem(problems, "nodes[2].dbid").value()).isEqualTo("abc");
        assertThat(problem(problems, "nodes[4].primary.port-kind").expected()).isEqualTo("TCport or SmartProxy");
        assertThat(problem(problems, "campaign-groups[0].dialing-mode").expected()).contains("predictive-seizing");
    }

    @Test
    void aMissingBlockAMissingPrimeAndNonNumericAsmDialNodeAreProblems() {
        assertThat(problems("other { }")).extracting(ConfigProblem::option).containsExactly("dialbalance");
        List<ConfigProblem> problems = problems("""
                dialbalance {
                  nodes = [ { dbid = 101, primary { host = a, port = 5000 } } ]
                  agent-groups { AG { sip-cluster-asm-dial-node = node-two } }
                  request-timeout = 0
                }
                """);
        assertThat(problems).extracting(ConfigProblem::option).containsExactlyInAnyOrder(
                "sip-cluster-prime-node", "agent-groups.AG.sip-cluster-asm-dial-node", "request-timeout");
    }

    @Test
    void theMessageListsEveryProblemOnItsOwnLine() {
        assertThatThrownBy(() -> BalancerConfig.parse("dialbalance { nodes = [], sip-cluster-prime-node = x }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("\n  - nodes = []: expected at least one node")
                .hasMessageContaining("\n  - sip-cluster-prime-node = x: expected a DBID");
    }

    @Test
    void theBuilderChecksTheSameRules() {
        assertThatThrownBy(() -> BalancerConfig.builder().primeNode(NodeId.of(7)).reconnectTimeout(Duration.ofSeconds(-1))
                .lbMode("Round Robin").build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::option)
                        .containsExactlyInAnyOrder("nodes", "reconnect-timeout", "sip-cluster-lb-mode"));
    }

    @Test
    void aDuplicateCampaignGroupNameNamesTheEntryAndTheFirstOne() {
        CampaignGroup sales = new CampaignGroup("Sales", DialingMode.PREDICTIVE, "AG_Sales", java.util.Optional.empty());
        CampaignGroup retention = new CampaignGroup("Retention", DialingMode.PREDICTIVE, "AG_Retention", java.util.Optional.empty());
        assertThatThrownBy(() -> BalancerConfig.builder().primeNode(NodeId.of(101))
                .node(new org.dialbalance.api.NodeSpec(NodeId.of(101), "SIP_Node_1", new Endpoint("sip1a", 5000, PortKind.TC_PORT),
                        java.util.Optional.empty()))
                .campaignGroup(sales).campaignGroup(retention).campaignGroup(sales).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::message)
                        .containsExactly("campaign-groups[2].name = Sales: expected a name no other campaign group has "
                                + "(campaign-groups[0] is also 'Sales')"));
    }

    @Test
    void valuesAreShownAsWrittenAndControlCharactersAtTheEndsAreKept() {
        List<ConfigProblem> problems = problems("""
                dialbalance {
                  sip-cluster-prime-node = 101
                  max-pending-requests = 1e300
                  application-name = "\\u001B]0;owned\\u0007"
                  nodes = [ { dbid = 101, primary { host = "  ", port = "\\u0000" } } ]
                  campaign-groups = [ { name = "Sales\\r", agent-group = AG_Sales, dialing-mode = predictive } ]
                  colour = "red"
                }
                """);
        assertThat(problems).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "colour = red: expected no such option; known here: " + String.join(", ", HoconConfigReader.TOP_LEVEL_OPTIONS),
                "max-pending-requests = 1e300: expected a number of requests from 1 to 1000000",
                "nodes[0].primary.host = \"  \": expected a host name or address",
                "nodes[0].primary.port = \"\\u0000\": expected a TCP port from 1 to 65535",
                "campaign-groups[0].name = \"Sales\\u000D\": expected a campaign group name of 1 to 255 printable characters "
                        + "(no control characters)",
                "application-name = \"\\u001B]0;owned\\u0007\": expected an application name of 1 to 255 printable characters "
                        + "(no control characters)");
    }

    @Test
    void everyDbidNamesItsRange() {
        assertThat(problems("dialbalance { sip-cluster-prime-node = 2147483648, nodes = [ { dbid = 0, primary { host = a, port = 1 } } ],"
                + " agent-groups { AG { sip-cluster-asm-dial-node = -1 } } }"))
                .extracting(ConfigProblem::message).contains(
                        "sip-cluster-prime-node = 2147483648: expected a DBID: a whole number from 1 to 2147483647, such as 101",
                        "nodes[0].dbid = 0: expected a DBID: a whole number from 1 to 2147483647, such as 101",
                        "agent-groups.AG.sip-cluster-asm-dial-node = -1: expected a DBID: a whole number from 1 to 2147483647, such as 101");
    }

    private static List<ConfigProblem> problems(String hocon) {
        return HoconConfigReader.parse(hocon).problems();
    }

    private static ConfigProblem problem(List<ConfigProblem> problems, String option) {
        return problems.stream().filter(problem -> problem.option().equals(option)).findFirst().orElseThrow();
    }
}
