package org.dialbalance.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;

/**
 * One line of a fault script: at a point of the workload (a percentage of the requests issued), do
 * something to one node's server applications.
 *
 * <pre>
 *   at 20%: kill 102 primary        close the listener and every connection
 *   at 35%: restart 102 both        listen again on the same port
 *   at 50%: blackhole 103 primary   stop reading and answering, keep-alives included
 *   at 55%: heal 103 primary        end a blackhole
 *   at 60%: reject 104              answer every request with EventError
 *   at 70%: accept 104              answer normally again
 *   at 80%: latency 101 both 20ms   delay every reply
 *   at 40%: drain 103               operator action: no new request to 103; what is in progress finishes
 *   at 60%: enable 103              operator action: 103 back in the rotation from the next round
 *   at 50%: reload moved.conf       operator action: reconfigure the running balancer from this file
 *   at 40%: kill-dialer owner-of Sales   several dialers: crash the dialer that owns Sales now
 *   at 40%: kill-dialer 2           several dialers: crash the second dialer of scenario.dialers
 * </pre>
 * The role defaults to {@code both}; drain and enable take none (they act on the balancer, not on a server).
 * {@code reload} takes a file instead of a node: a {@code dialbalance { ... }} block as in a scenario, whose
 * {@code nodes}, if given, lists which of the scenario's simulated nodes (DBIDs) the new configuration has. A
 * relative file is resolved by {@link Scenario} against the scenario file's directory. {@code kill-dialer} takes a
 * dialer instead of a node (a scenario with several dialers only; see {@link DialersRunner} for what a crash is).
 *
 * @param atPercent when: after this share of the requests has been issued, 0 to 100
 * @param action    what
 * @param node      to which node; {@code null} for {@link Action#RELOAD}, which acts on the whole configuration, and for
 *                  {@link Action#KILL_DIALER}
 * @param roles     which of its applications (empty for a reload)
 * @param latency   the delay, for {@link Action#LATENCY}; zero otherwise
 * @param file      the configuration file of a {@link Action#RELOAD}; {@code null} for every other action
 * @param text      the line as written
 * @param dialer    the dialer of a {@link Action#KILL_DIALER}: its number in {@code scenario.dialers} (from 1) or
 *                  {@code owner-of <group>}; {@code null} for every other action
 */
public record Fault(double atPercent, Action action, NodeId node, List<LinkRole> roles, Duration latency, Path file,
                    String text, String dialer) {

    /** What a fault does. */
    public enum Action {
        /** Close the application's listener and connections. */
        KILL,
        /** Listen again on the same port. */
        RESTART,
        /** Stop reading and answering, keep-alives included. */
        BLACKHOLE,
        /** End a blackhole. */
        HEAL,
        /** Answer every request with EventError. */
        REJECT,
        /** Answer requests normally again. */
        ACCEPT,
        /** Delay every reply. */
        LATENCY,
        /** An operator action on the balancer, not a fault of the cluster: {@code DialBalancer.drain(node)}. */
        DRAIN,
        /** An operator action on the balancer: {@code DialBalancer.enable(node)}, ending a drain. */
        ENABLE,
        /** An operator action on the balancer: {@code DialBalancer.reconfigure(file)}, a reload without a restart. */
        RELOAD,
        /** Several dialers: one dialer crashes (its ZooKeeper session is left to expire). */
        KILL_DIALER;

        /** Whether this acts on a balancer (drain, enable, reload, kill-dialer) rather than on the cluster's server applications. */
        public boolean onBalancer() {
            return this == DRAIN || this == ENABLE || this == RELOAD || this == KILL_DIALER;
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "at\\s+(\\d+(?:\\.\\d+)?)\\s*%\\s*:\\s*(\\w+)\\s+(\\d+)(?:\\s+(primary|backup|both))?(?:\\s+(\\d+)\\s*ms)?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KILL_DIALER_LINE = Pattern.compile(
            "at\\s+(\\d+(?:\\.\\d+)?)\\s*%\\s*:\\s*kill-dialer\\s+(\\d+|owner-of\\s+\\S+)\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern RELOAD_LINE = Pattern.compile("at\\s+(\\d+(?:\\.\\d+)?)\\s*%\\s*:\\s*reload\\s+(\\S+)\\s*",
            Pattern.CASE_INSENSITIVE);

    /** A line that is not a kill-dialer. */
    public Fault(double atPercent, Action action, NodeId node, List<LinkRole> roles, Duration latency, Path file, String text) {
        this(atPercent, action, node, roles, latency, file, text, null);
    }

    /** Requires every field; a node for every action but a reload or kill-dialer, a file for a reload only, a dialer for a kill-dialer only. */
    public Fault {
        Objects.requireNonNull(action, "action");
        boolean nodeless = action == Action.RELOAD || action == Action.KILL_DIALER;
        if (nodeless != (node == null) || (action == Action.RELOAD) != (file != null) || (action == Action.KILL_DIALER) != (dialer != null)) {
            throw new IllegalArgumentException(action + ": expected " + (action == Action.RELOAD ? "a file and no node"
                    : action == Action.KILL_DIALER ? "a dialer, no node and no file" : "a node and no file"));
        }
        roles = List.copyOf(roles);
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(text, "text");
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException naming the line and what a line looks like
     */
    public static Fault parse(String line) {
        Matcher killDialer = KILL_DIALER_LINE.matcher(line.trim());
        if (killDialer.matches()) {
            return new Fault(percent(line, killDialer.group(1)), Action.KILL_DIALER, null, List.of(), Duration.ZERO, null, line.trim(),
                    killDialer.group(2).replaceAll("\\s+", " "));
        }
        Matcher reload = RELOAD_LINE.matcher(line.trim());
        if (reload.matches()) {
            return new Fault(percent(line, reload.group(1)), Action.RELOAD, null, List.of(), Duration.ZERO,
                    Path.of(reload.group(2)), line.trim());
        }
        Matcher matcher = LINE.matcher(line.trim());
        String usage = "expected 'at <percent>%: <kill|restart|blackhole|heal|reject|accept|latency|drain|enable> <dbid>"
                + " [primary|backup|both] [<n>ms]', 'at <percent>%: reload <file>' or 'at <percent>%: kill-dialer <n|owner-of"
                + " group>', e.g. 'at 20%: kill 102 primary', 'at 40%: drain 103', 'at 50%: reload new.conf' or"
                + " 'at 40%: kill-dialer owner-of Sales'";
        if (!matcher.matches()) {
            throw new IllegalArgumentException("fault '" + line + "': " + usage);
        }
        double percent = percent(line, matcher.group(1));
        Action action;
        try {
            action = Action.valueOf(matcher.group(2).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + line + "': unknown action '" + matcher.group(2) + "'; " + usage, e);
        }
        if (action == Action.KILL_DIALER) {
            throw new IllegalArgumentException("fault '" + line + "': kill-dialer takes a dialer, not a node: its number in"
                    + " scenario.dialers or 'owner-of <group>', e.g. 'at 40%: kill-dialer owner-of Sales'");
        }
        if (action == Action.RELOAD) {
            throw new IllegalArgumentException("fault '" + line + "': reload takes a configuration file, not a node,"
                    + " e.g. 'at 50%: reload new.conf'");
        }
        if (action.onBalancer() && (matcher.group(4) != null || matcher.group(5) != null)) {
            throw new IllegalArgumentException("fault '" + line + "': " + action.name().toLowerCase(Locale.ROOT)
                    + " acts on the balancer and takes only a node, e.g. 'at 40%: drain 103'");
        }
        String role = matcher.group(4) == null ? "both" : matcher.group(4).toLowerCase(Locale.ROOT);
        List<LinkRole> roles = switch (role) {
            case "primary" -> List.of(LinkRole.PRIMARY);
            case "backup" -> List.of(LinkRole.BACKUP);
            default -> List.of(LinkRole.PRIMARY, LinkRole.BACKUP);
        };
        Duration latency = matcher.group(5) == null ? Duration.ZERO : Duration.ofMillis(Long.parseLong(matcher.group(5)));
        if (action == Action.LATENCY && latency.isZero()) {
            throw new IllegalArgumentException("fault '" + line + "': latency needs a delay, e.g. 'at 10%: latency 101 both 20ms'");
        }
        return new Fault(percent, action, NodeId.of(Integer.parseInt(matcher.group(3))), roles, latency, null, line.trim());
    }

    private static double percent(String line, String text) {
        double percent = Double.parseDouble(text);
        if (percent > 100) {
            throw new IllegalArgumentException("fault '" + line + "': the percentage must be from 0 to 100");
        }
        return percent;
    }

    /** A copy whose reload file is this one (a relative file resolved against the scenario's directory). */
    public Fault withFile(Path resolved) {
        return new Fault(atPercent, action, node, roles, latency, Objects.requireNonNull(resolved, "resolved"), text, dialer);
    }

    /** The request index at which this fault fires, for a workload of {@code total} requests. */
    public long atRequest(long total) {
        return Math.round(total * atPercent / 100.0);
    }

    /** A short description of the state it leaves, for the progress line, e.g. {@code 102 primary killed}. */
    public String stateText() {
        return switch (action) {
            case KILL -> who() + " killed";
            case RESTART -> who() + " restarted";
            case BLACKHOLE -> who() + " blackholed";
            case HEAL -> who() + " healed";
            case REJECT -> who() + " rejecting";
            case ACCEPT -> who() + " accepting";
            case LATENCY -> who() + " +" + latency.toMillis() + "ms";
            case DRAIN -> node + " draining";
            case ENABLE -> node + " enabled";
            case RELOAD -> "reloaded " + file.getFileName();
            case KILL_DIALER -> (dialer.startsWith("owner-of") ? "the " + dialer.replace("owner-of", "owner of") : "dialer " + dialer)
                    + " killed";
        };
    }

    private String who() {
        return node + (roles.size() == 2 ? "" : " " + roles.get(0).name().toLowerCase(Locale.ROOT));
    }
}
