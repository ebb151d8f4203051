package org.dialbalance.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.DidYouMean;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.transport.AddpTrace;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

/**
 * Reads a {@code dialbalance { ... }} HOCON block into a {@link BalancerConfig.Builder}, collecting
 * every problem instead of stopping at the first. Unknown options are problems too, with a suggestion
 * when a known option is spelled almost the same.
 *
 * <p>Durations follow the outbound server: a plain number is seconds ({@code reconnect-timeout = 10});
 * a string may carry a unit ({@code "500 ms"}, {@code "2 s"}).
 */
final class HoconConfigReader {

    static final String ROOT = "dialbalance";

    static final List<String> TOP_LEVEL_OPTIONS = List.of("sip-cluster-lb-mode", "sip-cluster-prime-node",
            "reconnect-timeout", "addp-timeout", "addp-remote-timeout", "addp-trace", "request-timeout",
            "connect-timeout", "max-pending-requests", "max-calls-in-progress", "application-name", "transport", "node-registry", "asm-policy",
            "monitored-dns", "nodes", "agent-groups", "campaign-groups", "policy-options", "transport-options",
            "coordination", "coordination-options");
    private static final List<String> NODE_OPTIONS = List.of("dbid", "name", "primary", "backup", "weight", "max-calls");
    private static final List<String> ENDPOINT_OPTIONS = List.of("host", "port", "port-kind");
    private static final List<String> AGENT_GROUP_OPTIONS = List.of("sip-cluster-asm-dial-node");
    private static final List<String> CAMPAIGN_GROUP_OPTIONS = List.of("name", "agent-group", "dialing-mode");

    /** What a DBID must be, wherever one is read: {@code nodes[].dbid}, the prime node, an agent group's dial node. */
    static final String DBID_EXPECTED = "a DBID: a whole number from 1 to " + Integer.MAX_VALUE + ", such as 101";

    private final BalancerConfig.Builder builder = BalancerConfig.builder();

    private HoconConfigReader() {
    }

    /** The result of reading: the builder filled as far as possible, and its problems. */
    record Result(BalancerConfig.Builder builder, List<ConfigProblem> problems) {
        BalancerConfig orElseThrow() {
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return builder.build();
        }
    }

    /** Reads a file through {@link ConfigFiles}: regular, at most 1 MiB, nested at most 64 levels, no includes. */
    static Result read(Path file) {
        Config root;
        try {
            root = ConfigFiles.parse(file);
        } catch (ConfigException e) {
            return new Result(BalancerConfig.builder(), e.problems());
        }
        return from(root);
    }

    /** Parses text with the limits of a file: at most 1 MiB, nested at most 64 levels, at most 8 substitutions, no includes. */
    static Result parse(String hocon) {
        try {
            return from(parseText(hocon));
        } catch (ConfigException e) {
            return new Result(BalancerConfig.builder(), e.problems());
        }
    }

    /**
     * Parses text into a resolved Typesafe Config with the limits of a file (see {@link #parse}).
     *
     * @throws ConfigException with one problem naming {@code (text)} when the text is too big, too deep or no HOCON
     */
    static Config parseText(String hocon) {
        if (hocon.length() > ConfigFiles.MAX_BYTES) {
            throw new ConfigException(List.of(new ConfigProblem("(text)", "(HOCON)",
                    "at most 1 MiB of text, but it has " + hocon.length() + " characters")));
        }
        String overLimit = ConfigFiles.overLimit(hocon);
        if (overLimit != null) {
            throw new ConfigException(List.of(new ConfigProblem("(text)", "(HOCON)", overLimit)));
        }
        try {
            return ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setIncluder(ConfigFiles.noIncludes())).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(new ConfigProblem("(text)", "(HOCON)", "valid HOCON (" + ConfigFiles.parserMessage(e) + ")")));
        }
    }

    static Result from(Config root) {
        if (!root.hasPath(ROOT)) {
            return failure(new ConfigProblem(ROOT, "(missing)", "a top-level 'dialbalance { ... }' block"));
        }
        if (root.getValue(ROOT).valueType() != ConfigValueType.OBJECT) {
            return failure(new ConfigProblem(ROOT, root.getValue(ROOT).render(com.typesafe.config.ConfigRenderOptions.concise()),
                    "an object: a top-level 'dialbalance { ... }' block, not a " + typeName(root.getValue(ROOT))));
        }
        HoconConfigReader reader = new HoconConfigReader();
        reader.readRoot(root.getObject(ROOT));
        return new Result(reader.builder, reader.builder.problems());
    }

    private static String typeName(ConfigValue value) {
        return value.valueType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Result failure(ConfigProblem problem) {
        return new Result(BalancerConfig.builder(), List.of(problem));
    }

    private void readRoot(ConfigObject object) {
        unknownKeys("", object, TOP_LEVEL_OPTIONS);
        string(object, "sip-cluster-lb-mode", "").ifPresent(builder::lbMode);
        if (object.containsKey("sip-cluster-prime-node")) {
            dbid(object.get("sip-cluster-prime-node"), "sip-cluster-prime-node").ifPresent(builder::primeNode);
        } else {
            builder.problem(new ConfigProblem("sip-cluster-prime-node", "(missing)",
                    "the DBID of the primary server application of the prime node"));
        }
        duration(object, BalancerConfig.RECONNECT_RANGE).ifPresent(builder::reconnectTimeout);
        duration(object, BalancerConfig.ADDP_RANGE).ifPresent(builder::addpTimeout);
        duration(object, BalancerConfig.ADDP_REMOTE_RANGE).ifPresent(builder::addpRemoteTimeout);
        duration(object, BalancerConfig.REQUEST_RANGE).ifPresent(builder::requestTimeout);
        duration(object, BalancerConfig.CONNECT_RANGE).ifPresent(builder::connectTimeout);
        string(object, "addp-trace", "").ifPresent(value -> AddpTrace.parse(value).ifPresentOrElse(builder::addpTrace,
                () -> builder.problem(new ConfigProblem("addp-trace", shown(object.get("addp-trace")), "one of " + AddpTrace.ACCEPTED))));
        integer(object.get("max-pending-requests"), "max-pending-requests",
                "a number of requests from 1 to " + BalancerConfig.MAX_PENDING_LIMIT).ifPresent(builder::maxPendingRequests);
        integer(object.get("max-calls-in-progress"), "max-calls-in-progress",
                "a number of calls from 1 to " + BalancerConfig.MAX_CALLS_IN_PROGRESS_LIMIT).ifPresent(builder::maxCallsInProgress);
        string(object, "application-name", "").ifPresent(builder::applicationName);
        string(object, "transport", "").ifPresent(builder::transport);
        string(object, "node-registry", "").ifPresent(builder::nodeRegistry);
        string(object, "asm-policy", "").ifPresent(builder::asmPolicy);
        readMonitoredDns(object.get("monitored-dns"));
        readNodes(object.get("nodes"));
        Map<String, Optional<NodeId>> agentGroups = readAgentGroups(object.get("agent-groups"));
        readCampaignGroups(object.get("campaign-groups"), agentGroups);
        readOptionBlocks(object.get("policy-options"), "policy-options")
                .forEach((policy, options) -> options.forEach((key, value) -> builder.policyOption(policy, key, value)));
        readOptionBlocks(object.get("transport-options"), "transport-options")
                .forEach((transport, options) -> options.forEach((key, value) -> builder.transportOption(transport, key, value)));
        string(object, "coordination", "").ifPresent(builder::coordination);
        readOptionBlocks(object.get("coordination-options"), "coordination-options").forEach((coordinator, options) ->
                options.forEach((key, value) -> builder.coordinationOption(coordinator, key, value)));
    }

    private void readMonitoredDns(ConfigValue value) {
        if (value == null) {
            return;
        }
        if (value.valueType() != ConfigValueType.LIST) {
            problem("monitored-dns", value, "a list of DNs, e.g. [\"7001\", \"7002\"]");
            return;
        }
        ConfigList list = (ConfigList) value;
        for (int i = 0; i < list.size(); i++) {
            scalar(list.get(i), "monitored-dns[" + i + "]", "a DN").ifPresent(builder::monitorDn);
        }
    }

    private void readNodes(ConfigValue value) {
        if (value == null) {
            builder.problem(new ConfigProblem("nodes", "(missing)", "a list of nodes, each with a dbid and a primary endpoint"));
            return;
        }
        if (value.valueType() != ConfigValueType.LIST) {
            problem("nodes", value, "a list of nodes, each { dbid = ..., primary { host, port, port-kind } }");
            return;
        }
        ConfigList list = (ConfigList) value;
        if (list.isEmpty()) {
            builder.problem(new ConfigProblem("nodes", "[]", "at least one node"));
        }
        for (int i = 0; i < list.size(); i++) {
            String path = "nodes[" + i + "]";
            ConfigValue element = list.get(i);
            if (element.valueType() != ConfigValueType.OBJECT) {
                problem(path, element, "a node { dbid = ..., primary { ... } }");
                continue;
            }
            ConfigObject node = (ConfigObject) element;
            unknownKeys(path + ".", node, NODE_OPTIONS);
            Optional<NodeId> id = node.containsKey("dbid")
                    ? dbid(node.get("dbid"), path + ".dbid")
                    : missing(path + ".dbid", "the DBID of the node's primary server application");
            final int position = i;
            id.ifPresent(dbid -> builder.declaredNode(position, dbid));
            if (node.containsKey("weight")) {
                Optional<Integer> weight = integer(node.get("weight"), path + ".weight",
                        "a weight from 1 to " + org.dialbalance.api.policy.NodeOptions.MAX_WEIGHT);
                id.ifPresent(dbid -> weight.ifPresent(number -> builder.nodeWeight(dbid, number)));
            }
            if (node.containsKey("max-calls")) {
                Optional<Integer> maxCalls = integer(node.get("max-calls"), path + ".max-calls",
                        "a number of calls from 1 to max-calls-in-progress");
                id.ifPresent(dbid -> maxCalls.ifPresent(number -> builder.nodeMaxCalls(dbid, number)));
            }
            Optional<String> name = text(node, "name", path + ".", "a node name");
            Optional<Endpoint> primary = node.containsKey("primary")
                    ? endpoint(node.get("primary"), path + ".primary")
                    : missing(path + ".primary", "the primary server's endpoint { host, port, port-kind }");
            Optional<Endpoint> backup = node.containsKey("backup") ? endpoint(node.get("backup"), path + ".backup") : Optional.empty();
            boolean backupBroken = node.containsKey("backup") && backup.isEmpty();
            boolean nameBroken = node.containsKey("name") && name.isEmpty();
            if (id.isPresent() && primary.isPresent() && !backupBroken && !nameBroken) {
                String nodeName = name.filter(text -> !text.isBlank()).orElse("node-" + id.get());
                builder.node(position, new NodeSpec(id.get(), nodeName, primary.get(), backup));
            }
        }
    }

    private Optional<Endpoint> endpoint(ConfigValue value, String path) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            problem(path, value, "an endpoint { host = ..., port = ..., port-kind = TCport|SmartProxy }");
            return Optional.empty();
        }
        ConfigObject object = (ConfigObject) value;
        unknownKeys(path + ".", object, ENDPOINT_OPTIONS);
        Optional<String> host = object.containsKey("host")
                ? scalar(object.get("host"), path + ".host", "a host name or address")
                : missing(path + ".host", "a host name or address");
        if (host.isPresent() && host.get().isBlank()) {
            builder.problem(new ConfigProblem(path + ".host", shown(object.get("host")), "a host name or address"));
            host = Optional.empty();
        } else if (host.isPresent()) {
            Optional<String> hostProblem = BalancerConfig.Builder.hostProblem(host.get());
            if (hostProblem.isPresent()) {    // here, not only once the node is built: also a node with other problems has its host checked
                builder.problem(new ConfigProblem(path + ".host", shown(object.get("host")), hostProblem.get()));
                host = Optional.empty();
            }
        }
        Optional<Integer> port = object.containsKey("port")
                ? integer(object.get("port"), path + ".port", "a TCP port from 1 to 65535")
                : missing(path + ".port", "a TCP port from 1 to 65535");
        if (port.isPresent() && (port.get() < 1 || port.get() > 65_535)) {
            builder.problem(new ConfigProblem(path + ".port", shown(object.get("port")), "a TCP port from 1 to 65535"));
            port = Optional.empty();
        }
        Optional<PortKind> kind = Optional.of(PortKind.TC_PORT);
        if (object.containsKey("port-kind")) {
            Optional<String> text = scalar(object.get("port-kind"), path + ".port-kind", "TCport or SmartProxy");
            kind = text.flatMap(PortKind::fromConfigName);
            if (text.isPresent() && kind.isEmpty()) {
                builder.problem(new ConfigProblem(path + ".port-kind", shown(object.get("port-kind")), "TCport or SmartProxy"));
            }
        }
        if (host.isPresent() && port.isPresent() && kind.isPresent()) {
            return Optional.of(new Endpoint(host.get(), port.get(), kind.get()));
        }
        return Optional.empty();
    }

    private Map<String, Optional<NodeId>> readAgentGroups(ConfigValue value) {
        Map<String, Optional<NodeId>> groups = new LinkedHashMap<>();
        if (value == null) {
            return groups;
        }
        if (value.valueType() != ConfigValueType.OBJECT) {
            problem("agent-groups", value, "an object of agent groups, e.g. { AG_Sales { sip-cluster-asm-dial-node = 102 } }");
            return groups;
        }
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
            String path = "agent-groups." + entry.getKey();
            if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
                problem(path, entry.getValue(), "an agent group { sip-cluster-asm-dial-node = <DBID> }");
                continue;
            }
            ConfigObject group = (ConfigObject) entry.getValue();
            unknownKeys(path + ".", group, AGENT_GROUP_OPTIONS);
            ConfigValue dialNode = group.get("sip-cluster-asm-dial-node");
            Optional<NodeId> node = dialNode == null || isBlank(dialNode)
                    ? Optional.empty()
                    : dbid(dialNode, path + ".sip-cluster-asm-dial-node");
            groups.put(entry.getKey(), node);
        }
        return groups;
    }

    private void readCampaignGroups(ConfigValue value, Map<String, Optional<NodeId>> agentGroups) {
        if (value == null) {
            return;
        }
        if (value.valueType() != ConfigValueType.LIST) {
            problem("campaign-groups", value, "a list of { name, agent-group, dialing-mode }");
            return;
        }
        ConfigList list = (ConfigList) value;
        for (int i = 0; i < list.size(); i++) {
            String path = "campaign-groups[" + i + "]";
            if (list.get(i).valueType() != ConfigValueType.OBJECT) {
                problem(path, list.get(i), "a campaign group { name, agent-group, dialing-mode }");
                continue;
            }
            ConfigObject group = (ConfigObject) list.get(i);
            unknownKeys(path + ".", group, CAMPAIGN_GROUP_OPTIONS);
            Optional<String> name = required(group, "name", path, "the campaign group's name")
                    .filter(text -> printable(path + ".name", text, "a campaign group name"));
            Optional<String> agentGroup = required(group, "agent-group", path, "the agent group the campaign runs on")
                    .filter(text -> printable(path + ".agent-group", text, "an agent group name"));
            Optional<String> modeText = required(group, "dialing-mode", path, "a dialing mode");
            Optional<DialingMode> mode = modeText.flatMap(DialingMode::fromConfigName);
            if (modeText.isPresent() && mode.isEmpty()) {
                builder.problem(new ConfigProblem(path + ".dialing-mode", shown(group.get("dialing-mode")), "one of " + modeNames()));
            }
            if (name.isPresent() && agentGroup.isPresent() && mode.isPresent()) {
                Optional<NodeId> dialNode = agentGroups.getOrDefault(agentGroup.get(), Optional.empty());
                builder.campaignGroup(i, new CampaignGroup(name.get(), mode.get(), agentGroup.get(), dialNode));
            }
        }
    }

    private Map<String, Map<String, String>> readOptionBlocks(ConfigValue value, String option) {
        Map<String, Map<String, String>> blocks = new LinkedHashMap<>();
        if (value == null) {
            return blocks;
        }
        if (value.valueType() != ConfigValueType.OBJECT) {
            problem(option, value, "an object of option blocks by plugin name");
            return blocks;
        }
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
            String path = option + "." + entry.getKey();
            if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
                problem(path, entry.getValue(), "an object of options");
                continue;
            }
            Map<String, String> options = new LinkedHashMap<>();
            flatten("", (ConfigObject) entry.getValue(), options);
            blocks.put(entry.getKey(), options);
        }
        return blocks;
    }

    private static void flatten(String prefix, ConfigObject object, Map<String, String> into) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            if (entry.getValue().valueType() == ConfigValueType.OBJECT) {
                flatten(prefix + entry.getKey() + ".", (ConfigObject) entry.getValue(), into);
            } else {
                ConfigValue value = entry.getValue();    // a scalar as written (1e300, not 1.0E300), a list as JSON
                into.put(prefix + entry.getKey(), value.valueType() == ConfigValueType.LIST || value.valueType() == ConfigValueType.NULL
                        ? value.render(com.typesafe.config.ConfigRenderOptions.concise()) : written(value));
            }
        }
    }

    private Optional<String> required(ConfigObject object, String key, String path, String expected) {
        if (!object.containsKey(key)) {
            return missing(path + "." + key, expected);
        }
        return scalar(object.get(key), path + "." + key, expected).filter(text -> {
            if (text.isBlank()) {
                builder.problem(new ConfigProblem(path + "." + key, shown(object.get(key)), expected));
                return false;
            }
            return true;
        });
    }

    /**
     * Free text (a name) that is checked here, while reading, and not only once its node or group is built: so that
     * also a node or group with other problems has it reported. Blank is accepted here (a blank node name means the
     * default).
     */
    private Optional<String> text(ConfigObject object, String key, String prefix, String what) {
        return string(object, key, prefix).filter(text -> text.isBlank() || printable(prefix + key, text, what));
    }

    /** Whether text is 1 to 255 printable characters; if not, the problem is recorded. */
    private boolean printable(String path, String text, String what) {
        Optional<ConfigProblem> problem = BalancerConfig.Builder.textProblem(path, text, what);
        problem.ifPresent(builder::problem);
        return problem.isEmpty();
    }

    private Optional<String> string(ConfigObject object, String key, String prefix) {
        ConfigValue value = object.get(key);
        return value == null ? Optional.empty() : scalar(value, prefix + key, "a string");
    }

    /**
     * The text of a string, number or boolean: a number as written ({@code 1e300}, not {@code 1.0E300}); a string
     * without the spaces around it, unless it holds a control character, which is kept where it is (also at either
     * end) so that the checks refuse it instead of its being silently cut off.
     */
    private Optional<String> scalar(ConfigValue value, String path, String expected) {
        switch (value.valueType()) {
            case STRING:
                String text = (String) value.unwrapped();
                return Optional.of(hasControl(text) ? text : text.trim());
            case NUMBER:
            case BOOLEAN:
                return Optional.of(written(value));
            default:
                problem(path, value, expected);
                return Optional.empty();
        }
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    /** A scalar's text as the file wrote it: a number's own digits ({@code 1e300}, {@code 0101}), a string unquoted. */
    private static String written(ConfigValue value) {
        return value.valueType() == ConfigValueType.STRING ? (String) value.unwrapped() : value.atKey("v").getString("v");
    }

    /**
     * A value as a problem shows it, as written: a number or a string as such ({@code 1e300}, {@code round-robin}),
     * a string in quotes when it is empty or starts or ends with a space or control character ({@code "  "},
     * <code>"&#92;u0000"</code>), so that the ends show; a list or object as concise JSON.
     */
    static String shown(ConfigValue value) {
        switch (value.valueType()) {
            case STRING:
                String text = (String) value.unwrapped();
                boolean edges = text.isEmpty() || text.charAt(0) <= ' ' || text.charAt(text.length() - 1) <= ' '
                        || Character.isISOControl(text.charAt(0)) || Character.isISOControl(text.charAt(text.length() - 1));
                return edges ? "\"" + text + "\"" : text;
            case NUMBER:
            case BOOLEAN:
                return written(value);
            default:
                return value.render(com.typesafe.config.ConfigRenderOptions.concise());
        }
    }

    private Optional<NodeId> dbid(ConfigValue value, String path) {
        String expected = DBID_EXPECTED;
        return integer(value, path, expected).flatMap(number -> {
            if (number <= 0) {
                builder.problem(new ConfigProblem(path, shown(value), expected));
                return Optional.empty();
            }
            return Optional.of(NodeId.of(number));
        });
    }

    private Optional<Integer> integer(ConfigValue value, String path, String expected) {
        if (value == null) {
            return Optional.empty();
        }
        Optional<String> text = scalar(value, path, expected);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(text.get()));
        } catch (NumberFormatException e) {
            builder.problem(new ConfigProblem(path, shown(value), expected));
            return Optional.empty();
        }
    }

    private Optional<Duration> duration(ConfigObject object, BalancerConfig.DurationRange range) {
        String key = range.option();
        ConfigValue value = object.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String expected = range.expected() + ": a number of seconds (e.g. 10) or a number with a unit (e.g. \"500 ms\")";
        Optional<String> text = scalar(value, key, expected);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        builder.writtenAs(key, shown(value));
        try {
            double seconds = Double.parseDouble(text.get());
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                builder.problem(new ConfigProblem(key, shown(value), expected));
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos(Math.round(seconds * 1_000_000_000d)));    // saturates: range-checked later
        } catch (NumberFormatException notANumber) {
            try {
                return Optional.of(ConfigFactory.parseMap(Map.of("d", text.get())).getDuration("d"));
            } catch (com.typesafe.config.ConfigException | ArithmeticException badUnit) {
                builder.problem(new ConfigProblem(key, shown(value), expected));
                return Optional.empty();
            }
        }
    }

    private <T> Optional<T> missing(String path, String expected) {
        builder.problem(new ConfigProblem(path, "(missing)", expected));
        return Optional.empty();
    }

    private void problem(String path, ConfigValue value, String expected) {
        builder.problem(new ConfigProblem(path, shown(value), expected));
    }

    private static boolean isBlank(ConfigValue value) {
        return value.valueType() == ConfigValueType.STRING && String.valueOf(value.unwrapped()).isBlank();
    }

    private void unknownKeys(String prefix, ConfigObject object, List<String> known) {
        Set<String> keys = object.keySet();
        for (String key : keys) {
            if (!known.contains(key)) {
                builder.problem(new ConfigProblem(prefix + key, shown(object.get(key)),
                        "no such option" + DidYouMean.hint(key, known) + "; known here: " + String.join(", ", known)));
            }
        }
    }

    static String modeNames() {
        List<String> names = new ArrayList<>();
        for (DialingMode mode : DialingMode.values()) {
            names.add(mode.configName());
        }
        return String.join(", ", names);
    }

    /**
     * A duration as people write it in configuration: {@code 1 h}, {@code 10 minutes}, {@code 10 s}, {@code 500 ms},
     * {@code 500 us}; never overflows, whatever the duration.
     */
    static String describe(Duration duration) {
        long seconds = duration.getSeconds();
        if (duration.getNano() == 0) {
            return seconds != 0 && seconds % 3600 == 0 ? (seconds / 3600) + " h"
                    : seconds != 0 && seconds % 60 == 0 ? (seconds / 60) + " minutes" : seconds + " s";
        }
        if (Math.abs(seconds) > 1_000_000_000L) {
            return duration.toString();
        }
        long nanos = duration.toNanos();
        return nanos % 1_000_000 == 0 ? (nanos / 1_000_000) + " ms" : nanos % 1000 == 0 ? (nanos / 1000) + " us" : nanos + " ns";
    }
}
