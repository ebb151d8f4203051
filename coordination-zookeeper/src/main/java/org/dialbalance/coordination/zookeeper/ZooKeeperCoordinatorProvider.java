package org.dialbalance.coordination.zookeeper;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.coordination.CoordinationSettings;
import org.dialbalance.api.coordination.Coordinator;
import org.dialbalance.api.coordination.CoordinatorProvider;

/**
 * {@code coordination = zookeeper}: campaign-group ownership on Apache ZooKeeper through Apache Curator (see
 * {@link ZooKeeperCoordinator}). Options in {@code coordination-options.zookeeper}: {@code connect-string} (required),
 * {@code namespace}, {@code session-timeout}, {@code connection-timeout}, {@code dialer-id}, {@code preferred-groups}, {@code shared-config}.
 * Creating one connects nowhere; {@code start} does.
 */
public final class ZooKeeperCoordinatorProvider implements CoordinatorProvider {

    /** The value of {@code coordination} that selects it. */
    public static final String NAME = "zookeeper";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<Coordinator> create(CoordinationSettings settings) {
        return ZooKeeperOptions.parse(settings).map(options -> new ZooKeeperCoordinator(options, settings.campaignGroups()));
    }
}
