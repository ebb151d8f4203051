package org.dialbalance.transport.tserver;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The ConnIDs of the calls dialed through one node, on either of its links, so that their events are told
 * apart from DN-level events. Shared by the node's primary and backup links: the two applications of a
 * node are one SIP Server pair and both know the node's calls, so a call dialed through the primary is
 * still this client's call when its events come from the backup after a switch-over.
 *
 * <p>Bounded in count and in bytes: a call leaves when its EventReleased arrives, and a server that never
 * reports the release (no client registered the DN, or the event was lost) must not make the set grow for
 * the life of the process. Past {@code limit} calls the oldest is forgotten; its later events are then
 * treated as DN-level (passed on from the prime node only). The links never add a ConnID longer than
 * {@link org.dialbalance.transport.tserver.protocol.FrameCodec#MAX_CONN_ID_BYTES} bytes (a longer one is a
 * protocol violation that closes the link), so a full set holds at most {@code limit} such strings.
 * Thread-safe.
 */
final class DialedCalls {

    private final int limit;
    private final LinkedHashSet<String> calls = new LinkedHashSet<>();
    private long forgotten;

    DialedCalls(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Remembers a dialed call.
     *
     * @return how many calls have been forgotten so far to stay within the limit, this one included if it
     *         made room (so the first eviction returns 1)
     */
    synchronized long add(String connId) {
        if (connId.isEmpty() || !calls.add(connId) || calls.size() <= limit) {
            return 0;
        }
        Iterator<String> oldest = calls.iterator();
        oldest.next();
        oldest.remove();
        return ++forgotten;
    }

    /** Whether the call is one dialed through this node and not seen released (or forgotten). */
    synchronized boolean contains(String connId) {
        return calls.contains(connId);
    }

    /** Forgets a released call. */
    synchronized void remove(String connId) {
        calls.remove(connId);
    }

    /** Calls remembered now. */
    synchronized int size() {
        return calls.size();
    }
}
