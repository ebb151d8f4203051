package org.dialbalance.benchmarks.coordination;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.CoordinationStatus;
import org.dialbalance.api.coordination.CoordinationSettings;
import org.dialbalance.api.coordination.Coordinator;
import org.dialbalance.api.coordination.CoordinatorProvider;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.api.coordination.OwnershipListener;

/**
 * A benchmark-only coordinator, {@code coordination = owns-every-group}: owns every configured campaign group with the
 * fencing token {@value #TOKEN} (a ZooKeeper {@code czxid} of epoch 1, as large as the real coordinator's tokens), and
 * reports each as taken at start. It answers {@link #fencingToken} exactly as {@code ZooKeeperCoordinator} does — one
 * read of an immutable map behind a volatile field — so that a benchmark with it measures what coordination costs the
 * dial path without a ZooKeeper. Takes no options. Registered through {@code META-INF/services} of the benchmarks module
 * only (never published).
 */
public final class OwnsEveryGroupProvider implements CoordinatorProvider {

    /** The coordinator's name, for {@code coordination}. */
    public static final String NAME = "owns-every-group";

    /** The token of every group: 0x1_0000_002A. */
    public static final long TOKEN = 4_294_967_338L;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<Coordinator> create(CoordinationSettings settings) {
        if (!settings.options().isEmpty()) {
            return new ConfigResult.Invalid<>(settings.options().entrySet().stream()
                    .map(option -> new ConfigProblem("coordination-options." + NAME + "." + option.getKey(), option.getValue(),
                            "no option: " + NAME + " takes none"))
                    .toList());
        }
        return ConfigResult.valid(new OwnsEveryGroup(settings.campaignGroups()));
    }

    private static final class OwnsEveryGroup implements Coordinator {
        private volatile Map<String, Long> owned;

        OwnsEveryGroup(List<String> groups) {
            owned = tokens(groups);
        }

        private static Map<String, Long> tokens(List<String> groups) {
            Map<String, Long> tokens = new LinkedHashMap<>();
            groups.forEach(group -> tokens.put(group, TOKEN));
            return Map.copyOf(tokens);
        }

        @Override
        public long fencingToken(String campaignGroup) {
            Long token = owned.get(campaignGroup);
            return token == null ? GroupOwnership.NOT_OWNER : token;
        }

        @Override
        public String notOwnerDetail(String campaignGroup) {
            return "campaign group '" + campaignGroup + "' is not configured, so " + NAME + " does not own it";
        }

        @Override
        public void start(OwnershipListener listener) {
            owned.forEach((group, token) -> listener.onOwnershipChanged(group, true, token, NAME));
        }

        @Override
        public void campaignGroupsChanged(List<String> campaignGroups) {
            owned = tokens(campaignGroups);
        }

        @Override
        public CoordinationStatus status() {
            Map<String, Long> now = owned;
            return new CoordinationStatus(NAME, "benchmark", true, now, now.size() + " groups owned");
        }

        @Override
        public void close() {
        }
    }
}
