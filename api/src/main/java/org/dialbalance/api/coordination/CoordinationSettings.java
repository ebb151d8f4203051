package org.dialbalance.api.coordination;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dialbalance.api.Experimental;

/**
 * What a {@link CoordinatorProvider} gets from the configuration.
 *
 * @param applicationName the balancer's {@code application-name}, a default for the dialer's id
 * @param campaignGroups  the names of the configured campaign groups, in configured order: the groups to own
 * @param options         the coordinator's own options ({@code coordination-options.<name>}), by key, as written
 */
@Experimental(reason = "new in 0.4: fields may be added")
public record CoordinationSettings(String applicationName, List<String> campaignGroups, Map<String, String> options) {

    /** Requires every field; copies the collections. */
    public CoordinationSettings {
        Objects.requireNonNull(applicationName, "applicationName");
        campaignGroups = List.copyOf(campaignGroups);
        options = Map.copyOf(options);
    }
}
