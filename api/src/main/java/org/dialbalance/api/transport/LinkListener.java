package org.dialbalance.api.transport;

import org.dialbalance.api.Stable;
import org.dialbalance.api.TelephonyEvent;

/**
 * Receives what happens on one link after it opened. Called on a transport thread, in order; must not
 * block.
 */
@Stable(since = "0.1")
public interface LinkListener {

    /** An unsolicited event from the server (not a reply to a request). */
    void onEvent(TelephonyEvent event);

    /**
     * The link closed: by the peer, by a network error, by a keep-alive timeout, by a protocol
     * violation, or by {@link Link#close()}. Called exactly once per link, after all its pending sends
     * completed; no call follows it.
     *
     * @param reason why, for logs and operators
     */
    void onClosed(String reason);
}
