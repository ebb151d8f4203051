package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.dialbalance.api.ExtensionProvider;
import org.junit.jupiter.api.Test;

class ProviderCatalogTest {

    @Test
    void theHighestPriorityWinsAndUnavailableProvidersAreSkipped() {
        var low = new Fake("x", 1, true);
        var high = new Fake("x", 9, true);
        var unavailable = new Fake("x", 100, false);

        var catalog = ProviderCatalog.resolve("thing", List.of(low, unavailable, high), Map.<String, Fake>of());

        assertThat(catalog.get("x")).containsSame(high);
    }

    @Test
    void aTieGoesToTheClassNameThatSortsFirstWhateverTheDiscoveryOrder() {
        var alpha = new Alpha();
        var beta = new Beta();

        assertThat(ProviderCatalog.resolve("thing", List.<ExtensionProvider>of(beta, alpha), Map.of()).get("same")).containsSame(alpha);
        assertThat(ProviderCatalog.resolve("thing", List.<ExtensionProvider>of(alpha, beta), Map.of()).get("same")).containsSame(alpha);
    }

    @Test
    void aProviderBoundInCodeReplacesADiscoveredOne() {
        var discovered = new Fake("x", 9, true);
        var inCode = new Fake("x", 0, true);

        assertThat(ProviderCatalog.resolve("thing", List.of(discovered), Map.of("x", inCode)).get("x")).containsSame(inCode);
    }

    @Test
    void anUnknownNameListsTheNamesThatExist() {
        var catalog = ProviderCatalog.resolve("balancing policy", List.of(new Fake("b", 5, true), new Fake("a", 5, true)), Map.<String, Fake>of());

        assertThat(catalog.unknown("sip-cluster-lb-mode", "weighted").message())
                .isEqualTo("sip-cluster-lb-mode = weighted: expected one of the available balancing policy names: a, b");
    }

    private record Fake(String name, int priority, boolean isAvailable) implements ExtensionProvider {
    }

    private static final class Alpha implements ExtensionProvider {
        @Override
        public String name() {
            return "same";
        }
    }

    private static final class Beta implements ExtensionProvider {
        @Override
        public String name() {
            return "same";
        }
    }
}
