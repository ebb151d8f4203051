package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command line as people meet it, run in process with captured stdout and stderr: every bad argument
 * is one line on stderr and exit status 2, with no usage dump and no stack trace; nothing starts.
 */
class CommandLineTest {

    @TempDir
    Path dir;

    private String logLevelBefore;

    @BeforeEach
    void rememberLogLevel() {
        logLevelBefore = System.getProperty(Main.LOG_LEVEL_PROPERTY);
    }

    @AfterEach
    void restoreLogLevel() {
        if (logLevelBefore == null) {
            System.clearProperty(Main.LOG_LEVEL_PROPERTY);
        } else {
            System.setProperty(Main.LOG_LEVEL_PROPERTY, logLevelBefore);
        }
    }

    /** What one run printed and returned. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static void assertOneLineAndExit2(Run run, String line) {
        assertThat(run.err()).as("stderr").isEqualTo(line + System.lineSeparator());
        assertThat(run.out()).as("stdout").isEmpty();
        assertThat(run.status()).as(run.err()).isEqualTo(Main.INVALID_INPUT);
    }

    @ParameterizedTest(name = "simulate {0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            --rate     | 0   | Invalid value for option '--rate': '0' is not a positive number
            --rate     | -3  | Invalid value for option '--rate': '-3' is not a positive number
            --requests | -5  | Invalid value for option '--requests': '-5' is not a positive number
            --requests | 0   | Invalid value for option '--requests': '0' is not a positive number
            --requests | abc | Invalid value for option '--requests': 'abc' is not an int
            --rate     | 1.5 | Invalid value for option '--rate': '1.5' is not an int
            --seed     | x   | Invalid value for option '--seed': 'x' is not a long
            """)
    void aBadOptionValueIsOneLineAndExit2(String option, String value, String message) {
        assertOneLineAndExit2(run("simulate", option, value), "dialbalance simulate: " + message + "; see 'dialbalance simulate --help'");
    }

    @Test
    void anOptionWithoutItsValueIsOneLineAndExit2() {
        assertOneLineAndExit2(run("simulate", "--requests"),
                "dialbalance simulate: Missing required parameter for option '--requests' (N); see 'dialbalance simulate --help'");
    }

    @Test
    void aDirectoryAsScenarioIsOneLineAndExit2() {
        assertOneLineAndExit2(run("simulate", dir.toString()),
                "dialbalance simulate: scenario file '" + dir + "' is a directory; see 'dialbalance simulate --help'");
    }

    @Test
    void aMissingScenarioFileIsOneLineAndExit2() {
        Path missing = dir.resolve("missing.conf");
        assertOneLineAndExit2(run("simulate", missing.toString()),
                "dialbalance simulate: scenario file '" + missing + "' does not exist; see 'dialbalance simulate --help'");
    }

    @Test
    void aDirectoryAsReportIsRefusedBeforeTheRun() {
        assertOneLineAndExit2(run("simulate", "--report", dir.toString()),
                "dialbalance simulate: Invalid value for option '--report': '" + dir + "' is a directory; see 'dialbalance simulate --help'");
    }

    @Test
    void anUnknownOptionIsOneLineAndExit2() {
        assertOneLineAndExit2(run("simulate", "--bogus"), "dialbalance simulate: Unknown option: '--bogus'; see 'dialbalance simulate --help'");
    }

    @Test
    void anUnknownTopLevelOptionIsOneLineAndExit2() {
        assertOneLineAndExit2(run("--rate", "5"), "dialbalance: Unknown options: '--rate', '5'; see 'dialbalance --help'");
    }

    @Test
    void aSecondScenarioIsOneLineAndExit2() {
        assertOneLineAndExit2(run("simulate", "a.conf", "b.conf"),
                "dialbalance simulate: Unmatched argument at index 2: 'b.conf'; see 'dialbalance simulate --help'");
    }

    @Test
    void anUnknownCommandIsOneLineAndExit2() {
        assertOneLineAndExit2(run("simulat"),
                "dialbalance: unknown command 'simulat' (commands: simulate, check-config, diff, help); see 'dialbalance --help'");
    }

    @Test
    void helpForAnUnknownCommandIsOneLineAndExit2() {
        assertOneLineAndExit2(run("help", "frobnicate"), "dialbalance: Unknown subcommand 'frobnicate'; see 'dialbalance --help'");
    }

    @Test
    void anEscapeCodeInAnArgumentIsNotEchoed() {
        assertOneLineAndExit2(run("simulate", "\u001b[31mred\nline"),
                "dialbalance simulate: scenario file '?[31mred line' does not exist; see 'dialbalance simulate --help'");
    }

    @Test
    void anUnknownFaultActionInAScenarioFileIsOneLineAndExit2() throws Exception {
        String scenario = Files.readString(Path.of("scenarios/blackhole.conf")).replace("blackhole 103 primary", "explode 103 primary");
        Path file = Files.writeString(dir.resolve("explode.conf"), scenario);

        Run run = run("simulate", file.toString());

        assertOneLineAndExit2(run, file + ": scenario.faults: fault 'at 20%: explode 103 primary': unknown action 'explode'; expected "
                + "'at <percent>%: <kill|restart|blackhole|heal|reject|accept|latency|drain|enable> <dbid> [primary|backup|both] [<n>ms]'"
                + ", 'at <percent>%: reload <file>' or 'at <percent>%: kill-dialer <n|owner-of group>', e.g. 'at 20%: kill 102 primary',"
                + " 'at 40%: drain 103', 'at 50%: reload new.conf' or 'at 40%: kill-dialer owner-of Sales'");
    }

    @Test
    void severalProblemsInAScenarioFileAreListedOnePerLine() throws Exception {
        String scenario = Files.readString(Path.of("scenarios/blackhole.conf")).replace("blackhole 103 primary", "explode 103 primary")
                .replace("rate = 1000", "rate = 0");
        Path file = Files.writeString(dir.resolve("two.conf"), scenario);

        Run run = run("simulate", file.toString());

        assertThat(run.status()).isEqualTo(Main.INVALID_INPUT);
        assertThat(run.err().lines()).hasSize(3).first().isEqualTo(file + ": 2 problem(s):");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void checkConfigWithoutAFileIsOneLineAndExit2() {
        assertOneLineAndExit2(run("check-config"),
                "dialbalance check-config: Missing required parameter: 'FILE'; see 'dialbalance check-config --help'");
    }

    @Test
    void checkConfigOfAMissingFileIsOneLineAndExit2() {
        Path missing = dir.resolve("missing.conf");
        assertOneLineAndExit2(run("check-config", missing.toString()),
                "dialbalance check-config: configuration file '" + missing + "' does not exist; see 'dialbalance check-config --help'");
    }

    @Test
    void checkConfigOfADirectoryIsOneLineAndExit2() {
        assertOneLineAndExit2(run("check-config", dir.toString()),
                "dialbalance check-config: configuration file '" + dir + "' is a directory; see 'dialbalance check-config --help'");
    }

    @Test
    void noCommandPrintsTheUsageOnStderrAndExits2() {
        Run run = run();

        assertThat(run.status()).isEqualTo(Main.INVALID_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("Usage: dialbalance [-hV] [--log-level=LEVEL] [COMMAND]")
                .contains("simulate", "check-config", "Exit status:").doesNotContain("\u001b");
    }

    @ParameterizedTest
    @CsvSource({"--help", "-h", "help"})
    void helpPrintsTheUsageOnStdoutAndExits0(String help) {
        Run run = run(help);

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: dialbalance").contains("simulate", "check-config", "--log-level")
                .containsPattern("\\s+2\\s+invalid input").containsPattern("\\s+130\\s+simulate stopped with Ctrl-C").doesNotContain("\u001b");
    }

    @Test
    void simulateHelpListsItsOptionsAndExits0() {
        Run run = run("simulate", "--help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("Usage: dialbalance simulate").contains("--requests=N", "--rate=N", "--seed=N", "--log-level=LEVEL");
    }

    @ParameterizedTest
    @CsvSource({"--version", "-V"})
    void versionPrintsTheVersionAndExits0(String version) {
        Run run = run(version);

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(Main.VERSION + System.lineSeparator());
    }

    @Test
    void aSubcommandPrintsTheVersionToo() {
        assertThat(run("simulate", "--version").out()).isEqualTo(Main.VERSION + System.lineSeparator());
    }

    @Test
    void logLevelSetsThePropertyLogbackReads() {
        Run run = run("--log-level", "Warn", "check-config", "--help");

        assertThat(run.status()).isZero();
        assertThat(System.getProperty(Main.LOG_LEVEL_PROPERTY)).isEqualTo("WARN");
    }

    @Test
    void logLevelIsAcceptedAfterTheCommandToo() {
        assertThat(run("check-config", "--log-level", "debug", "--help").status()).isZero();
        assertThat(System.getProperty(Main.LOG_LEVEL_PROPERTY)).isEqualTo("DEBUG");
    }

    @Test
    void anUnknownLogLevelIsOneLineAndExit2() {
        assertOneLineAndExit2(run("--log-level", "loud", "simulate"),
                "dialbalance: Invalid value for option '--log-level': 'loud' is not one of error, warn, info, debug, trace, off; "
                        + "see 'dialbalance --help'");
        assertThat(System.getProperty(Main.LOG_LEVEL_PROPERTY)).isEqualTo(logLevelBefore);
    }

    @Test
    void logbackReadsTheLogLevelProperty() throws Exception {
        try (var config = Main.class.getResourceAsStream("/logback.xml")) {
            assertThat(new String(config.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("${" + Main.LOG_LEVEL_PROPERTY + ":-ERROR}");
        }
    }
}
