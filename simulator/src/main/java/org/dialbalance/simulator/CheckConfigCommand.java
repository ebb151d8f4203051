package org.dialbalance.simulator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.core.BalancerConfig;
import org.dialbalance.core.DialBalancer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Validates a production configuration without connecting anywhere and prints the effective cluster:
 * the nodes in round-robin order, the prime, and each campaign group's dialer node with every fallback
 * to the prime explained. A dry run for deployment pipelines: exit status 2 when the file is invalid. With
 * {@code --advise}, also the ASM balance advice ({@link AsmAdvisor}).
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a production configuration and print the effective cluster.")
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "a HOCON file with a dialbalance { ... } block")
    Path file;

    @CommandLine.Option(names = "--advise", description = "also propose sip-cluster-asm-dial-node assignments that spread"
            + " the seizing groups' expected load over the nodes by weight, with today's load per node next to it")
    boolean advise;

    @CommandLine.Option(names = "--size", paramLabel = "GROUP=N", description = "with --advise: the expected load of a"
            + " seizing campaign group (agents, ports or calls; 1 to 1000000); a group without one counts 1")
    Map<String, Integer> sizes = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Main.requireFile(spec.commandLine(), file, "configuration file");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ConfigProblem> problems = DialBalancer.check(file);
        if (problems.size() == 1 && problems.get(0).option().equals("file")) {
            err.println(problems.get(0).message());    // the file itself is refused: one line
            err.flush();
            return Main.INVALID_INPUT;
        }
        if (!problems.isEmpty()) {
            err.printf("%s is invalid (%d %s):%n", file, problems.size(), problems.size() == 1 ? "problem" : "problems");
            problems.forEach(problem -> err.println("  - " + problem.message()));
            err.flush();
            return Main.INVALID_INPUT;
        }
        BalancerConfig config = BalancerConfig.load(file);
        if (!advise && !sizes.isEmpty()) {
            err.println("--size is for --advise: add --advise to get the ASM balance advice");
            err.flush();
            return Main.INVALID_INPUT;
        }
        AsmAdvisor.Advice advice = null;
        if (advise) {
            for (Map.Entry<String, Integer> size : sizes.entrySet()) {
                if (size.getValue() < 1 || size.getValue() > 1_000_000) {
                    err.println("--size " + size.getKey() + "=" + size.getValue() + ": expected a load from 1 to 1000000");
                    err.flush();
                    return Main.INVALID_INPUT;
                }
            }
            try {
                advice = AsmAdvisor.advise(config, sizes);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                err.flush();
                return Main.INVALID_INPUT;
            }
        }
        out.print(describe(config, file.toString()));
        if (advice != null) {
            out.print(AsmAdvisor.describe(config, advice, !sizes.isEmpty()));
        }
        out.flush();
        return 0;
    }

    /** The effective cluster of a valid configuration, as people read it. */
    static String describe(BalancerConfig config, String source) {
        StringBuilder out = new StringBuilder();
        NodeId prime = config.topology().prime();
        out.append("Configuration OK: ").append(source).append("\n\n");
        if (config.balancingEnabled()) {
            out.append("Balancing: sip-cluster-lb-mode = ").append(config.lbMode().orElseThrow())
                    .append(" for regular groups; seizing groups use ").append(config.asmPolicy()).append('\n');
        } else {
            out.append("Balancing: off (no sip-cluster-lb-mode): every request of every group dials on the prime node ")
                    .append(prime).append('\n');
        }
        out.append("Prime node: ").append(prime).append(" (").append(config.topology().node(config.topology().primeIndex()).name())
                .append(") carries all DN-level events; while it is down all dialing is held\n\n");
        out.append("Nodes, in round-robin order:\n");
        for (NodeSpec node : config.topology().nodes()) {
            out.append(String.format(Locale.ROOT, "  %-6s %-22s primary %-32s backup %s%s%n", node.id(), node.name(),
                    node.primary(), node.backup().map(Object::toString).orElse("(none)"),
                    node.id().equals(prime) ? "   [prime]" : ""));
        }
        out.append("\nCampaign groups:\n");
        if (config.campaignGroups().isEmpty()) {
            out.append("  (none configured)\n");
        }
        for (CampaignGroup group : config.campaignGroups()) {
            out.append(String.format(Locale.ROOT, "  %-22s %-20s %s%n", group.name(), group.mode().configName(), routing(group, config)));
        }
        out.append("\nMonitored DNs (registered on the prime's serving link): ")
                .append(config.monitoredDns().isEmpty() ? "(none)" : String.join(", ", config.monitoredDns())).append('\n');
        out.append(String.format(Locale.ROOT, "Timeouts: reconnect %s, request %s, connect %s; addp %s, remote %s, trace %s%n",
                seconds(config.reconnectTimeout()), seconds(config.requestTimeout()), seconds(config.connectTimeout()),
                config.addpTimeout().isZero() ? "off" : seconds(config.addpTimeout()), seconds(config.addpRemoteTimeout()),
                config.addpTrace().name().toLowerCase(Locale.ROOT)));
        out.append("Transport: ").append(config.transport()).append("; node registry: ").append(config.nodeRegistry()).append('\n');
        return out.toString();
    }

    private static String routing(CampaignGroup group, BalancerConfig config) {
        NodeId prime = config.topology().prime();
        if (!config.balancingEnabled()) {
            return "on the prime " + prime + " (no balancing)";
        }
        if (!group.mode().isSeizing()) {
            return "round-robin over the active nodes";
        }
        if (group.asmDialNode().isEmpty()) {
            return "dialer node " + prime + " = the prime: agent group " + group.agentGroup() + " sets no sip-cluster-asm-dial-node";
        }
        NodeId dialer = group.asmDialNode().get();
        if (!config.topology().contains(dialer)) {
            return "dialer node " + prime + " = the prime: sip-cluster-asm-dial-node = " + dialer + " (agent group "
                    + group.agentGroup() + ") names no configured node";
        }
        return "dialer node " + dialer + " (sip-cluster-asm-dial-node of agent group " + group.agentGroup() + ")";
    }

    private static String seconds(java.time.Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
