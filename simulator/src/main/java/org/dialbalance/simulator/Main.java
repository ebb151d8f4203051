package org.dialbalance.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code dialbalance} command line.
 *
 * <ul>
 *   <li>{@code dialbalance simulate [SCENARIO]}: run a workload with a fault script over the real
 *       {@code tserver} transport against an embedded simulated SIP cluster, then judge it;</li>
 *   <li>{@code dialbalance check-config FILE}: validate a production configuration and print the
 *       effective cluster;</li>
 *   <li>{@code dialbalance diff OLD NEW}: print what reloading from one configuration to the other would change,
 *       without applying it.</li>
 * </ul>
 * Exit status: 0 success, 1 a guarantee failed, 2 invalid input (a bad argument gets one line on stderr,
 * no usage dump; no command at all prints the usage on stderr), 130 a simulation stopped with Ctrl-C.
 */
@Command(name = "dialbalance", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Outbound dialing balanced over the nodes of a SIP cluster.",
        subcommands = {SimulateCommand.class, CheckConfigCommand.class, DiffCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:a guarantee failed (simulate)", "2:invalid input", "130:simulate stopped with Ctrl-C (after its partial summary)"})
public final class Main implements Callable<Integer> {

    /** Exit status when a guarantee failed. */
    static final int GUARANTEE_FAILED = 1;
    /** Exit status for invalid input: a bad argument, scenario or configuration. */
    static final int INVALID_INPUT = 2;
    /** Exit status when a simulation was stopped with Ctrl-C (128 + SIGINT), after its partial summary. */
    static final int INTERRUPTED = 130;
    /** What {@code --version} prints. */
    static final String VERSION = "dialbalance 0.1.0-SNAPSHOT";
    /** The system property {@code logback.xml} reads the root log level from. */
    static final String LOG_LEVEL_PROPERTY = "dialbalance.log.level";

    private static final Pattern SINGLE_PROBLEM = Pattern.compile("(.*?): 1 problem\\(s\\):\\R\\s*- ([^\\r\\n]*)\\R?");
    private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace", "off");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Entry point of the launcher. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with its error handling: every bad argument is reported on one line of stderr with
     * exit status 2, without the usage.
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler(Main::reportBadArgument);
        // plain text: picocli colors the usage whenever a console is attached, even when the usage goes to a
        // redirected stderr
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            sub.getCommandSpec().version(VERSION);   // `dialbalance simulate --version` prints it too
        }
        return commandLine;
    }

    /**
     * Sets the root log level for this run. Parsing runs before any command creates a logger, so logback
     * reads the property when it initializes; it overrides {@code -Ddialbalance.log.level}.
     */
    @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT,
            description = "root log level: error, warn, info, debug, trace or off (default: error, or the "
                    + "dialbalance.log.level system property); logs go to stderr")
    void logLevel(String level) {
        if (level == null) {
            return;
        }
        String normalized = level.toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(normalized)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--log-level': '" + level
                    + "' is not one of " + String.join(", ", LOG_LEVELS));
        }
        System.setProperty(LOG_LEVEL_PROPERTY, normalized.toUpperCase(Locale.ROOT));
    }

    /** Without a command: the usage, on stderr, and exit status 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return INVALID_INPUT;
    }

    /** One line on stderr, naming the command and where its help is; exit status 2. */
    static int reportBadArgument(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        String command = commandLine.getCommandSpec().qualifiedName();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException unmatched && commandLine.getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + unmatched.getUnmatched().get(0) + "' (commands: "
                    + String.join(", ", commandLine.getSubcommands().keySet()) + ")";
        }
        commandLine.getErr().println(command + ": " + oneLine(message) + "; see '" + command + " --help'");
        commandLine.getErr().flush();
        return INVALID_INPUT;
    }

    /**
     * Refuses a file argument that does not exist or is a directory, before anything reads it.
     *
     * @throws ParameterException reported on one line with exit status 2
     */
    static void requireFile(CommandLine commandLine, Path file, String what) {
        if (!Files.exists(file)) {
            throw new ParameterException(commandLine, what + " '" + file + "' does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new ParameterException(commandLine, what + " '" + file + "' is a directory");
        }
    }

    /**
     * A problem list of one problem ({@code "source: 1 problem(s):\n  - what"}) as one line,
     * {@code "source: what"}; any other message unchanged.
     */
    static String oneProblemOnOneLine(String message) {
        Matcher single = SINGLE_PROBLEM.matcher(message == null ? "" : message);
        return single.matches() ? single.group(1) + ": " + single.group(2) : message;
    }

    /** The message on one line, with control characters (escape codes from a hostile argument) shown as '?'. */
    static String oneLine(String message) {
        String text = message == null ? "invalid argument" : message.strip();
        text = text.replaceAll("\\R+", " ").replaceAll("\\p{Cntrl}", "?");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
