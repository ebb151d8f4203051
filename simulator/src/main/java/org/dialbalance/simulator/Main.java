package org.dialbalance.simulator;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dialbalance} command line.
 *
 * <ul>
 *   <li>{@code dialbalance simulate [SCENARIO]}: run a workload with a fault script over the real
 *       {@code tserver} transport against an embedded simulated SIP cluster, then judge it;</li>
 *   <li>{@code dialbalance check-config FILE}: validate a production configuration and print the
 *       effective cluster.</li>
 * </ul>
 * Exit status: 0 success, 1 a guarantee failed, 2 invalid input, 130 stopped with Ctrl-C.
 */
@Command(name = "dialbalance", mixinStandardHelpOptions = true, version = "dialbalance 0.1.0-SNAPSHOT",
        description = "Outbound dialing balanced over the nodes of a SIP cluster.",
        subcommands = {SimulateCommand.class, CheckConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status when a guarantee failed. */
    static final int GUARANTEE_FAILED = 1;
    /** Exit status for invalid input: a bad scenario or configuration. */
    static final int INVALID_INPUT = 2;
    /** Exit status when a simulation was stopped with Ctrl-C (128 + SIGINT), after its partial summary. */
    static final int INTERRUPTED = 130;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Entry point of the launcher. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
