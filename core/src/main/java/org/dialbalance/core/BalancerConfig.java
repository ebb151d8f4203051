package org.dialbalance.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.transport.AddpTrace;
import org.dialbalance.api.transport.TransportSettings;

/**
 * A validated, immutable balancer configuration: the cluster, the outbound server's options, the
 * campaign groups and which plugins to use.
 *
 * <p>Read one from a HOCON file with {@link #load(Path)} or {@link #parse(String)}, or build one in
 * code with {@link #builder()}. Either way every problem is reported at once in a
 * {@link ConfigException}; a configuration that exists is valid. Plugin names ({@code sip-cluster-lb-mode},
 * {@code transport}, ...) are checked against the plugins found when a {@link DialBalancer} is built.
 */
public final class BalancerConfig {

    /** Default {@code reconnect-timeout}, as the outbound server's. */
    public static final Duration DEFAULT_RECONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@code request-timeout}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@code connect-timeout}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@code max-pending-requests} per link. */
    public static final int DEFAULT_MAX_PENDING = 10_000;
    /** Default {@code application-name}. */
    static final String DEFAULT_APPLICATION_NAME = "dialbalance";
    /** Default transport. */
    public static final String DEFAULT_TRANSPORT = "tserver";
    /** Default node registry. */
    public static final String DEFAULT_NODE_REGISTRY = "in-memory";
    /** Default policy for seizing (ASM) campaign groups. */
    public static final String DEFAULT_ASM_POLICY = "asm-per-group";
    /** Default {@code max-calls-in-progress} per node. */
    public static final int DEFAULT_MAX_CALLS_IN_PROGRESS = 100_000;
    /** Largest {@code max-calls-in-progress}. */
    public static final int MAX_CALLS_IN_PROGRESS_LIMIT = org.dialbalance.api.policy.NodeOptions.MAX_CALLS;
    /** Largest {@code max-pending-requests}. */
    public static final int MAX_PENDING_LIMIT = 1_000_000;
    /** Longest name, DN or {@code application-name}, in characters. */
    public static final int MAX_TEXT_LENGTH = 255;
    /** Longest host name, in characters. */
    public static final int MAX_HOST_LENGTH = 253;

    private static final Duration MS_10 = Duration.ofMillis(10);
    private static final Duration MS_100 = Duration.ofMillis(100);
    private static final Duration HOUR = Duration.ofHours(1);
    static final DurationRange RECONNECT_RANGE = new DurationRange("reconnect-timeout", MS_10, HOUR, false);
    static final DurationRange ADDP_RANGE = new DurationRange("addp-timeout", MS_100, HOUR, true);
    static final DurationRange ADDP_REMOTE_RANGE = new DurationRange("addp-remote-timeout", MS_100, HOUR, true);
    static final DurationRange REQUEST_RANGE = new DurationRange("request-timeout", MS_10, HOUR, false);
    static final DurationRange CONNECT_RANGE = new DurationRange("connect-timeout", MS_10, Duration.ofMinutes(10), false);

    /** The values a duration option accepts: {@code min..max}, and zero (off) when {@code zeroIsOff}. */
    record DurationRange(String option, Duration min, Duration max, boolean zeroIsOff) {
        boolean accepts(Duration value) {
            return (zeroIsOff && value.isZero()) || (value.compareTo(min) >= 0 && value.compareTo(max) <= 0);
        }

        String expected() {
            return (zeroIsOff ? "0 (off) or a duration from " : "a duration from ") + HoconConfigReader.describe(min)
                    + " to " + HoconConfigReader.describe(max);
        }
    }

    private final Optional<String> lbMode;
    private final ClusterTopology topology;
    private final List<CampaignGroup> campaignGroups;
    private final Duration reconnectTimeout;
    private final Duration addpTimeout;
    private final Duration addpRemoteTimeout;
    private final AddpTrace addpTrace;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final int maxPendingRequests;
    private final int maxCallsInProgress;
    private final String applicationName;
    private final String transport;
    private final String nodeRegistry;
    private final String asmPolicy;
    private final Set<String> monitoredDns;
    private final Map<String, Map<String, String>> policyOptions;
    private final Map<String, Map<String, String>> transportOptions;
    private final Optional<String> coordination;
    private final Map<String, Map<String, String>> coordinationOptions;
    private final org.dialbalance.api.policy.NodeOptions[] nodeOptions;

    private BalancerConfig(Builder builder, ClusterTopology topology) {
        this.lbMode = Optional.ofNullable(builder.lbMode);
        this.topology = topology;
        this.campaignGroups = List.copyOf(builder.campaignGroups);
        this.reconnectTimeout = builder.reconnectTimeout;
        this.addpTimeout = builder.addpTimeout;
        this.addpRemoteTimeout = builder.addpRemoteTimeout;
        this.addpTrace = builder.addpTrace;
        this.requestTimeout = builder.requestTimeout;
        this.connectTimeout = builder.connectTimeout;
        this.maxPendingRequests = builder.maxPendingRequests;
        this.maxCallsInProgress = builder.maxCallsInProgress;
        this.applicationName = builder.applicationName;
        this.transport = builder.transport;
        this.nodeRegistry = builder.nodeRegistry;
        this.asmPolicy = builder.asmPolicy;
        this.monitoredDns = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(builder.monitoredDns));
        this.policyOptions = deepCopy(builder.policyOptions);
        this.transportOptions = deepCopy(builder.transportOptions);
        this.coordination = Optional.ofNullable(builder.coordination);
        this.coordinationOptions = deepCopy(builder.coordinationOptions);
        this.nodeOptions = builder.nodeOptionsFor(topology).toArray(new org.dialbalance.api.policy.NodeOptions[0]);
    }

    /** Every node's {@link #nodeOptions(int)}, in configured order. */
    List<org.dialbalance.api.policy.NodeOptions> allNodeOptions() {
        return List.of(nodeOptions);
    }

    /**
     * A node's {@code weight} and {@code max-calls} ({@code nodes[].weight}, {@code nodes[].max-calls}).
     *
     * @param nodeIndex position of the node in configured order
     */
    public org.dialbalance.api.policy.NodeOptions nodeOptions(int nodeIndex) {
        return nodeOptions[nodeIndex];
    }

    /** Reads a HOCON file whose top level holds a {@code dialbalance { ... }} block. */
    public static BalancerConfig load(Path file) {
        return HoconConfigReader.read(file).orElseThrow();
    }

    /** Parses HOCON text whose top level holds a {@code dialbalance { ... }} block. */
    public static BalancerConfig parse(String hocon) {
        return HoconConfigReader.parse(hocon).orElseThrow();
    }

    /**
     * Reads the {@code dialbalance} block of an already-parsed Typesafe Config, for host applications
     * that keep it in their own {@code application.conf}.
     */
    public static BalancerConfig fromConfig(com.typesafe.config.Config root) {
        return HoconConfigReader.from(root).orElseThrow();
    }

    /**
     * Checks the {@code dialbalance} block of a parsed Typesafe Config without building anything.
     *
     * @return every problem found; empty if it is valid
     */
    public static List<ConfigProblem> problems(com.typesafe.config.Config root) {
        return HoconConfigReader.from(root).problems();
    }

    /** Starts a configuration in code. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code sip-cluster-lb-mode}: the policy for regular modes; empty means no balancing (all on the prime). */
    public Optional<String> lbMode() {
        return lbMode;
    }

    /** Whether {@code sip-cluster-lb-mode} turns balancing on. */
    public boolean balancingEnabled() {
        return lbMode.isPresent();
    }

    /** The nodes, in configured order, and {@code sip-cluster-prime-node}. */
    public ClusterTopology topology() {
        return topology;
    }

    /** The campaign groups configured at startup. */
    public List<CampaignGroup> campaignGroups() {
        return campaignGroups;
    }

    /** A configured campaign group by name. */
    public Optional<CampaignGroup> campaignGroup(String name) {
        return campaignGroups.stream().filter(group -> group.name().equals(name)).findFirst();
    }

    /** {@code reconnect-timeout}: how often a lost link is retried. */
    public Duration reconnectTimeout() {
        return reconnectTimeout;
    }

    /** {@code addp-timeout}; zero means keep-alive off. */
    public Duration addpTimeout() {
        return addpTimeout;
    }

    /** {@code addp-remote-timeout}. */
    public Duration addpRemoteTimeout() {
        return addpRemoteTimeout;
    }

    /** {@code addp-trace}. */
    public AddpTrace addpTrace() {
        return addpTrace;
    }

    /** {@code request-timeout}: how long a written request waits for its reply. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** {@code connect-timeout}: how long one connection attempt may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@code max-pending-requests}: written requests awaiting replies, per link. */
    public int maxPendingRequests() {
        return maxPendingRequests;
    }

    /**
     * {@code max-calls-in-progress}: dialed calls a node's count of calls in progress remembers until their
     * EventReleased; past it the oldest is forgotten, with a warning.
     */
    public int maxCallsInProgress() {
        return maxCallsInProgress;
    }

    /** {@code application-name}: how this client introduces itself to servers. */
    public String applicationName() {
        return applicationName;
    }

    /** {@code transport}: the transport provider's name. */
    public String transport() {
        return transport;
    }

    /** {@code node-registry}: the node registry provider's name. */
    public String nodeRegistry() {
        return nodeRegistry;
    }

    /** {@code asm-policy}: the policy for seizing campaign groups. */
    public String asmPolicy() {
        return asmPolicy;
    }

    /** {@code monitored-dns}: DNs registered on the prime node for DN-level events. */
    public Set<String> monitoredDns() {
        return monitoredDns;
    }

    /** {@code policy-options.<name>}: a policy's own options. */
    public Map<String, String> policyOptions(String policyName) {
        return policyOptions.getOrDefault(policyName, Map.of());
    }

    /** {@code transport-options.<name>}: a transport's own options. */
    public Map<String, String> transportOptions(String transportName) {
        return transportOptions.getOrDefault(transportName, Map.of());
    }

    /** All {@code policy-options} blocks, by policy name. */
    public Map<String, Map<String, String>> allPolicyOptions() {
        return policyOptions;
    }

    /** All {@code transport-options} blocks, by transport name. */
    public Map<String, Map<String, String>> allTransportOptions() {
        return transportOptions;
    }

    /**
     * {@code coordination}: the coordinator that decides which campaign groups this dialer owns when several dialers
     * share the cluster; empty (the default) means none: this dialer owns every group.
     */
    public Optional<String> coordination() {
        return coordination;
    }

    /** All {@code coordination-options} blocks, by coordinator name. */
    public Map<String, Map<String, String>> allCoordinationOptions() {
        return coordinationOptions;
    }

    private static Map<String, Map<String, String>> deepCopy(Map<String, Map<String, String>> source) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        source.forEach((key, value) -> copy.put(key, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(value))));    // a stable order, for messages
        return java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Builds a {@link BalancerConfig} in code. Setters accept anything; {@link #build()} checks
     * everything and reports every problem at once.
     */
    public static final class Builder {
        private String lbMode;
        private NodeId primeNode;
        private final List<NodeSpec> nodes = new ArrayList<>();
        private final List<CampaignGroup> campaignGroups = new ArrayList<>();
        private Duration reconnectTimeout = DEFAULT_RECONNECT_TIMEOUT;
        private Duration addpTimeout = Duration.ZERO;
        private Duration addpRemoteTimeout = Duration.ZERO;
        private AddpTrace addpTrace = AddpTrace.OFF;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxPendingRequests = DEFAULT_MAX_PENDING;
        private int maxCallsInProgress = DEFAULT_MAX_CALLS_IN_PROGRESS;
        private String applicationName = DEFAULT_APPLICATION_NAME;
        private String transport = DEFAULT_TRANSPORT;
        private String nodeRegistry = DEFAULT_NODE_REGISTRY;
        private String asmPolicy = DEFAULT_ASM_POLICY;
        private final Set<String> monitoredDns = new LinkedHashSet<>();
        private final Map<String, Map<String, String>> policyOptions = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> transportOptions = new LinkedHashMap<>();
        private String coordination;
        private final Map<String, Map<String, String>> coordinationOptions = new LinkedHashMap<>();
        private final List<ConfigProblem> readProblems = new ArrayList<>();
        private final Map<Integer, NodeId> declaredIds = new LinkedHashMap<>();
        private final List<Integer> nodePositions = new ArrayList<>();
        private final List<Integer> groupPositions = new ArrayList<>();
        private final Map<String, String> writtenAs = new LinkedHashMap<>();
        private final Map<NodeId, Integer> weights = new LinkedHashMap<>();
        private final Map<NodeId, Integer> maxCalls = new LinkedHashMap<>();

        private Builder() {
        }

        /** {@code nodes[].weight} of a node added with {@link #node}: its relative share, 1 to 1000 (default 1). */
        public Builder nodeWeight(NodeId node, int value) {
            weights.put(Objects.requireNonNull(node, "node"), value);
            return this;
        }

        /** {@code nodes[].max-calls} of a node added with {@link #node}: its capacity, 1 to 1000000 (default unlimited). */
        public Builder nodeMaxCalls(NodeId node, int value) {
            maxCalls.put(Objects.requireNonNull(node, "node"), value);
            return this;
        }

        /** {@code sip-cluster-lb-mode}, e.g. {@code round-robin}; {@code null} turns balancing off. */
        public Builder lbMode(String value) {
            this.lbMode = value;
            return this;
        }

        /** {@code sip-cluster-prime-node}. */
        public Builder primeNode(NodeId value) {
            this.primeNode = value;
            return this;
        }

        /** Adds a node; the order of calls is the round-robin order. */
        public Builder node(NodeSpec value) {
            return node(nodes.size(), value);
        }

        /** Adds a node read from position {@code position} of a file's node list, for messages. */
        Builder node(int position, NodeSpec value) {
            nodes.add(Objects.requireNonNull(value, "node"));
            nodePositions.add(position);
            return this;
        }

        /** Adds a campaign group. */
        public Builder campaignGroup(CampaignGroup value) {
            return campaignGroup(campaignGroups.size(), value);
        }

        /** Adds a campaign group read from position {@code position} of a file's list, for messages. */
        Builder campaignGroup(int position, CampaignGroup value) {
            campaignGroups.add(Objects.requireNonNull(value, "campaignGroup"));
            groupPositions.add(position);
            return this;
        }

        /** Records how a file wrote an option's value, so that a problem with it shows it as written. */
        Builder writtenAs(String option, String text) {
            writtenAs.put(option, text);
            return this;
        }

        /** {@code reconnect-timeout}. */
        public Builder reconnectTimeout(Duration value) {
            this.reconnectTimeout = value;
            return this;
        }

        /** {@code addp-timeout}; zero turns keep-alive off. */
        public Builder addpTimeout(Duration value) {
            this.addpTimeout = value;
            return this;
        }

        /** {@code addp-remote-timeout}. */
        public Builder addpRemoteTimeout(Duration value) {
            this.addpRemoteTimeout = value;
            return this;
        }

        /** {@code addp-trace}. */
        public Builder addpTrace(AddpTrace value) {
            this.addpTrace = value;
            return this;
        }

        /** {@code request-timeout}. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /** {@code connect-timeout}. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** {@code max-pending-requests} per link. */
        public Builder maxPendingRequests(int value) {
            this.maxPendingRequests = value;
            return this;
        }

        /** {@code max-calls-in-progress} per node. */
        public Builder maxCallsInProgress(int value) {
            this.maxCallsInProgress = value;
            return this;
        }

        /** {@code application-name}. */
        public Builder applicationName(String value) {
            this.applicationName = value;
            return this;
        }

        /** {@code transport}: the transport provider's name. */
        public Builder transport(String value) {
            this.transport = value;
            return this;
        }

        /** {@code node-registry}: the registry provider's name. */
        public Builder nodeRegistry(String value) {
            this.nodeRegistry = value;
            return this;
        }

        /** {@code asm-policy}: the policy for seizing campaign groups. */
        public Builder asmPolicy(String value) {
            this.asmPolicy = value;
            return this;
        }

        /** Adds a DN to {@code monitored-dns}. */
        public Builder monitorDn(String dn) {
            monitoredDns.add(Objects.requireNonNull(dn, "dn"));
            return this;
        }

        /** Sets one option of a policy ({@code policy-options.<policy>.<key>}). */
        public Builder policyOption(String policy, String key, String value) {
            policyOptions.computeIfAbsent(policy, ignored -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** Sets one option of the configured transport ({@code transport-options.<transport>.<key>}). */
        public Builder transportOption(String key, String value) {
            return transportOption(transport, key, value);
        }

        /** Sets one option of a named transport. */
        public Builder transportOption(String transportName, String key, String value) {
            transportOptions.computeIfAbsent(transportName, ignored -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** {@code coordination}: the coordinator's name; {@code null} (the default) for none. */
        public Builder coordination(String value) {
            this.coordination = value;
            return this;
        }

        /** Sets one option of a coordinator ({@code coordination-options.<coordinator>.<key>}). */
        public Builder coordinationOption(String coordinator, String key, String value) {
            coordinationOptions.computeIfAbsent(coordinator, ignored -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** The coordination problems of this configuration so far (see {@link Coordination#problems}). */
        List<ConfigProblem> coordinationProblems(ClassLoader loader) {
            return Coordination.problems(Optional.ofNullable(coordination), deepCopy(coordinationOptions), List.copyOf(campaignGroups),
                    applicationName != null && textProblem("application-name", applicationName, "").isEmpty()
                            ? applicationName : DEFAULT_APPLICATION_NAME, loader);
        }

        /**
         * What the plugins get from this configuration so far, for checks of a configuration that cannot be built:
         * its plugin names and option blocks; the cluster only when every node of the file was built and the prime
         * is one of them; transport settings with the defaults in place of values that are not valid.
         */
        Plugins.Selection selection() {
            Optional<ClusterTopology> topology = Optional.empty();
            if (primeNode != null && !nodes.isEmpty() && (declaredIds.isEmpty() || declaredIds.size() == nodes.size())) {
                try {
                    topology = Optional.of(new ClusterTopology(nodes, primeNode));
                } catch (IllegalArgumentException duplicateOrNoPrime) {
                    topology = Optional.empty();
                }
            }
            TransportSettings settings = new TransportSettings(
                    applicationName != null && textProblem("application-name", applicationName, "").isEmpty()
                            ? applicationName : DEFAULT_APPLICATION_NAME,
                    valid(CONNECT_RANGE, connectTimeout, DEFAULT_CONNECT_TIMEOUT),
                    valid(REQUEST_RANGE, requestTimeout, DEFAULT_REQUEST_TIMEOUT),
                    valid(ADDP_RANGE, addpTimeout, Duration.ZERO), valid(ADDP_REMOTE_RANGE, addpRemoteTimeout, Duration.ZERO),
                    addpTrace == null ? AddpTrace.OFF : addpTrace,
                    maxPendingRequests >= 1 && maxPendingRequests <= MAX_PENDING_LIMIT ? maxPendingRequests : DEFAULT_MAX_PENDING,
                    transport == null ? Map.of()
                            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(transportOptions.getOrDefault(transport, Map.of()))));
            return new Plugins.Selection(Optional.ofNullable(lbMode), Optional.ofNullable(asmPolicy), Optional.ofNullable(transport),
                    Optional.ofNullable(nodeRegistry), deepCopy(policyOptions), deepCopy(transportOptions),
                    List.copyOf(campaignGroups), topology, topology.map(this::nodeOptionsFor).orElse(List.of()), settings);
        }

        /** Each node's options, in configured order; a value out of range (a problem reported by build) counts as unset. */
        private List<org.dialbalance.api.policy.NodeOptions> nodeOptionsFor(ClusterTopology topology) {
            List<org.dialbalance.api.policy.NodeOptions> all = new ArrayList<>();
            for (NodeSpec spec : topology.nodes()) {
                int weight = weights.getOrDefault(spec.id(), 1);
                int calls = maxCalls.getOrDefault(spec.id(), org.dialbalance.api.policy.NodeOptions.UNLIMITED);
                boolean weightValid = weight >= 1 && weight <= org.dialbalance.api.policy.NodeOptions.MAX_WEIGHT;
                boolean callsValid = calls == org.dialbalance.api.policy.NodeOptions.UNLIMITED
                        || (calls >= 1 && calls <= org.dialbalance.api.policy.NodeOptions.MAX_CALLS);
                all.add(new org.dialbalance.api.policy.NodeOptions(weightValid ? weight : 1,
                        callsValid ? calls : org.dialbalance.api.policy.NodeOptions.UNLIMITED));
            }
            return all;
        }

        private static Duration valid(DurationRange range, Duration value, Duration fallback) {
            return value != null && range.accepts(value) ? value : fallback;
        }

        /** Records a problem found while reading a file, reported by {@link #build()} with the rest. */
        Builder problem(ConfigProblem problem) {
            readProblems.add(problem);
            return this;
        }

        /**
         * Records the DBID a file declares at a position of its node list, whether or not that node could
         * be built, so duplicate and prime checks see every node of the file.
         */
        Builder declaredNode(int position, NodeId id) {
            declaredIds.put(position, id);
            return this;
        }

        /** Every problem: those found while reading and those of the values set. */
        List<ConfigProblem> problems() {
            return problems(true);
        }

        /**
         * The problems, with or without those of the plugin names' form ({@code a provider name: lower case
         * letters...}): without them when the names are checked against the plugins on the class path, which
         * says more (the names that exist, the closest one), so that a value gets one problem, not two.
         */
        List<ConfigProblem> problems(boolean pluginNameForm) {
            List<ConfigProblem> problems = new ArrayList<>(readProblems);
            if (pluginNameForm) {
                requireName(problems, "sip-cluster-lb-mode", lbMode, true);
                requireName(problems, "transport", transport, false);
                requireName(problems, "node-registry", nodeRegistry, false);
                requireName(problems, "asm-policy", asmPolicy, false);
                requireName(problems, "coordination", coordination, true);
            }
            if (nodes.isEmpty() && declaredIds.isEmpty() && readProblems.stream().noneMatch(p -> p.option().startsWith("nodes"))) {
                problems.add(new ConfigProblem("nodes", "(none)", "at least one node with a primary endpoint"));
            }
            Map<Integer, NodeId> ids = new LinkedHashMap<>(declaredIds);
            if (ids.isEmpty()) {
                for (int i = 0; i < nodes.size(); i++) {
                    ids.put(i, nodes.get(i).id());
                }
            }
            Set<NodeId> known = new LinkedHashSet<>();
            ids.forEach((position, id) -> {
                if (!known.add(id)) {
                    problems.add(new ConfigProblem("nodes[" + position + "].dbid", id.toString(),
                            "a DBID not used by another node (DBIDs must be unique)"));
                }
            });
            if (primeNode == null) {
                if (readProblems.stream().noneMatch(p -> p.option().equals("sip-cluster-prime-node"))) {
                    problems.add(new ConfigProblem("sip-cluster-prime-node", "(missing)",
                            "the DBID of one configured node" + configuredIds(known)));
                }
            } else if (!known.isEmpty() && !known.contains(primeNode)) {
                problems.add(new ConfigProblem("sip-cluster-prime-node", primeNode.toString(),
                        "the DBID of one configured node" + configuredIds(known)));
            }
            requireDuration(problems, RECONNECT_RANGE, reconnectTimeout);
            requireDuration(problems, ADDP_RANGE, addpTimeout);
            requireDuration(problems, ADDP_REMOTE_RANGE, addpRemoteTimeout);
            requireDuration(problems, REQUEST_RANGE, requestTimeout);
            requireDuration(problems, CONNECT_RANGE, connectTimeout);
            if (addpTrace == null) {
                problems.add(new ConfigProblem("addp-trace", "(missing)", AddpTrace.ACCEPTED));
            }
            if (maxPendingRequests < 1 || maxPendingRequests > MAX_PENDING_LIMIT) {
                problems.add(new ConfigProblem("max-pending-requests", shown("max-pending-requests", Integer.toString(maxPendingRequests)),
                        "a number of requests from 1 to " + MAX_PENDING_LIMIT));
            }
            if (maxCallsInProgress < 1 || maxCallsInProgress > MAX_CALLS_IN_PROGRESS_LIMIT) {
                problems.add(new ConfigProblem("max-calls-in-progress", shown("max-calls-in-progress",
                        Integer.toString(maxCallsInProgress)), "a number of calls from 1 to " + MAX_CALLS_IN_PROGRESS_LIMIT));
            }
            requireText(problems, "application-name", applicationName, "an application name");
            checkNodes(problems);
            checkNodeOptions(problems);
            Map<String, String> groupNames = new LinkedHashMap<>();
            for (int i = 0; i < campaignGroups.size(); i++) {
                CampaignGroup group = campaignGroups.get(i);
                String path = "campaign-groups[" + groupPositions.get(i) + "]";
                requireText(problems, path + ".name", group.name(), "a campaign group name");
                requireText(problems, path + ".agent-group", group.agentGroup(), "an agent group name");
                String first = group.name() == null ? null : groupNames.putIfAbsent(group.name(), path);
                if (first != null) {
                    problems.add(new ConfigProblem(path + ".name", group.name(),
                            "a name no other campaign group has (" + first + " is also '" + group.name() + "')"));
                }
            }
            int position = 0;
            for (String dn : monitoredDns) {
                requireText(problems, "monitored-dns[" + position++ + "]", dn, "a DN");
            }
            return problems;
        }

        /**
         * Checks everything and builds.
         *
         * @throws ConfigException listing every problem found
         */
        public BalancerConfig build() {
            List<ConfigProblem> problems = problems();
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new BalancerConfig(this, new ClusterTopology(nodes, primeNode));
        }

        private void checkNodeOptions(List<ConfigProblem> problems) {
            for (int i = 0; i < nodes.size(); i++) {
                NodeId id = nodes.get(i).id();
                String path = "nodes[" + nodePositions.get(i) + "]";
                Integer weight = weights.get(id);
                if (weight != null && (weight < 1 || weight > org.dialbalance.api.policy.NodeOptions.MAX_WEIGHT)) {
                    problems.add(new ConfigProblem(path + ".weight", shown(path + ".weight", weight.toString()),
                            "a weight from 1 to " + org.dialbalance.api.policy.NodeOptions.MAX_WEIGHT));
                }
                Integer calls = maxCalls.get(id);
                // a node's count remembers at most max-calls-in-progress calls: a larger cap could never be reached
                int ceiling = maxCallsInProgress >= 1 && maxCallsInProgress <= MAX_CALLS_IN_PROGRESS_LIMIT
                        ? maxCallsInProgress : MAX_CALLS_IN_PROGRESS_LIMIT;
                if (calls != null && (calls < 1 || calls > ceiling)) {
                    problems.add(new ConfigProblem(path + ".max-calls", shown(path + ".max-calls", calls.toString()),
                            "a number of calls from 1 to " + ceiling + " (max-calls-in-progress, the most calls a node's"
                                    + " count remembers)"));
                }
            }
            Set<NodeId> configured = new LinkedHashSet<>();
            nodes.forEach(node -> configured.add(node.id()));
            for (NodeId id : weights.keySet()) {
                if (!configured.contains(id) && declaredIds.isEmpty()) {
                    problems.add(new ConfigProblem("nodes", id.toString(), "a weight only for a configured node"));
                }
            }
            for (NodeId id : maxCalls.keySet()) {
                if (!configured.contains(id) && declaredIds.isEmpty()) {
                    problems.add(new ConfigProblem("nodes", id.toString(), "max-calls only for a configured node"));
                }
            }
        }

        private static String configuredIds(Set<NodeId> ids) {
            return ids.isEmpty() ? "" : " (configured: " + String.join(", ", ids.stream().map(NodeId::toString).toList()) + ")";
        }

        private static void requireName(List<ConfigProblem> problems, String option, String value, boolean optional) {
            if (value == null) {
                if (!optional) {
                    problems.add(new ConfigProblem(option, "(missing)", "a provider name"));
                }
                return;
            }
            if (!value.matches("[a-z0-9][a-z0-9-]*")) {
                problems.add(new ConfigProblem(option, value, "a provider name: lower case letters, digits and dashes"));
            }
        }

        private void requireDuration(List<ConfigProblem> problems, DurationRange range, Duration value) {
            if (value == null) {
                problems.add(new ConfigProblem(range.option(), "(missing)", range.expected()));
            } else if (!range.accepts(value)) {
                problems.add(new ConfigProblem(range.option(), shown(range.option(), HoconConfigReader.describe(value)),
                        range.expected()));
            }
        }

        /** The value as the file wrote it, if it came from a file, else as the builder holds it. */
        private String shown(String option, String value) {
            return writtenAs.getOrDefault(option, value);
        }

        /** Names, DNs and other free text: 1 to 255 characters, no control characters, not blank. */
        private static void requireText(List<ConfigProblem> problems, String option, String value, String what) {
            if (value == null) {
                problems.add(new ConfigProblem(option, "(missing)", textExpected(what)));
            } else {
                textProblem(option, value, what).ifPresent(problems::add);
            }
        }

        /** The problem of free text that is blank, longer than 255 characters or holds a control character, if it is. */
        static Optional<ConfigProblem> textProblem(String option, String value, String what) {
            if (value.isBlank() || value.length() > MAX_TEXT_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
                return Optional.of(new ConfigProblem(option, "\"" + value + "\"", textExpected(what)));
            }
            return Optional.empty();
        }

        private static String textExpected(String what) {
            return what + " of 1 to " + MAX_TEXT_LENGTH + " printable characters (no control characters)";
        }

        /** Node names, hosts, and endpoints: no endpoint used twice, no backup equal to its primary. */
        private void checkNodes(List<ConfigProblem> problems) {
            Map<String, String> endpointUsers = new LinkedHashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                NodeSpec node = nodes.get(i);
                String path = "nodes[" + nodePositions.get(i) + "]";
                requireText(problems, path + ".name", node.name(), "a node name");
                checkEndpoint(problems, path + ".primary", node.primary(), endpointUsers);
                node.backup().ifPresent(backup -> {
                    if (sameEndpoint(backup, node.primary())) {
                        problems.add(new ConfigProblem(path + ".backup", hostPort(backup),
                                "an endpoint other than the node's primary (the backup is another server)"));
                    } else {
                        checkEndpoint(problems, path + ".backup", backup, endpointUsers);
                    }
                });
            }
        }

        private static void checkEndpoint(List<ConfigProblem> problems, String path, Endpoint endpoint,
                                          Map<String, String> endpointUsers) {
            Optional<String> hostProblem = hostProblem(endpoint.host());
            if (hostProblem.isPresent()) {
                problems.add(new ConfigProblem(path + ".host", endpoint.host(), hostProblem.get()));
                return;
            }
            String key = endpoint.host().toLowerCase(java.util.Locale.ROOT) + ":" + endpoint.port();
            String user = endpointUsers.putIfAbsent(key, path);
            if (user != null) {
                problems.add(new ConfigProblem(path, hostPort(endpoint),
                        "an endpoint no other server uses, but " + user + " is the same"));
            }
        }

        private static boolean sameEndpoint(Endpoint a, Endpoint b) {
            return a.port() == b.port() && a.host().equalsIgnoreCase(b.host());
        }

        private static String hostPort(Endpoint endpoint) {
            return endpoint.host() + ":" + endpoint.port();
        }

        private static final java.util.regex.Pattern HOST_NAME = java.util.regex.Pattern.compile(
                "[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
        private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("\\[?[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?]?");

        /** What is wrong with a host, if anything. */
        static Optional<String> hostProblem(String host) {
            String expected = "a host name or IP address (at most " + MAX_HOST_LENGTH + " characters: letters, digits, "
                    + "'-', '_' and '.'; an IPv6 address with its colons)";
            if (host.length() > MAX_HOST_LENGTH) {
                return Optional.of(expected);
            }
            if (host.contains("://")) {
                return Optional.of(expected + ", not a URL: drop the scheme");
            }
            long colons = host.chars().filter(c -> c == ':').count();
            if (colons == 1) {
                return Optional.of(expected + ", without a port: the port goes in 'port'");
            }
            if (colons > 1) {
                return IPV6.matcher(host).matches() ? Optional.empty() : Optional.of(expected);
            }
            if (host.chars().anyMatch(Character::isWhitespace)) {
                return Optional.of(expected + ", without spaces");
            }
            return HOST_NAME.matcher(host).matches() ? Optional.empty() : Optional.of(expected);
        }
    }
}
