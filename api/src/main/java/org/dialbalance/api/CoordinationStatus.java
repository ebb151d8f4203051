package org.dialbalance.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A coordinator's state at one moment, for {@code health()}. Immutable.
 *
 * @param coordinator the coordinator's name, e.g. {@code zookeeper}
 * @param dialerId    how this dialer is known to the other dialers
 * @param connected   whether the coordination service is reachable now; while it is not, this dialer owns nothing
 * @param owned       the groups this dialer owns now, with their fencing tokens, sorted by name
 * @param detail      the state in words, e.g. {@code "connected to 127.0.0.1:2181, 2 of 4 groups owned"}
 * @param sharedConfiguration the state of the cluster configuration shared by the dialers, in words: {@code "off"}
 *                    when this dialer does not follow one, otherwise which shared version runs and, when the newest
 *                    was refused, its problems (since 0.4)
 * @param nodeViews   what the dialers that publish their view of the links see of each node, by node, sorted by
 *                    node: which dialers see it active and which see it inactive (no link up); empty when no view
 *                    is known (since 0.4)
 */
@Experimental(reason = "new in 0.4: fields may be added")
public record CoordinationStatus(String coordinator, String dialerId, boolean connected, Map<String, Long> owned,
                                 String detail, String sharedConfiguration, Map<NodeId, NodeView> nodeViews) {

    /** Requires every field; copies and sorts the owned groups and the node views. */
    public CoordinationStatus {
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(dialerId, "dialerId");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(sharedConfiguration, "sharedConfiguration");
        owned = java.util.Collections.unmodifiableMap(new TreeMap<>(owned));
        nodeViews = java.util.Collections.unmodifiableMap(new TreeMap<>(nodeViews));
    }

    /** A status without a shared configuration ({@code "off"}) and without node views. */
    public CoordinationStatus(String coordinator, String dialerId, boolean connected, Map<String, Long> owned, String detail) {
        this(coordinator, dialerId, connected, owned, detail, "off", Map.of());
    }

    /**
     * How the dialers see one node, from the views they publish.
     *
     * @param upFor   the dialers that see one of its links up, sorted
     * @param downFor the dialers that see none of its links up, sorted
     */
    @Experimental(reason = "new in 0.4: fields may be added")
    public record NodeView(List<String> upFor, List<String> downFor) {

        /** Requires both lists; copies and sorts them. */
        public NodeView {
            upFor = upFor.stream().sorted().toList();
            downFor = downFor.stream().sorted().toList();
        }

        /** Whether every dialer that published a view of the node sees it down (and at least one does). */
        public boolean downForEveryone() {
            return upFor.isEmpty() && !downFor.isEmpty();
        }
    }
}
