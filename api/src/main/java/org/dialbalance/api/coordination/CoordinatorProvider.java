package org.dialbalance.api.coordination;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.Experimental;
import org.dialbalance.api.ExtensionProvider;

/**
 * Creates a {@link Coordinator}. Found with {@link java.util.ServiceLoader}; selected by the {@code coordination}
 * option (unset by default: no coordination, this dialer owns every campaign group).
 */
@Experimental(reason = "new in 0.4: several dialers over one cluster")
public interface CoordinatorProvider extends ExtensionProvider {

    /**
     * Builds a coordinator without connecting anywhere (a configuration check creates one and closes it). Invalid
     * options are returned as problems naming {@code coordination-options.<name>.<key>}, not thrown.
     *
     * @param settings the campaign groups and this coordinator's own options
     */
    ConfigResult<Coordinator> create(CoordinationSettings settings);
}
