package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class CheckConfigCommandTest {

    private static final String CONFIG = """
            dialbalance {
              sip-cluster-lb-mode = round-robin
              sip-cluster-prime-node = 101
              transport = in-memory
              nodes = [
                { dbid = 101, name = Node1, primary { host = a, port = 5000 }, backup { host = b, port = 5000 } }
                { dbid = 102, name = Node2, primary { host = c, port = 5000, port-kind = SmartProxy } }
              ]
              agent-groups { AG_Pinned { sip-cluster-asm-dial-node = 102 }, AG_Lost { sip-cluster-asm-dial-node = 999 } }
              campaign-groups = [
                { name = Sales, agent-group = AG_Sales, dialing-mode = predictive }
                { name = Pinned, agent-group = AG_Pinned, dialing-mode = predictive-seizing }
                { name = Lost, agent-group = AG_Lost, dialing-mode = progressive-seizing }
                { name = Unset, agent-group = AG_Unset, dialing-mode = predictive-seizing }
              ]
            }
            """;

    @Test
    void aValidFilePrintsTheEffectiveClusterWithEveryFallbackExplained(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ocs.conf"), CONFIG);
        StringWriter out = new StringWriter();

        int status = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("check-config", file.toString());

        assertThat(status).isZero();
        assertThat(out.toString())
                .contains("sip-cluster-lb-mode = round-robin")
                .containsPattern("101 +Node1 .*\\[prime\\]")
                .contains("c:5000 (SmartProxy)")
                .containsPattern("Sales +predictive +round-robin over the active nodes")
                .containsPattern("Pinned +predictive-seizing +dialer node 102 \\(sip-cluster-asm-dial-node of agent group AG_Pinned\\)")
                .contains("dialer node 101 = the prime: sip-cluster-asm-dial-node = 999 (agent group AG_Lost) names no configured node")
                .contains("dialer node 101 = the prime: agent group AG_Unset sets no sip-cluster-asm-dial-node");
    }

    @Test
    void anInvalidFileListsEveryProblemAndExitsWith2(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.conf"), CONFIG.replace("port = 5000 }, backup", "port = 99999 }, backup")
                .replace("round-robin", "weighted").replace("sip-cluster-prime-node = 101", "sip-cluster-prime-node = 7"));
        StringWriter err = new StringWriter();

        int status = new CommandLine(new Main()).setErr(new PrintWriter(err)).execute("check-config", file.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("3 problems").contains("nodes[0].primary.port = 99999")
                .contains("sip-cluster-lb-mode = weighted").contains("sip-cluster-prime-node = 7");
    }
}
