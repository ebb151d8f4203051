package org.dialbalance.transport.tserver.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * The messages of the tserver protocol, numbered as in T-Library where T-Library has the message; the
 * numbers from 1000 up are this protocol's own (registration reply and keep-alive). See PROTOCOL.md.
 */
public enum MessageType {
    /** Client → server: register as a client (first message of a link). */
    REQUEST_REGISTER_CLIENT(0),
    /** Client → server: send me the DN-level events of a DN. */
    REQUEST_REGISTER_ADDRESS(3),
    /** Client → server: make a call from ThisDN to OtherDN (an engaging call). */
    REQUEST_MAKE_CALL(14),
    /** Client → server: make a predictive (outbound) call. */
    REQUEST_MAKE_PREDICTIVE_CALL(15),
    /** Server → client: a request failed; carries the request's ReferenceID. */
    EVENT_ERROR(52),
    /** Server → client: a DN was registered; carries the request's ReferenceID. */
    EVENT_REGISTERED(53),
    /** Server → client: a DN rings (a DN-level event). */
    EVENT_RINGING(60),
    /** Server → client: a requested call is being dialed; the reply to a make-call request. */
    EVENT_DIALING(61),
    /** Server → client: a call was answered. */
    EVENT_ESTABLISHED(64),
    /** Server → client: a call ended. */
    EVENT_RELEASED(65),
    /** Server → client: the server is about to close the link. */
    EVENT_LINK_DISCONNECTED(94),
    /** Server → client: registration accepted; the link is open. */
    EVENT_LINK_CONNECTED(95),
    /** Either side: keep-alive probe. */
    KEEP_ALIVE_PING(1000),
    /** Either side: answer to a keep-alive probe. */
    KEEP_ALIVE_PONG(1001);

    private static final Map<Integer, MessageType> BY_ID = new HashMap<>();

    static {
        for (MessageType type : values()) {
            BY_ID.put(type.id, type);
        }
    }

    private final int id;

    MessageType(int id) {
        this.id = id;
    }

    /** The number on the wire. */
    public int id() {
        return id;
    }

    /** The type with this number, or {@code null}. */
    public static MessageType byId(int id) {
        return BY_ID.get(id);
    }
}
