package org.dialbalance.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.DidYouMean;
import org.dialbalance.api.ExtensionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers of one extension point, resolved deterministically: providers found with
 * {@link ServiceLoader} that are not available are skipped; per name, the highest priority wins and a
 * tie goes to the class name that sorts first; a provider bound in code by the host application
 * replaces a discovered one of the same name. Every decision is logged.
 *
 * @param <P> the provider type
 */
final class ProviderCatalog<P extends ExtensionProvider> {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCatalog.class);
    private static final Comparator<ExtensionProvider> PREFERENCE = Comparator
            .comparingInt(ExtensionProvider::priority).reversed()
            .thenComparing(provider -> provider.getClass().getName());

    private final String kind;
    private final Map<String, P> byName;

    private ProviderCatalog(String kind, Map<String, P> byName) {
        this.kind = kind;
        this.byName = byName;
    }

    /**
     * Discovers and resolves the providers of a type.
     *
     * @param type     the provider interface
     * @param kind     what they provide, for logs and errors, e.g. "balancing policy"
     * @param loader   where to look
     * @param fromCode providers the host bound in code, by name; they win over discovered ones
     */
    static <P extends ExtensionProvider> ProviderCatalog<P> discover(Class<P> type, String kind, ClassLoader loader,
                                                                     Map<String, ? extends P> fromCode) {
        List<P> found = new ArrayList<>();
        ServiceLoader<P> serviceLoader = ServiceLoader.load(type, loader);
        var iterator = serviceLoader.iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                found.add(iterator.next());
            } catch (ServiceConfigurationError e) {
                LOG.error("Skipping a {} provider that cannot be loaded: {}", kind, e.getMessage());
            }
        }
        return resolve(kind, found, fromCode);
    }

    /** Resolves an explicit list of providers, as {@link #discover} does after loading them. */
    static <P extends ExtensionProvider> ProviderCatalog<P> resolve(String kind, List<P> found,
                                                                    Map<String, ? extends P> fromCode) {
        Map<String, List<P>> candidates = new TreeMap<>();
        for (P provider : found) {
            String name = provider.name();
            if (!provider.isAvailable()) {
                LOG.info("Skipping {} '{}' from {}: not available here", kind, name, provider.getClass().getName());
                continue;
            }
            candidates.computeIfAbsent(name, ignored -> new ArrayList<>()).add(provider);
        }
        Map<String, P> chosen = new TreeMap<>();
        candidates.forEach((name, providers) -> {
            providers.sort(PREFERENCE);
            P winner = providers.get(0);
            LOG.info("Registering {} '{}' from {} (priority {})", kind, name, winner.getClass().getName(), winner.priority());
            for (P loser : providers.subList(1, providers.size())) {
                LOG.info("Ignoring {} '{}' from {} (priority {}): {} is preferred", kind, name,
                        loser.getClass().getName(), loser.priority(), winner.getClass().getName());
            }
            chosen.put(name, winner);
        });
        fromCode.forEach((name, provider) -> {
            P replaced = chosen.put(name, provider);
            LOG.info("Registering {} '{}' bound in code: {}{}", kind, name, provider.getClass().getName(),
                    replaced == null ? "" : " (replaces " + replaced.getClass().getName() + ")");
        });
        return new ProviderCatalog<>(kind, chosen);
    }

    /** The provider of a name, if one was registered. */
    Optional<P> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** What these providers provide, e.g. "balancing policy". */
    String kind() {
        return kind;
    }

    /** The registered names, sorted. */
    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The problem to report when an option names no registered provider. */
    ConfigProblem unknown(String option, String name) {
        return new ConfigProblem(option, name, byName.isEmpty()
                ? "the name of a " + kind + ", but none is on the classpath"
                : "one of the available " + kind + " names" + DidYouMean.hint(name, byName.keySet()) + ": "
                        + String.join(", ", byName.keySet()));
    }
}
