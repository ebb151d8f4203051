package org.dialbalance.api.transport;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.ExtensionProvider;
import org.dialbalance.api.Stable;

/**
 * Creates a {@link Transport}. Found with {@link java.util.ServiceLoader}; selected by the
 * {@code transport} option (default {@code tserver}).
 */
@Stable(since = "0.1")
public interface TransportProvider extends ExtensionProvider {

    /**
     * Builds a transport. Invalid transport options are returned as problems, not thrown.
     *
     * @param settings connection settings and this transport's own options
     */
    ConfigResult<Transport> create(TransportSettings settings);
}
