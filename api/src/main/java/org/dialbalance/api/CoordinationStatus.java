package org.dialbalance.api;

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
 */
@Experimental(reason = "new in 0.4: fields may be added")
public record CoordinationStatus(String coordinator, String dialerId, boolean connected, Map<String, Long> owned,
                                 String detail) {

    /** Requires every field; copies and sorts the owned groups. */
    public CoordinationStatus {
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(dialerId, "dialerId");
        Objects.requireNonNull(detail, "detail");
        owned = java.util.Collections.unmodifiableMap(new TreeMap<>(owned));
    }
}
