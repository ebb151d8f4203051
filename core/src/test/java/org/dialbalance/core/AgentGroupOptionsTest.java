package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.dialbalance.api.ConfigProblem;
import org.junit.jupiter.api.Test;

/** Unknown options inside {@code agent-groups} (issue 12): each is a problem naming its full path, never ignored. */
class AgentGroupOptionsTest {

    private static String config(String agentGroups) {
        return """
                dialbalance {
                  sip-cluster-prime-node = 101
                  nodes = [ { dbid = 101, primary { host = a, port = 5000 } }, { dbid = 102, primary { host = b, port = 5000 } } ]
                  agent-groups { %s }
                }
                """.formatted(agentGroups);
    }

    @Test
    void aMisspelledOptionIsAProblemWithASuggestion() {
        List<ConfigProblem> problems = HoconConfigReader.parse(config("AG_Sales { sip-cluster-asm-dial-nod = 102 }")).problems();

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.option()).isEqualTo("agent-groups.AG_Sales.sip-cluster-asm-dial-nod");
            assertThat(problem.value()).isEqualTo("102");
            assertThat(problem.expected()).contains("no such option").contains("did you mean 'sip-cluster-asm-dial-node'?")
                    .contains("known here: sip-cluster-asm-dial-node");
        });
    }

    @Test
    void anUnrelatedOptionIsAProblemWithoutASuggestionAndTheKnownOneIsStillRead() {
        List<ConfigProblem> problems = HoconConfigReader.parse(config(
                "AG_Sales { sip-cluster-asm-dial-node = 102, colour = red }, AG_Other { weight = 3 }")).problems();

        assertThat(problems).extracting(ConfigProblem::option)
                .containsExactlyInAnyOrder("agent-groups.AG_Sales.colour", "agent-groups.AG_Other.weight");
        assertThat(problems).allSatisfy(problem -> assertThat(problem.expected()).doesNotContain("did you mean"));
        assertThatThrownBy(() -> BalancerConfig.parse(config("AG_Sales { sip-cluster-asm-dial-node = 102, colour = red }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agent-groups.AG_Sales.colour");
    }

    @Test
    void aValidAgentGroupHasNoProblem() {
        assertThat(HoconConfigReader.parse(config("AG_Sales { sip-cluster-asm-dial-node = 102 }, AG_Plain { }")).problems()).isEmpty();
        assertThat(BalancerConfig.parse(config("AG_Sales { sip-cluster-asm-dial-node = 102 }")).topology().nodes())
                .hasSize(2);
    }
}
