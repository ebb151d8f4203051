package org.dialbalance.simulator;

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
 * </pre>
 * The role defaults to {@code both}; drain and enable take none (they act on the balancer, not on a server).
 *
 * @param atPercent when: after this share of the requests has been issued, 0 to 100
 * @param action    what
 * @param node      to which node
 * @param roles     which of its applications
 * @param latency   the delay, for {@link Action#LATENCY}; zero otherwise
 * @param text      the line as written
 */
public record Fault(double atPercent, Action action, NodeId node, List<LinkRole> roles, Duration latency, String text) {

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
        ENABLE;

        /** Whether this acts on the balancer (drain, enable) rather than on the cluster's server applications. */
        public boolean onBalancer() {
            return this == DRAIN || this == ENABLE;
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "at\\s+(\\d+(?:\\.\\d+)?)\\s*%\\s*:\\s*(\\w+)\\s+(\\d+)(?:\\s+(primary|backup|both))?(?:\\s+(\\d+)\\s*ms)?\\s*",
            Pattern.CASE_INSENSITIVE);

    /** Requires every field. */
    public Fault {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(node, "node");
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
        Matcher matcher = LINE.matcher(line.trim());
        String usage = "expected 'at <percent>%: <kill|restart|blackhole|heal|reject|accept|latency|drain|enable> <dbid>"
                + " [primary|backup|both] [<n>ms]', e.g. 'at 20%: kill 102 primary' or 'at 40%: drain 103'";
        if (!matcher.matches()) {
            throw new IllegalArgumentException("fault '" + line + "': " + usage);
        }
        double percent = Double.parseDouble(matcher.group(1));
        if (percent > 100) {
            throw new IllegalArgumentException("fault '" + line + "': the percentage must be from 0 to 100");
        }
        Action action;
        try {
            action = Action.valueOf(matcher.group(2).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + line + "': unknown action '" + matcher.group(2) + "'; " + usage, e);
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
        return new Fault(percent, action, NodeId.of(Integer.parseInt(matcher.group(3))), roles, latency, line.trim());
    }

    /** The request index at which this fault fires, for a workload of {@code total} requests. */
    public long atRequest(long total) {
        return Math.round(total * atPercent / 100.0);
    }

    /** A short description of the state it leaves, for the progress line, e.g. {@code 102 primary killed}. */
    public String stateText() {
        String who = node + (roles.size() == 2 ? "" : " " + roles.get(0).name().toLowerCase(Locale.ROOT));
        return switch (action) {
            case KILL -> who + " killed";
            case RESTART -> who + " restarted";
            case BLACKHOLE -> who + " blackholed";
            case HEAL -> who + " healed";
            case REJECT -> who + " rejecting";
            case ACCEPT -> who + " accepting";
            case LATENCY -> who + " +" + latency.toMillis() + "ms";
            case DRAIN -> node + " draining";
            case ENABLE -> node + " enabled";
        };
    }
}
