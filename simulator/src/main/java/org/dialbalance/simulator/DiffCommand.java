package org.dialbalance.simulator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.ConfigDiff;
import org.dialbalance.core.DialBalancer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Prints what reloading a running balancer from one configuration to another would change, without applying anything:
 * a dry run of {@code DialBalancer.reconfigure} for deployment pipelines. One line per change ({@link ConfigDiff}), or
 * {@code no change}; a change only a restart can make is marked so. Each file is checked as {@code check-config}
 * checks it: an invalid one lists its problems, exit status 2.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Print what reloading from OLD to NEW would change, without applying it.")
final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OLD", description = "the configuration running now")
    Path oldFile;

    @Parameters(index = "1", paramLabel = "NEW", description = "the configuration to reload")
    Path newFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Main.requireFile(spec.commandLine(), oldFile, "configuration file");
        Main.requireFile(spec.commandLine(), newFile, "configuration file");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (invalid(oldFile, err) | invalid(newFile, err)) {
            err.flush();
            return Main.INVALID_INPUT;
        }
        ConfigDiff diff = ConfigDiff.between(BalancerConfig.load(oldFile), BalancerConfig.load(newFile));
        if (diff.isEmpty()) {
            out.println("no change");
        } else {
            diff.changes().forEach(out::println);
        }
        out.flush();
        return 0;
    }

    /** Prints a file's problems, as {@code check-config} does; whether it had any. */
    private static boolean invalid(Path file, PrintWriter err) {
        List<ConfigProblem> problems = DialBalancer.check(file);
        if (problems.isEmpty()) {
            return false;
        }
        if (problems.size() == 1 && problems.get(0).option().equals("file")) {
            err.println(problems.get(0).message());
        } else {
            err.printf("%s is invalid (%d %s):%n", file, problems.size(), problems.size() == 1 ? "problem" : "problems");
            problems.forEach(problem -> err.println("  - " + problem.message()));
        }
        return true;
    }
}
