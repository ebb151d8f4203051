package org.dialbalance.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.coordination.CoordinationHost;
import org.dialbalance.api.coordination.CoordinationSettings;
import org.dialbalance.api.CoordinationStatus;
import org.dialbalance.api.coordination.Coordinator;
import org.dialbalance.api.coordination.CoordinatorProvider;
import org.dialbalance.api.coordination.GroupOwnership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator a balancer runs with ({@code coordination = <name>}, options in {@code coordination-options.<name>}),
 * or none: then the balancer owns every campaign group and sends no fencing token ({@link GroupOwnership#ALL}).
 *
 * <p>Resolved at build time like the other plugins (unknown names and invalid options are problems listed with the
 * rest); started after the links, so a group is dialed only once this dialer owns it; closed first at stop, so its
 * groups pass to the other dialers as soon as this one stops dialing. Ownership changes become
 * {@link ClusterEvent.OwnershipChanged} events, queued under the cluster lock (so their versions are in order with
 * the other cluster events) and delivered outside it.
 */
final class Coordination {

    private static final Logger LOG = LoggerFactory.getLogger(Coordination.class);

    static final String OPTIONS = "coordination-options.";

    private final Optional<Coordinator> coordinator;

    private Coordination(Optional<Coordinator> coordinator) {
        this.coordinator = coordinator;
    }

    /**
     * The coordinator a configuration selects.
     *
     * @throws ConfigException listing every problem: a name that matches no coordinator, a block that names none,
     *                         the coordinator's own option problems
     */
    static Coordination resolve(BalancerConfig config, ClassLoader loader) {
        List<ConfigProblem> problems = new ArrayList<>();
        Optional<Coordinator> created = create(config.coordination(), config.allCoordinationOptions(),
                config.campaignGroups(), config.applicationName(), loader, problems);
        if (!problems.isEmpty()) {
            created.ifPresent(Coordinator::close);
            throw new ConfigException(problems);
        }
        config.allCoordinationOptions().keySet().stream().filter(name -> !config.coordination().equals(Optional.of(name)))
                .forEach(name -> LOG.warn("coordination-options.{} is not used: coordination is {}", name,
                        config.coordination().orElse("(unset)")));
        created.ifPresent(value -> LOG.info("Coordination: {} ({})", config.coordination().orElseThrow(), value));
        return new Coordination(created);
    }

    /** The coordination problems of a configuration, also of one too broken to build; creates nothing that stays. */
    static List<ConfigProblem> problems(Optional<String> name, Map<String, Map<String, String>> blocks,
                                        List<CampaignGroup> groups, String applicationName, ClassLoader loader) {
        List<ConfigProblem> problems = new ArrayList<>();
        create(name, blocks, groups, applicationName, loader, problems).ifPresent(Coordinator::close);
        return problems;
    }

    private static Optional<Coordinator> create(Optional<String> name, Map<String, Map<String, String>> blocks,
                                                List<CampaignGroup> groups, String applicationName, ClassLoader loader,
                                                List<ConfigProblem> problems) {
        ProviderCatalog<CoordinatorProvider> catalog = ProviderCatalog.discover(CoordinatorProvider.class, "coordinator", loader, Map.of());
        Map<String, String> summaries = new LinkedHashMap<>();
        blocks.forEach((block, options) -> summaries.put(block, Plugins.blockSummary(options)));
        problems.addAll(Plugins.unknownBlocks(OPTIONS, summaries, catalog, Optional.empty()));
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<CoordinatorProvider> provider = catalog.get(name.get());
        if (provider.isEmpty()) {
            problems.add(catalog.unknown("coordination", name.get()));
            return Optional.empty();
        }
        CoordinationSettings settings = new CoordinationSettings(applicationName,
                groups.stream().map(CampaignGroup::name).distinct().toList(), blocks.getOrDefault(name.get(), Map.of()));
        ConfigResult<Coordinator> result;
        try {
            result = provider.get().create(settings);
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem("coordination", name.get(), "a coordinator that can be created, but "
                    + provider.get().getClass().getName() + " threw " + e));
            return Optional.empty();
        }
        if (result instanceof ConfigResult.Invalid<Coordinator> invalid) {
            problems.addAll(invalid.problems());
            return Optional.empty();
        }
        return Optional.of(((ConfigResult.Valid<Coordinator>) result).value());
    }

    /** What the dispatcher asks on every request. */
    GroupOwnership ownership() {
        return coordinator.isPresent() ? coordinator.get() : GroupOwnership.ALL;
    }

    /**
     * Starts contending for the campaign groups; ownership changes are published on the bus.
     *
     * @param host the balancer, for a coordinator that publishes link views or follows a shared configuration
     */
    void start(ClusterConnections connections, ListenerBus bus, CoordinationHost host) {
        coordinator.ifPresent(value -> value.start((group, owned, token, detail) -> {
            synchronized (connections.lock()) {
                bus.enqueue(new ClusterEvent.OwnershipChanged(connections.snapshot().version(), group, owned, token, detail));
            }
            bus.deliver();
        }, host));
    }

    /** Tells the coordinator the campaign groups of a reconfiguration. */
    void campaignGroupsChanged(List<CampaignGroup> groups) {
        coordinator.ifPresent(value -> value.campaignGroupsChanged(groups.stream().map(CampaignGroup::name).distinct().toList()));
    }

    /** Gives every group up and ends the coordinator's threads. */
    void close() {
        coordinator.ifPresent(Coordinator::close);
    }

    /**
     * The health with the coordinator's state: a coordinator out of reach of its service makes an {@code UP} health
     * {@code DEGRADED} (this dialer owns nothing, the others dial), with the reason added.
     */
    ClusterHealth health(ClusterHealth health) {
        if (coordinator.isEmpty()) {
            return health;
        }
        CoordinationStatus status = coordinator.get().status();
        ClusterHealth.Status overall = health.status();
        String reason = health.reason();
        if (!status.connected() && overall != ClusterHealth.Status.DOWN) {
            String problem = "coordination (" + status.coordinator() + ") out of reach: " + status.detail()
                    + "; this dialer owns no campaign group, every request is held with NOT_OWNER";
            reason = overall == ClusterHealth.Status.UP ? problem : reason + "; " + problem;
            overall = ClusterHealth.Status.DEGRADED;
        }
        return new ClusterHealth(overall, reason, health.snapshotVersion(), health.prime(), health.nodes(), Optional.of(status));
    }
}
