package org.dialbalance.api;

import java.util.Map;
import java.util.Objects;

/**
 * An unsolicited event a server sent on a link (anything that is not the reply to a request).
 *
 * <p>{@link Scope#DN} events concern a monitored DN (registered with {@code TRegisterAddress}); the
 * framework passes them to host listeners only when they come from the prime node's serving link,
 * because the prime carries all DN-level events. {@link Scope#CALL} events concern a call this
 * client dialed on that link (for example its EventEstablished) and are passed on from any node.
 *
 * @param node       the node whose link carried the event
 * @param via        which of the node's links
 * @param scope      DN-level or call-level
 * @param name       the event name, for example {@code EventEstablished}
 * @param thisDn     the DN the event is about, or empty
 * @param connId     the call's ConnID, or empty
 * @param attributes other attributes and user data, by name
 */
@Stable(since = "0.1")
public record TelephonyEvent(NodeId node, LinkRole via, Scope scope, String name, String thisDn, String connId,
                             Map<String, String> attributes) {

    /** Whether an event is about a monitored DN or about a call this client placed. */
    public enum Scope {
        /** About a monitored DN; delivered from the prime node only. */
        DN,
        /** About a call placed through this link; delivered from any node. */
        CALL
    }

    /** Requires every field; copies the attributes. */
    public TelephonyEvent {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(thisDn, "thisDn");
        Objects.requireNonNull(connId, "connId");
        attributes = Map.copyOf(attributes);
    }
}
