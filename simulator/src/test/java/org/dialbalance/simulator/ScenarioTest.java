package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dialbalance.api.DialingMode;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.PortKind;
import org.dialbalance.core.BalancerConfig;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

class ScenarioTest {

    @Test
    void theDefaultScenarioIsWhatTheIssueAsksFor() {
        Scenario scenario = Scenario.defaultScenario();

        assertThat(scenario.nodes()).hasSize(4).allMatch(Scenario.SimulatedNode::backup);
        BalancerConfig config = BalancerConfig.fromConfig(SimulationRunner.withNodes(scenario.production(), specs(scenario)));
        assertThat(config.topology().prime()).isEqualTo(NodeId.of(101));
        assertThat(config.campaignGroups()).hasSize(6);
        assertThat(config.campaignGroups()).filteredOn(group -> group.mode().isSeizing()).hasSize(2)
                .anyMatch(group -> group.asmDialNode().isPresent()).anyMatch(group -> group.asmDialNode().isEmpty());
        assertThat(config.campaignGroups()).filteredOn(group -> !group.mode().isSeizing()).extracting(group -> group.mode())
                .doesNotHaveDuplicates().doesNotContain(DialingMode.PROGRESSIVE_SEIZING);
        assertThat(scenario.requests()).isGreaterThanOrEqualTo(20_000);
        assertThat((double) scenario.requests() / scenario.rate()).as("seconds of workload").isLessThan(40);
        assertThat(scenario.faults()).extracting(Fault::action).containsExactly(Fault.Action.KILL, Fault.Action.KILL,
                Fault.Action.RESTART, Fault.Action.KILL, Fault.Action.RESTART);
    }

    @Test
    void everyExampleScenarioParsesAndItsProductionBlockIsValid() throws IOException {
        int count = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("scenarios"), "*.conf")) {
            for (Path file : files) {
                Scenario scenario = Scenario.load(file);
                BalancerConfig.fromConfig(SimulationRunner.withNodes(scenario.production(), specs(scenario)));
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aBrokenScenarioListsEveryProblem() {
        assertThatIllegalArgumentException().isThrownBy(() -> Scenario.parse(ConfigFactory.parseString("""
                scenario { requests = 0, rate = -1, faults = ["at 5%: explode 1"] }
                dialbalance { }
                """), "test.conf"))
                .withMessageContaining("scenario.requests").withMessageContaining("scenario.rate")
                .withMessageContaining("scenario.topology.nodes").withMessageContaining("explode");
    }

    @Test
    void aReloadFileIsResolvedAgainstTheScenarioAndCheckedBeforeTheRun(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.conf"), """
                dialbalance { nodes = [101, 109], sip-cluster-lb-mode = round-robin, sip-cluster-prime-node = 101 }
                """);
        Files.writeString(dir.resolve("other-mode.conf"), "dialbalance { sip-cluster-prime-node = 101 }");
        Files.writeString(dir.resolve("invalid.conf"), """
                dialbalance { sip-cluster-lb-mode = round-robin, sip-cluster-prime-node = 101, reconnect-timeout = soon }
                """);
        Files.writeString(dir.resolve("good.conf"), """
                dialbalance { nodes = [102, 101], sip-cluster-lb-mode = round-robin, sip-cluster-prime-node = 102 }
                """);
        Files.writeString(dir.resolve("s.conf"), """
                scenario {
                  requests = 10, rate = 10, topology.nodes = [ { dbid = 101 }, { dbid = 102 } ]
                  faults = [ "at 10%: reload missing.conf", "at 20%: reload bad.conf", "at 30%: reload other-mode.conf",
                             "at 40%: reload invalid.conf" ]
                }
                dialbalance { sip-cluster-lb-mode = round-robin, sip-cluster-prime-node = 101 }
                """);

        assertThatIllegalArgumentException().isThrownBy(() -> Scenario.load(dir.resolve("s.conf")))
                .withMessageContaining("'at 10%: reload missing.conf' (" + dir.resolve("missing.conf"))
                .withMessageContaining("'at 20%: reload bad.conf' (" + dir.resolve("bad.conf") + "): dialbalance.nodes: node 109 is not"
                        + " one of the scenario's nodes")
                .withMessageContaining("'at 30%: reload other-mode.conf' (" + dir.resolve("other-mode.conf")
                        + "): changes sip-cluster-lb-mode from round-robin to null")
                .withMessageContaining("'at 40%: reload invalid.conf'").withMessageContaining("reconnect-timeout");

        Files.writeString(dir.resolve("s.conf"), Files.readString(dir.resolve("s.conf")).replaceAll("faults = \\[[^]]*]",
                "faults = [ \"at 50%: reload good.conf\" ]"));
        Scenario scenario = Scenario.load(dir.resolve("s.conf"));
        assertThat(scenario.faults()).singleElement().extracting(Fault::file).isEqualTo(dir.resolve("good.conf"));
        BalancerConfig reloaded = BalancerConfig.fromConfig(SimulationRunner.withNodes(Scenario.reloadConfig(dir.resolve("good.conf")),
                specs(scenario)));
        assertThat(reloaded.topology().nodes()).extracting(NodeSpec::id).containsExactly(NodeId.of(102), NodeId.of(101));
    }

    private static List<NodeSpec> specs(Scenario scenario) {
        return scenario.nodes().stream().map(node -> node.backup()
                ? NodeSpec.of(node.id(), "n" + node.id(), new Endpoint("127.0.0.1", 1000 + node.id().dbid(), PortKind.TC_PORT),
                        new Endpoint("127.0.0.1", 2000 + node.id().dbid(), PortKind.TC_PORT))
                : NodeSpec.of(node.id(), "n" + node.id(), new Endpoint("127.0.0.1", 1000 + node.id().dbid(), PortKind.TC_PORT))).toList();
    }
}
