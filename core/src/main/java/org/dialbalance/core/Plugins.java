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

    private Plugins(BalancingPolicy regular, String regularName, BalancingPolicy seizing, String seizingName,
                    Transport transport, boolean ownsTransport, NodeRegistry registry, List<CampaignGroup> campaignGroups,
                    PolicyHost host) {
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
        List<ConfigProblem> problems = new ArrayList<>();
        PolicyHost host = new PolicyHost();
        ProviderCatalog<BalancingPolicyProvider> policies =
                ProviderCatalog.discover(BalancingPolicyProvider.class, "balancing policy", loader, codePolicies);
        ProviderCatalog<NodeRegistryProvider> registries =
                ProviderCatalog.discover(NodeRegistryProvider.class, "node registry", loader, Map.of());

        BalancingPolicy regular = new PrimeOnlyPolicy();
        String regularName = "prime-only (no sip-cluster-lb-mode)";
        BalancingPolicy seizing = regular;
        String seizingName = regularName;
        if (config.balancingEnabled()) {
            String lbMode = config.lbMode().orElseThrow();
            Optional<BalancingPolicy> created = createPolicy(policies, "sip-cluster-lb-mode", lbMode, config, problems, host);
            regular = created.orElse(null);
            regularName = lbMode;
            boolean seizingConfigured = config.campaignGroups().stream().anyMatch(group -> group.mode().isSeizing());
            String asmName = config.asmPolicy();
            if (policies.get(asmName).isPresent() || seizingConfigured
                    || !BalancerConfig.DEFAULT_ASM_POLICY.equals(asmName)) {
                seizing = createPolicy(policies, "asm-policy", asmName, config, problems, host).orElse(null);
                seizingName = asmName;
            } else {
                seizing = null;
                seizingName = null;
                LOG.info("No policy for seizing (ASM) modes: '{}' is not on the classpath and no seizing campaign group"
                        + " is configured; seizing requests will be held", asmName);
            }
        }

        ProviderCatalog<TransportProvider> transports =
                ProviderCatalog.discover(TransportProvider.class, "transport", loader, Map.of());
        problems.addAll(unknownBlocks(POLICY_OPTIONS, summaries(config.allPolicyOptions()), policies, Optional.empty()));
        problems.addAll(unknownBlocks(TRANSPORT_OPTIONS, summaries(config.allTransportOptions()), transports,
                codeTransport.map(supplied -> config.transport())));
        warnUnusedBlocks(config, regularName, seizingName);

        NodeRegistry registry = null;
        Optional<NodeRegistryProvider> registryProvider = registries.get(config.nodeRegistry());
        if (registryProvider.isEmpty()) {
            problems.add(registries.unknown("node-registry", config.nodeRegistry()));
        } else {
            registry = registryProvider.get().create(config.topology());
        }

        Transport transport = codeTransport.orElse(null);
        boolean ownsTransport = false;
        if (codeTransport.isEmpty()) {
            Optional<TransportProvider> provider = transports.get(config.transport());
            if (provider.isEmpty()) {
                problems.add(transports.unknown("transport", config.transport()));
            } else {
                ConfigResult<Transport> created = provider.get().create(transportSettings(config));
                if (created instanceof ConfigResult.Invalid<Transport> invalid) {
                    problems.addAll(invalid.problems());
                } else {
                    transport = ((ConfigResult.Valid<Transport>) created).value();
                    ownsTransport = true;
                }
            }
        } else {
            LOG.info("Using the transport supplied in code: {}", transport.getClass().getName());
        }

        if (!problems.isEmpty()) {
            if (ownsTransport) {
                transport.close();
            }
            throw new ConfigException(problems);
        }
        LOG.info("Policies: regular modes -> {}, seizing modes -> {}", regularName, seizingName == null ? "(none)" : seizingName);
        return new Plugins(regular, regularName, seizing, seizingName, transport, ownsTransport, registry,
                config.campaignGroups(), host);
    }

    /**
     * Checks only that plugin names exist, for a configuration too broken to build: so that a file's
     * problems are still all reported at once.
     *
     * @param names plugin names by option ({@code sip-cluster-lb-mode}, {@code transport}, {@code node-registry})
     */
    static List<ConfigProblem> unknownNames(Map<String, String> names, ClassLoader loader) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, ProviderCatalog<?>> catalogs = Map.of(
                "sip-cluster-lb-mode", ProviderCatalog.discover(BalancingPolicyProvider.class, "balancing policy", loader, Map.of()),
                "transport", ProviderCatalog.discover(TransportProvider.class, "transport", loader, Map.of()),
                "node-registry", ProviderCatalog.discover(NodeRegistryProvider.class, "node registry", loader, Map.of()));
        Map<String, String> policyBlocks = new java.util.LinkedHashMap<>();
        Map<String, String> transportBlocks = new java.util.LinkedHashMap<>();
        names.forEach((option, name) -> {
            if (option.startsWith(POLICY_OPTIONS)) {
                policyBlocks.put(option.substring(POLICY_OPTIONS.length()), name);
                return;
            }
            if (option.startsWith(TRANSPORT_OPTIONS)) {
                transportBlocks.put(option.substring(TRANSPORT_OPTIONS.length()), name);
                return;
            }
            ProviderCatalog<?> catalog = catalogs.get(option);
            if (catalog != null && catalog.get(name).isEmpty()) {
                problems.add(catalog.unknown(option, name));
            }
        });
        problems.addAll(unknownBlocks(POLICY_OPTIONS, policyBlocks, catalogs.get("sip-cluster-lb-mode"), Optional.empty()));
        problems.addAll(unknownBlocks(TRANSPORT_OPTIONS, transportBlocks, catalogs.get("transport"), Optional.empty()));
        return problems;
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
                String suggestion = HoconConfigReader.closest(name, known).map(close -> " (did you mean '" + close + "'?)").orElse("");
                problems.add(new ConfigProblem(prefix + name, summary, "the name of a " + catalog.kind() + " on the class path"
                        + suggestion + "; " + (known.isEmpty() ? "there is none" : "known: " + String.join(", ", known))));
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
                                                          String name, BalancerConfig config, List<ConfigProblem> problems,
                                                          PolicyHost host) {
        Optional<BalancingPolicyProvider> provider = catalog.get(name);
        if (provider.isEmpty()) {
            problems.add(catalog.unknown(option, name));
            return Optional.empty();
        }
        ConfigResult<BalancingPolicy> result;
        try {
            result = provider.get().create(new Context(name, config.topology(), config.campaignGroups(),
                    config.policyOptions(name), config, host));
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
                           Map<String, String> options, BalancerConfig config, PolicyHost host) implements PolicyContext {
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
            return config.nodeOptions(nodeIndex);
        }

        @Override
        public long nanoTime() {
            return host.nanoTime();
        }
    }
}
