package org.dialbalance.coordination.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DidYouMean;
import org.dialbalance.api.coordination.CoordinationSettings;

/**
 * The options of {@code coordination-options.zookeeper}, each checked with a problem that names it.
 *
 * @param connectString     ZooKeeper's {@code host:port[,host:port...]}, as a ZooKeeper client takes it
 * @param namespace         the znode under which this cluster's dialers coordinate (Curator's namespace)
 * @param sessionTimeout    how long ZooKeeper keeps a silent dialer's session, so its groups, before it hands them on
 * @param connectionTimeout how long one connection attempt to ZooKeeper may take
 * @param dialerId          how this dialer is known to the others; unique among the dialers of one namespace
 * @param preferredGroups   the campaign groups this dialer takes whenever it is up (empty: no preference)
 * @param sharedConfig      whether this dialer follows the cluster configuration in the znode {@code <namespace>/config}
 */
record ZooKeeperOptions(String connectString, String namespace, Duration sessionTimeout, Duration connectionTimeout,
                        String dialerId, List<String> preferredGroups, boolean sharedConfig) {

    static final String PREFIX = "coordination-options.zookeeper.";
    static final List<String> KNOWN = List.of("connect-string", "namespace", "session-timeout", "connection-timeout",
            "dialer-id", "preferred-groups", "shared-config");
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    static final String DEFAULT_NAMESPACE = "dialbalance";

    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-]+:[0-9]{1,5}|\\[[0-9A-Fa-f:.]+\\]:[0-9]{1,5}");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*");
    private static final Pattern DIALER_ID = Pattern.compile("[A-Za-z0-9._@\\-]{1,128}");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|milliseconds|s|seconds|m|minutes)?");

    static ConfigResult<ZooKeeperOptions> parse(CoordinationSettings settings) {
        Map<String, String> options = settings.options();
        List<ConfigProblem> problems = new ArrayList<>();
        options.keySet().stream().filter(key -> !KNOWN.contains(key)).sorted().forEach(key -> problems.add(new ConfigProblem(
                PREFIX + key, options.get(key), "one of the zookeeper options" + DidYouMean.hint(key, KNOWN) + ": "
                        + String.join(", ", KNOWN))));
        String connect = options.get("connect-string");
        if (connect == null) {
            problems.add(new ConfigProblem(PREFIX + "connect-string", "(missing)",
                    "ZooKeeper's servers as host:port, separated by commas, e.g. \"zk1:2181,zk2:2181,zk3:2181\""));
        } else if (!validConnectString(connect)) {
            problems.add(new ConfigProblem(PREFIX + "connect-string", shown(connect),
                    "ZooKeeper's servers as host:port (port 1 to 65535), separated by commas, without spaces or a chroot"
                            + " (use namespace), e.g. \"zk1:2181,zk2:2181,zk3:2181\""));
        }
        String namespace = options.getOrDefault("namespace", DEFAULT_NAMESPACE);
        if (!NAMESPACE.matcher(namespace).matches() || namespace.length() > 255) {
            problems.add(new ConfigProblem(PREFIX + "namespace", shown(namespace), "a znode path without leading or trailing '/':"
                    + " letters, digits, '-' and '_' in parts separated by '/', at most 255 characters, e.g. dialbalance/site-a"));
        }
        Duration session = duration(options, "session-timeout", DEFAULT_SESSION_TIMEOUT, Duration.ofSeconds(1),
                Duration.ofMinutes(10), "1 s to 10 minutes", problems);
        Duration connection = duration(options, "connection-timeout", DEFAULT_CONNECTION_TIMEOUT, Duration.ofMillis(100),
                Duration.ofMinutes(10), "100 ms to 10 minutes", problems);
        String dialerId = options.getOrDefault("dialer-id", settings.applicationName() + "-" + ProcessHandle.current().pid());
        if (!DIALER_ID.matcher(dialerId).matches()) {
            problems.add(new ConfigProblem(PREFIX + "dialer-id", shown(dialerId), "1 to 128 letters, digits, '.', '_', '@'"
                    + " or '-', unique among the dialers that share the namespace"));
        }
        List<String> preferred = List.of();
        if (options.containsKey("preferred-groups")) {
            preferred = stringList(options.get("preferred-groups"));
            if (preferred == null) {
                problems.add(new ConfigProblem(PREFIX + "preferred-groups", shown(options.get("preferred-groups")),
                        "a list of campaign group names, e.g. [\"Sales\", \"Retention\"]"));
                preferred = List.of();
            } else {
                for (String group : preferred) {
                    if (!settings.campaignGroups().contains(group)) {
                        problems.add(new ConfigProblem(PREFIX + "preferred-groups", shown(group), "the name of a configured"
                                + " campaign group" + DidYouMean.hint(group, settings.campaignGroups()) + "; configured: "
                                + (settings.campaignGroups().isEmpty() ? "none" : String.join(", ", settings.campaignGroups()))));
                    }
                }
            }
        }
        String shared = options.getOrDefault("shared-config", "false");
        if (!shared.equals("true") && !shared.equals("false")) {
            problems.add(new ConfigProblem(PREFIX + "shared-config", shown(shared), "true or false: whether this dialer follows"
                    + " the cluster configuration in the znode <namespace>/config"));
        }
        if (!problems.isEmpty()) {
            return new ConfigResult.Invalid<>(problems);
        }
        return ConfigResult.valid(new ZooKeeperOptions(connect, namespace, session, connection, dialerId, preferred,
                shared.equals("true")));
    }

    private static boolean validConnectString(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (String server : text.split(",", -1)) {
            if (!HOST_PORT.matcher(server).matches()) {
                return false;
            }
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            if (port < 1 || port > 65_535) {
                return false;
            }
        }
        return true;
    }

    private static Duration duration(Map<String, String> options, String key, Duration fallback, Duration min, Duration max,
                                     String range, List<ConfigProblem> problems) {
        String text = options.get(key);
        if (text == null) {
            return fallback;
        }
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        Duration value = null;
        if (matcher.matches()) {
            double number = Double.parseDouble(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            double millis = switch (unit) {
                case "ms", "milliseconds" -> number;
                case "m", "minutes" -> number * 60_000;
                default -> number * 1000;
            };
            if (millis <= Long.MAX_VALUE / 2) {
                value = Duration.ofMillis(Math.round(millis));
            }
        }
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(new ConfigProblem(PREFIX + key, shown(text), "a duration from " + range
                    + ": a number of seconds (e.g. 10) or a number with a unit (e.g. \"500 ms\")"));
            return fallback;
        }
        return value;
    }

    /** A JSON list of strings as the configuration reader renders a list (["a","b"]); null if it is not one. */
    private static List<String> stringList(String text) {
        String trimmed = text.trim();
        if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) {
            return null;
        }
        String body = trimmed.substring(1, trimmed.length() - 1).trim();
        List<String> values = new ArrayList<>();
        if (body.isEmpty()) {
            return values;
        }
        for (String part : body.split(",", -1)) {
            String item = part.trim();
            if (item.length() < 2 || !item.startsWith("\"") || !item.endsWith("\"") || item.substring(1, item.length() - 1).contains("\"")
                    || item.contains("\\")) {
                return null;
            }
            values.add(item.substring(1, item.length() - 1));
        }
        return values;
    }

    private static String shown(String value) {
        return value.isEmpty() || value.charAt(0) <= ' ' || value.charAt(value.length() - 1) <= ' ' ? "\"" + value + "\"" : value;
    }
}
