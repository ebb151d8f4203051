package org.dialbalance.api.transport;

import java.util.concurrent.CompletionStage;

import org.dialbalance.api.Stable;

/**
 * Opens links to server applications. A transport only has to do one link well: primary/backup
 * switching, reconnection and routing live in the framework's core.
 *
 * <p>Thread-safe. Owns whatever threads it needs and releases all of them in {@link #close()}.
 */
@Stable(since = "0.1")
public interface Transport extends AutoCloseable {

    /**
     * Starts one connection attempt: connect, register as a client, start keep-alive.
     *
     * @param target   what to connect to
     * @param listener receives the link's events once it is open
     * @return completes with the open link, or exceptionally (for example with a
     *         {@link java.net.ConnectException} or a timeout) if the attempt failed; in that case the
     *         listener is never called
     */
    CompletionStage<Link> connect(LinkTarget target, LinkListener listener);

    /**
     * Closes every link this transport opened (each listener gets {@code onClosed}) and releases every
     * thread. Idempotent; {@link #connect} fails afterwards.
     */
    @Override
    void close();
}
