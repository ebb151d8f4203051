package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./dialbalance} launcher script itself, when the simulator jar is already built: it passes
 * JAVA_OPTS and the arguments through, and prints nothing colored. It never builds: {@code mvn} is a stub
 * here, and a launcher that wants to build (no jar, or sources newer than it, as during {@code mvn verify}
 * before {@code package}) skips these tests, so CI never builds twice.
 */
class LauncherTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = ROOT.resolve("dialbalance");
    private static final Path JAR = ROOT.resolve("simulator/target/dialbalance-simulator-0.1.0-SNAPSHOT.jar");

    private static final String CONFIG = """
            dialbalance {
              sip-cluster-lb-mode = round-robin
              sip-cluster-prime-node = 101
              nodes = [ { dbid = 101, name = N1, primary { host = a, port = 5000 } } ]
              agent-groups { AG_Lost { sip-cluster-asm-dial-node = 999 } }
              campaign-groups = [ { name = Lost, agent-group = AG_Lost, dialing-mode = progressive-seizing } ]
            }
            """;

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        assumeTrue(File.separatorChar == '/' && Files.isRegularFile(JAR), "the simulator jar is not built");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho 'stub mvn: not building in a test' >&2\nexit 97\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().remove("JAVA_OPTS");
        builder.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher finished within 60 s").isTrue();
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        if (run.err().contains("dialbalance: building")) {
            abort("the simulator jar is older than the sources; the launcher would build");
        }
        return run;
    }

    @Test
    void aBadArgumentIsOneLineAndExit2() throws Exception {
        Run run = launch(Map.of(), "simulate", "--requests", "0");

        assertThat(run.err()).isEqualTo("dialbalance simulate: Invalid value for option '--requests': '0' is not a positive number; "
                + "see 'dialbalance simulate --help'\n");
        assertThat(run.out()).isEmpty();
        assertThat(run.status()).isEqualTo(2);
    }

    @Test
    void noCommandPrintsTheUsageOnStderrWithoutEscapeCodes() throws Exception {
        Run run = launch(Map.of());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("Usage: dialbalance").doesNotContain("\u001b");
    }

    @Test
    void javaOptsReachTheJvm() throws Exception {
        Path config = Files.writeString(dir.resolve("ocs.conf"), CONFIG);

        Run quiet = launch(Map.of(), "check-config", config.toString());
        Run verbose = launch(Map.of("JAVA_OPTS", "-Xmx256m  -Ddialbalance.log.level=warn"), "check-config", config.toString());

        assertThat(quiet.status()).isZero();
        assertThat(quiet.err()).isEmpty();
        assertThat(verbose.status()).isZero();
        assertThat(verbose.err()).contains("WARN").contains("sip-cluster-asm-dial-node = 999 names no configured node");
    }

    @Test
    void logLevelOptionSetsTheLevelBeforeLogbackStarts() throws Exception {
        Path config = Files.writeString(dir.resolve("ocs.conf"), CONFIG);

        Run run = launch(Map.of("JAVA_OPTS", "-Ddialbalance.log.level=off"), "--log-level", "info", "check-config", config.toString());

        assertThat(run.status()).isZero();
        assertThat(run.err()).contains("INFO").contains("WARN").doesNotContain("\u001b");
        assertThat(run.out()).startsWith("Configuration OK: ");
    }
}
