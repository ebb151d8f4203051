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

    private static List<NodeSpec> specs(Scenario scenario) {
        return scenario.nodes().stream().map(node -> node.backup()
                ? NodeSpec.of(node.id(), "n" + node.id(), new Endpoint("127.0.0.1", 1000 + node.id().dbid(), PortKind.TC_PORT),
                        new Endpoint("127.0.0.1", 2000 + node.id().dbid(), PortKind.TC_PORT))
                : NodeSpec.of(node.id(), "n" + node.id(), new Endpoint("127.0.0.1", 1000 + node.id().dbid(), PortKind.TC_PORT))).toList();
    }
}
