package org.dialbalance.harness.inmemory;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.api.transport.TransportProvider;
import org.dialbalance.api.transport.TransportSettings;

/**
 * Provides the {@code in-memory} transport ({@code transport = in-memory}): every server application is
 * reachable and accepts every request at once. For trying a configuration or an embedding without a
 * cluster; tests that need faults build an {@link InMemoryTransport} themselves and pass it in code.
 */
public final class InMemoryTransportProvider implements TransportProvider {

    /** Used by {@link java.util.ServiceLoader}. */
    public InMemoryTransportProvider() {
    }

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public ConfigResult<Transport> create(TransportSettings settings) {
        if (!settings.options().isEmpty()) {
            return new ConfigResult.Invalid<>(settings.options().entrySet().stream()
                    .map(option -> new ConfigProblem("transport-options.in-memory." + option.getKey(), option.getValue(),
                            "no option: the in-memory transport takes none"))
                    .toList());
        }
        return ConfigResult.valid(new InMemoryTransport());
    }
}
