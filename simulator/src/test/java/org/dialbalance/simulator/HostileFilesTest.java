package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** check-config and scenario files refuse hostile files with one line and exit status 2, no stack trace. */
class HostileFilesTest {

    @Test
    void checkConfigRefusesADeeplyNestedFileInOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("deep.conf"), "dialbalance { nodes = " + "[".repeat(100_000) + " }");
        StringWriter err = new StringWriter();

        int status = Main.commandLine().setErr(new PrintWriter(err)).execute("check-config", file.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("file = " + file + ": expected objects and lists nested at most 64 levels deep,"
                + " but line 1 goes deeper" + System.lineSeparator());
    }

    @Test
    void checkConfigRefusesADirectoryInOneLine(@TempDir Path dir) {
        StringWriter err = new StringWriter();

        int status = Main.commandLine().setErr(new PrintWriter(err)).execute("check-config", dir.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("dialbalance check-config: configuration file '" + dir + "' is a directory;"
                + " see 'dialbalance check-config --help'" + System.lineSeparator());
    }

    @Test
    void aScenarioFileGetsTheSameLimits(@TempDir Path dir) throws Exception {
        Path big = Files.write(dir.resolve("big.conf"), new byte[(1 << 20) + 1]);

        assertThatThrownBy(() -> Scenario.load(big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scenario file = " + big + ": expected a file of at most 1 MiB (1048576 bytes), but it has 1048577 bytes");
        assertThatThrownBy(() -> Scenario.load(Path.of("/dev/zero"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scenario file = /dev/zero: expected a regular file, but this is not one (a device, pipe or socket)");
    }
}
