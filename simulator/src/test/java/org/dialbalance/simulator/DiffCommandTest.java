package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dialbalance diff OLD NEW}: the reload plan, one line per change, nothing applied. */
class DiffCommandTest {

    private static final String BASE = """
            dialbalance {
              sip-cluster-lb-mode = round-robin
              sip-cluster-prime-node = 101
              monitored-dns = ["7001"]
              nodes = [
                { dbid = 101, primary { host = sip1a.example.com, port = 5000 } }
                { dbid = 102, primary { host = sip2a.example.com, port = 5000 } }
                { dbid = 103, primary { host = sip3a.example.com, port = 5000 } }
              ]
              agent-groups { AG_Retention { sip-cluster-asm-dial-node = 102 } }
              campaign-groups = [
                { name = Sales, agent-group = AG_Sales, dialing-mode = predictive }
                { name = Retention, agent-group = AG_Retention, dialing-mode = predictive-seizing }
              ]
            }
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void equalFilesPrintNoChange() throws IOException {
        CommandLineTest.Run run = CommandLineTest.run("diff", write("old.conf", BASE).toString(), write("new.conf", BASE).toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("no change" + System.lineSeparator());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void everyChangeIsOneLine() throws IOException {
        String changed = BASE.replace("sip-cluster-asm-dial-node = 102", "sip-cluster-asm-dial-node = 103")
                .replace("{ dbid = 103, primary { host = sip3a.example.com, port = 5000 } }",
                        "{ dbid = 104, primary { host = sip4a.example.com, port = 5000 } }")
                .replace("sip2a.example.com", "sip2z.example.com")
                .replace("sip-cluster-prime-node = 101", "sip-cluster-prime-node = 101\n  request-timeout = 20");

        CommandLineTest.Run run = CommandLineTest.run("diff", write("old.conf", BASE).toString(),
                write("new.conf", changed).toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines()).satisfiesExactly(
                line -> assertThat(line).startsWith("node 103 removed: it drains"),
                line -> assertThat(line).startsWith("node 104 added: primary sip4a.example.com:5000 (TCport)"),
                line -> assertThat(line).startsWith("node 102 endpoints changed (primary sip2a.example.com:5000 (TCport) ->"
                        + " sip2z.example.com:5000 (TCport))"),
                line -> assertThat(line).startsWith("agent group AG_Retention sip-cluster-asm-dial-node 102 -> 103"),
                line -> assertThat(line).isEqualTo("request-timeout 10 s -> 20 s (restart required: a running balancer"
                        + " refuses this reload)"));
    }

    @Test
    void anInvalidNewFileListsItsProblemsWithStatus2() throws IOException {
        CommandLineTest.Run run = CommandLineTest.run("diff", write("old.conf", BASE).toString(),
                write("new.conf", BASE.replace("sip-cluster-prime-node = 101", "sip-cluster-prime-node = 109")).toString());

        assertThat(run.status()).isEqualTo(Main.INVALID_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("new.conf is invalid (1 problem):", "sip-cluster-prime-node = 109");
    }
}
