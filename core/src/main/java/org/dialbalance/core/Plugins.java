package org.dialbalance.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DidYouMean;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.api.registry.NodeRegistry;
import org.dialbalance.api.registry.NodeRegistryProvider;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.api.transport.TransportProvider;
import org.dialbalance.api.transport.TransportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins one balancer runs with, resolved from configuration at startup: the policy for regular
 * modes, the policy for seizing modes, the transport and the node registry. Resolution collects every
 * problem (unknown names, invalid plugin options) and fails once, listing them all.
 */
final class Plugins {

    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    static final String POLICY_OPTIONS = "policy-options.";
    static final String TRANSPORT_OPTIONS = "transport-options.";

    private final BalancingPolicy regular;
    private final String regularName;
    private final BalancingPolicy seizing;
    private final String seizingName;
    private final Transport transport;
    private final boolean ownsTransport;
    private final NodeRegistry registry;
    private final Map<String, CampaignGroup> campaignGroups;
    private final PolicyHost host;

    private final ClusterTopology topology;

    private Plugins(BalancingPolicy regular, String regularName, BalancingPolicy seizing, String seizingName,
                    Transport transport, boolean ownsTransport, NodeRegistry registry, List<CampaignGroup> campaignGroups,
                    ClusterTopology topology, PolicyHost host) {
        this.topology = topology;
        this.regular = regular;
        this.regularName = regularName;
        this.seizing = seizing;
        this.seizingName = seizingName;
        this.transport = transport;
        this.ownsTransport = ownsTransport;
        this.registry = registry;
        Map<String, CampaignGroup> byName = new HashMap<>();
        campaignGroups.forEach(group -> byName.putIfAbsent(group.name(), group));
        this.campaignGroups = Map.copyOf(byName);
        this.host = host;
        host.bindPolicies(regular, seizing);
    }

    /**
     * What a configuration gives the plugins: the names it selects, the option blocks, the campaign groups, the
     * cluster (empty when it cannot be built) and the transport's settings. A configuration too broken to build
     * gives one too ({@link BalancerConfig.Builder#selection()}), so that its plugin problems are reported with
     * the rest.
     */
    record Selection(Optional<String> lbMode, Optional<String> asmPolicy, Optional<String> transport,
                     Optional<String> nodeRegistry, Map<String, Map<String, String>> policyOptions,
                     Map<String, Map<String, String>> transportOptions, List<CampaignGroup> campaignGroups,
                     Optional<ClusterTopology> topology, List<org.dialbalance.api.policy.NodeOptions> nodeOptions,
                     TransportSettings settings) {

        static Selection of(BalancerConfig config) {
            return new Selection(config.lbMode(), Optional.of(config.asmPolicy()), Optional.of(config.transport()),
                    Optional.of(config.nodeRegistry()), config.allPolicyOptions(), config.allTransportOptions(),
                    config.campaignGroups(), Optional.of(config.topology()), config.allNodeOptions(), transportSettings(config));
        }
    }

    /** The outcome of resolving a selection: what could be created, and every problem. */
    private record Resolution(BalancingPolicy regular, String regularName, BalancingPolicy seizing, String seizingName,
                              Transport transport, boolean ownsTransport, NodeRegistry registry, PolicyHost host,
                              List<ConfigProblem> problems) {
    }

    /**
     * Resolves everything a configuration names.
     *
     * @param config        the configuration
     * @param loader        where ServiceLoader looks
     * @param codePolicies  policies the host bound in code, by name
     * @param codeTransport a transport the host supplied, used instead of the configured one
     * @throws ConfigException listing every problem found
     */
    static Plugins resolve(BalancerConfig config, ClassLoader loader, Map<String, BalancingPolicyProvider> codePolicies,
                           Optional<Transport> codeTransport) {
        Resolution resolved = resolve(Selection.of(config), loader, codePolicies, codeTransport);
        warnUnusedBlocks(config, resolved.regularName(), resolved.seizingName());
        if (!resolved.problems().isEmpty()) {
            if (resolved.ownsTransport()) {
                resolved.transport().close();
            }
            throw new ConfigException(resolved.problems());
        }
        if (codeTransport.isPresent()) {
            LOG.info("Using the transport supplied in code: {}", resolved.transport().getClass().getName());
        }
        LOG.info("Policies: regular modes -> {}, seizing modes -> {}", resolved.regularName(),
                resolved.seizingName() == null ? "(none)" : resolved.seizingName());
        return new Plugins(resolved.regular(), resolved.regularName(), resolved.seizing(), resolved.seizingName(),
                resolved.transport(), resolved.ownsTransport(), resolved.registry(), config.campaignGroups(), config.topology(),
                resolved.host());
    }

    /**
     * The plugins of a reconfigured balancer: the same transport and registry, and policies for the new configuration.
     * A policy whose inputs (its name, its options, the topology and the campaign groups) are all unchanged is kept as
     * it is; any other is created anew, told through {@link PolicyContext#replacing()} which running policy of the same
     * name it replaces, so a rotation goes on.
     *
     * @throws ConfigException listing every problem: unknown policy names, invalid policy options
     */
    Plugins reconfigured(BalancerConfig oldConfig, BalancerConfig config, ClassLoader loader,
                         Map<String, BalancingPolicyProvider> codePolicies) {
        List<ConfigProblem> problems = new ArrayList<>();
        ProviderCatalog<BalancingPolicyProvider> policies =
                ProviderCatalog.discover(BalancingPolicyProvider.class, "balancing policy", loader, codePolicies);
        Selection selection = Selection.of(config);
        PolicyHost nextHost = host.successor();
        ChosenPolicies chosen = choosePolicies(selection, policies, new Reuse(this, oldConfig), nextHost, problems);
        problems.addAll(unknownBlocks(POLICY_OPTIONS, summaries(config.allPolicyOptions()), policies, Optional.empty()));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        LOG.info("Policies after reconfiguration: regular modes -> {}, seizing modes -> {}", chosen.regularName(),
                chosen.seizingName() == null ? "(none)" : chosen.seizingName());
        // the same instance when equal: routing compares a snapshot's topology with the policies' by reference first
        ClusterTopology kept = config.topology().equals(topology) ? topology : config.topology();
        return new Plugins(chosen.regular(), chosen.regularName(), chosen.seizing(), chosen.seizingName(), transport, ownsTransport,
                registry, config.campaignGroups(), kept, nextHost);
    }

    /** The running plugins and their configuration, whose policies a reconfiguration keeps or replaces. */
    private record Reuse(Plugins plugins, BalancerConfig config) {
        /** The running policy of this name, if it is the regular or seizing one. */
        Optional<BalancingPolicy> running(String name) {
            if (name.equals(plugins.regularName)) {
                return Optional.ofNullable(plugins.regular);
            }
            return name.equals(plugins.seizingName) ? Optional.ofNullable(plugins.seizing) : Optional.empty();
        }

        /** Whether a policy of this name would be created from exactly the same inputs as the running one. */
        boolean unchangedFor(String name, Selection next) {
            return next.topology().isPresent() && config.topology().equals(next.topology().get())
                    && config.campaignGroups().equals(next.campaignGroups())
                    && config.allNodeOptions().equals(next.nodeOptions())
                    && config.policyOptions(name).equals(next.policyOptions().getOrDefault(name, Map.of()));
        }
    }

    /** The two policies a selection chooses, with their names; {@code seizing} is null when no policy handles seizing modes. */
    private record ChosenPolicies(BalancingPolicy regular, String regularName, BalancingPolicy seizing, String seizingName) {
    }

    /**
     * The plugin problems of a configuration, also of one too broken to build, so that a file's problems are
     * all reported at once: names that match no plugin (all four: {@code sip-cluster-lb-mode}, {@code asm-policy},
     * {@code transport}, {@code node-registry}), option blocks that name no plugin, and the selected plugins' own
     * option problems (a policy's only when the cluster could be built, as a policy is created for one).
     */
    static List<ConfigProblem> problems(Selection selection, ClassLoader loader) {
        Resolution resolved = resolve(selection, loader, Map.of(), Optional.empty());
        if (resolved.ownsTransport()) {
            resolved.transport().close();
        }
        return resolved.problems();
    }

    private static Resolution resolve(Selection selection, ClassLoader loader, Map<String, BalancingPolicyProvider> codePolicies,
                                      Optional<Transport> codeTransport) {
        List<ConfigProblem> problems = new ArrayList<>();
        PolicyHost host = new PolicyHost();
        ProviderCatalog<BalancingPolicyProvider> policies =
                ProviderCatalog.discover(BalancingPolicyProvider.class, "balancing policy", loader, codePolicies);
        ProviderCatalog<NodeRegistryProvider> registries =
                ProviderCatalog.discover(NodeRegistryProvider.class, "node registry", loader, Map.of());

        ChosenPolicies chosen = choosePolicies(selection, policies, null, host, problems);

        ProviderCatalog<TransportProvider> transports =
                ProviderCatalog.discover(TransportProvider.class, "transport", loader, Map.of());
        problems.addAll(unknownBlocks(POLICY_OPTIONS, summaries(selection.policyOptions()), policies, Optional.empty()));
        problems.addAll(unknownBlocks(TRANSPORT_OPTIONS, summaries(selection.transportOptions()), transports,
                codeTransport.flatMap(supplied -> selection.transport())));

        NodeRegistry registry = null;
        if (selection.nodeRegistry().isPresent()) {
            Optional<NodeRegistryProvider> registryProvider = registries.get(selection.nodeRegistry().get());
            if (registryProvider.isEmpty()) {
                problems.add(registries.unknown("node-registry", selection.nodeRegistry().get()));
            } else if (selection.topology().isPresent()) {
                registry = registryProvider.get().create(selection.topology().get());
            }
        }

        Transport transport = codeTransport.orElse(null);
        boolean ownsTransport = false;
        if (codeTransport.isEmpty() && selection.transport().isPresent()) {
            Optional<TransportProvider> provider = transports.get(selection.transport().get());
            if (provider.isEmpty()) {
                problems.add(transports.unknown("transport", selection.transport().get()));
            } else {
                ConfigResult<Transport> created = provider.get().create(selection.settings());
                if (created instanceof ConfigResult.Invalid<Transport> invalid) {
                    problems.addAll(invalid.problems());
                } else {
                    transport = ((ConfigResult.Valid<Transport>) created).value();
                    ownsTransport = true;
                }
            }
        }
        return new Resolution(chosen.regular(), chosen.regularName(), chosen.seizing(), chosen.seizingName(), transport,
                ownsTransport, registry, host, problems);
    }

    private static ChosenPolicies choosePolicies(Selection selection, ProviderCatalog<BalancingPolicyProvider> policies, Reuse reuse,
                                                 PolicyHost host, List<ConfigProblem> problems) {
        BalancingPolicy regular = new PrimeOnlyPolicy();
        String regularName = "prime-only (no sip-cluster-lb-mode)";
        BalancingPolicy seizing = regular;
        String seizingName = regularName;
        if (selection.lbMode().isPresent()) {
            String lbMode = selection.lbMode().get();
            regular = policy(policies, "sip-cluster-lb-mode", lbMode, selection, reuse, host, problems).orElse(null);
            regularName = lbMode;
            boolean seizingConfigured = selection.campaignGroups().stream().anyMatch(group -> group.mode().isSeizing());
            String asmName = selection.asmPolicy().orElse(BalancerConfig.DEFAULT_ASM_POLICY);
            if (policies.get(asmName).isPresent() || seizingConfigured
                    || !BalancerConfig.DEFAULT_ASM_POLICY.equals(asmName)) {
                seizing = policy(policies, "asm-policy", asmName, selection, reuse, host, problems).orElse(null);
                seizingName = asmName;
            } else {
                seizing = null;
                seizingName = null;
                LOG.info("No policy for seizing (ASM) modes: '{}' is not on the classpath and no seizing campaign group"
                        + " is configured; seizing requests will be held", asmName);
            }
        } else {
            // Without sip-cluster-lb-mode everything dials on the prime node and asm-policy is not used; a name that
            // matches no policy is refused all the same: a typo must not pass (it would bite once balancing is on).
            selection.asmPolicy()
                    .filter(name -> policies.get(name).isEmpty() && !BalancerConfig.DEFAULT_ASM_POLICY.equals(name))
                    .ifPresent(name -> problems.add(policies.unknown("asm-policy", name)));
        }

        return new ChosenPolicies(regular, regularName, seizing, seizingName);
    }

    private static Optional<BalancingPolicy> policy(ProviderCatalog<BalancingPolicyProvider> catalog, String option, String name,
                                                    Selection selection, Reuse reuse, PolicyHost host, List<ConfigProblem> problems) {
        Optional<BalancingPolicy> running = reuse == null ? Optional.empty() : reuse.running(name);
        if (running.isPresent() && reuse.unchangedFor(name, selection)) {
            return running;
        }
        return createPolicy(catalog, option, name, selection, running, host, problems);
    }

    /**
     * The problems of {@code policy-options.<name>} or {@code transport-options.<name>} blocks that name no
     * plugin on the class path: a typo there would otherwise drop the options silently (TLS off, say).
     *
     * @param prefix   {@code policy-options.} or {@code transport-options.}
     * @param blocks   block name to {@link #blockSummary summary}
     * @param catalog  the plugins of that kind
     * @param alsoKnown a name accepted besides the catalog's (the configured transport when it is supplied in code)
     */
    static List<ConfigProblem> unknownBlocks(String prefix, Map<String, String> blocks, ProviderCatalog<?> catalog,
                                             Optional<String> alsoKnown) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> known = new ArrayList<>(catalog.names());
        alsoKnown.filter(name -> !known.contains(name)).ifPresent(known::add);
        blocks.forEach((name, summary) -> {
            if (!known.contains(name)) {
                problems.add(new ConfigProblem(prefix + name, summary, "the name of a " + catalog.kind() + " on the class path"
                        + DidYouMean.hint(name, known) + "; " + (known.isEmpty() ? "there is none" : "known: " + String.join(", ", known))));
            }
        });
        return problems;
    }

    /** A block's keys without their values (which may be passwords), sorted, for messages: {@code { tls.enabled, ... }}. */
    static String blockSummary(Map<String, String> options) {
        return options.isEmpty() ? "{ }" : "{ " + String.join(", ", new java.util.TreeSet<>(options.keySet())) + " }";
    }

    private static Map<String, String> summaries(Map<String, Map<String, String>> blocks) {
        Map<String, String> summaries = new java.util.LinkedHashMap<>();
        blocks.forEach((name, options) -> summaries.put(name, blockSummary(options)));
        return summaries;
    }

    /** Blocks of plugins that exist but are not selected are accepted, with a warning: their options are unused. */
    private static void warnUnusedBlocks(BalancerConfig config, String regularName, String seizingName) {
        config.allPolicyOptions().keySet().stream()
                .filter(name -> !name.equals(regularName) && !name.equals(seizingName))
                .forEach(name -> LOG.warn("policy-options.{} is not used: sip-cluster-lb-mode is {} and asm-policy is {}",
                        name, config.lbMode().orElse("(unset)"), config.asmPolicy()));
        config.allTransportOptions().keySet().stream()
                .filter(name -> !name.equals(config.transport()))
                .forEach(name -> LOG.warn("transport-options.{} is not used: transport is {}", name, config.transport()));
    }

    /** The settings a transport gets from a configuration. */
    static TransportSettings transportSettings(BalancerConfig config) {
        return new TransportSettings(config.applicationName(), config.connectTimeout(), config.requestTimeout(),
                config.addpTimeout(), config.addpRemoteTimeout(), config.addpTrace(), config.maxPendingRequests(),
                config.transportOptions(config.transport()));
    }

    private static Optional<BalancingPolicy> createPolicy(ProviderCatalog<BalancingPolicyProvider> catalog, String option,
                                                          String name, Selection selection, Optional<BalancingPolicy> replacing,
                                                          PolicyHost host, List<ConfigProblem> problems) {
        Optional<BalancingPolicyProvider> provider = catalog.get(name);
        if (provider.isEmpty()) {
            problems.add(catalog.unknown(option, name));
            return Optional.empty();
        }
        if (selection.topology().isEmpty()) {
            return Optional.empty();    // a policy is created for a cluster; without one only its name is checked
        }
        ConfigResult<BalancingPolicy> result;
        try {
            result = provider.get().create(new Context(name, selection.topology().get(), selection.campaignGroups(),
                    selection.policyOptions().getOrDefault(name, Map.of()), replacing, selection.nodeOptions(), host));
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem(option, name, "a policy that can be created, but "
                    + provider.get().getClass().getName() + " threw " + e));
            return Optional.empty();
        }
        if (result instanceof ConfigResult.Invalid<BalancingPolicy> invalid) {
            problems.addAll(invalid.problems());
            return Optional.empty();
        }
        return Optional.of(((ConfigResult.Valid<BalancingPolicy>) result).value());
    }

    /**
     * The policy that routes a request: the seizing policy for seizing groups, the regular one for the
     * rest, or {@code null} when no policy handles seizing groups.
     */
    BalancingPolicy policyFor(DialRequest request) {
        return request.group().mode().isSeizing() ? seizing : regular;
    }

    /**
     * Refuses a request whose campaign group is not the configured one, so that the configuration is the
     * only source of a group's mode and dialer node: a group that differs from the configured group of its
     * name, or a seizing group that no configured group names, is held with
     * {@link HoldReason#CAMPAIGN_GROUP_NOT_CONFIGURED}. A regular-mode group that no configured group names
     * passes: nothing in it steers routing.
     *
     * @return the hold, or {@code null} if the request may be routed
     */
    Route.Hold unconfiguredGroup(DialRequest request) {
        CampaignGroup group = request.group();
        CampaignGroup configured = campaignGroups.get(group.name());
        if (configured == group || (configured == null && !group.mode().isSeizing())) {
            return null;
        }
        if (configured == null) {
            return new Route.Hold(HoldReason.CAMPAIGN_GROUP_NOT_CONFIGURED, "campaign group '" + group.name()
                    + "' (mode " + group.mode().configName() + ") is not configured; a seizing group dials only as"
                    + " campaign-groups and agent-groups configure it");
        }
        if (configured.equals(group)) {
            return null;
        }
        return new Route.Hold(HoldReason.CAMPAIGN_GROUP_NOT_CONFIGURED, "campaign group '" + group.name()
                + "' of the request differs from the configured one: request " + describe(group) + ", configured "
                + describe(configured) + "; take the group from the configuration");
    }

    private static String describe(CampaignGroup group) {
        return "{mode " + group.mode().configName() + ", agent group '" + group.agentGroup() + "', sip-cluster-asm-dial-node "
                + group.asmDialNode().map(String::valueOf).orElse("unset") + "}";
    }

    /** The topology these policies were created for: routing pairs them with a snapshot of that topology only. */
    ClusterTopology topology() {
        return topology;
    }

    /** The name of the policy {@link #policyFor} returns, for messages. */
    String policyNameFor(DialRequest request) {
        return request.group().mode().isSeizing() ? seizingName : regularName;
    }

    Transport transport() {
        return transport;
    }

    boolean ownsTransport() {
        return ownsTransport;
    }

    NodeRegistry registry() {
        return registry;
    }

    /** What policies see of the running balancer: loads, clock, feedback. */
    PolicyHost host() {
        return host;
    }

    /** The feedback interface of the policy that routes a request, or {@code null} if it has none. */
    org.dialbalance.api.policy.RoutingFeedback feedbackFor(DialRequest request) {
        return policyFor(request) instanceof org.dialbalance.api.policy.RoutingFeedback feedback ? feedback : null;
    }

    /** The context a policy is created with; warnings go to the log under the policy's name. */
    private record Context(String policyName, ClusterTopology topology, List<CampaignGroup> campaignGroups,
                           Map<String, String> options, Optional<BalancingPolicy> replacing,
                           List<org.dialbalance.api.policy.NodeOptions> nodeOptionList, PolicyHost host) implements PolicyContext {
        @Override
        public void warn(String message) {
            LOG.warn("[{}] {}", policyName, message);
        }

        @Override
        public org.dialbalance.api.policy.NodeLoadView nodeLoad() {
            return host;
        }

        @Override
        public org.dialbalance.api.policy.NodeOptions nodeOptions(int nodeIndex) {
            return nodeOptionList.get(nodeIndex);
        }

        @Override
        public long nanoTime() {
            return host.nanoTime();
        }
    }
}
