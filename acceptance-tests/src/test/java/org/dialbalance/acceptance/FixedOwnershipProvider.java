package org.dialbalance.acceptance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.coordination.CoordinationSettings;
import org.dialbalance.api.CoordinationStatus;
import org.dialbalance.api.coordination.Coordinator;
import org.dialbalance.api.coordination.CoordinatorProvider;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.api.coordination.OwnershipListener;

/**
 * A test coordinator, {@code coordination = fixed-ownership}, that owns the groups its options name, each with a fixed
 * token ({@code coordination-options.fixed-ownership { Sales = 7 }}), and reports each as taken at start. The rule
 * test of the dial-path hook; the real coordinator is in {@code coordination-zookeeper}.
 */
public final class FixedOwnershipProvider implements CoordinatorProvider {

    static final String NAME = "fixed-ownership";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<Coordinator> create(CoordinationSettings settings) {
        Map<String, Long> owned = new TreeMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        settings.options().forEach((group, token) -> {
            try {
                owned.put(group, Long.parseLong(token));
            } catch (NumberFormatException e) {
                problems.add(new ConfigProblem("coordination-options." + NAME + "." + group, token, "a fencing token"));
            }
        });
        return problems.isEmpty() ? ConfigResult.valid(new Fixed(Map.copyOf(owned))) : new ConfigResult.Invalid<>(problems);
    }

    private static final class Fixed implements Coordinator {
        private final Map<String, Long> owned;

        Fixed(Map<String, Long> owned) {
            this.owned = owned;
        }

        @Override
        public long fencingToken(String campaignGroup) {
            return owned.getOrDefault(campaignGroup, GroupOwnership.NOT_OWNER);
        }

        @Override
        public String notOwnerDetail(String campaignGroup) {
            return "campaign group '" + campaignGroup + "' is owned by another dialer";
        }

        @Override
        public void start(OwnershipListener listener) {
            owned.forEach((group, token) -> listener.onOwnershipChanged(group, true, token, "fixed"));
        }

        @Override
        public CoordinationStatus status() {
            return new CoordinationStatus(NAME, "test", true, owned, owned.size() + " groups owned");
        }

        @Override
        public void close() {
        }
    }
}
