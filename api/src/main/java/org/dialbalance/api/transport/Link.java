package org.dialbalance.api.transport;

import java.util.concurrent.CompletionStage;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Stable;

/**
 * One open, registered connection to one server application. Created by
 * {@link Transport#connect(LinkTarget, LinkListener)}; never reopened (the framework asks the
 * transport for a new link to reconnect).
 *
 * <p>Thread-safe: {@link #send} and {@link #registerAddress} may be called from any thread and must
 * not block. Returned stages complete on a transport thread and <em>never</em> complete
 * exceptionally: every outcome is a value.
 *
 * <p>Closing contract: when the link closes for any reason, every pending send completes with
 * {@link SendResult.LostAfterWrite} <em>before</em> {@link LinkListener#onClosed(String)} is called,
 * and sends issued afterwards complete with {@link SendResult.NotWritten}.
 */
@Stable(since = "0.1")
public interface Link {

    /** What this link connects to. */
    LinkTarget target();

    /** Whether the link is open; a closed link never opens again. */
    boolean isOpen();

    /**
     * Sends one request ({@code TMakePredictiveCall} or {@code TMakeCall}) with a fresh ReferenceID and
     * completes with the server's reply or with why there was none.
     */
    CompletionStage<SendResult> send(DialRequest request);

    /**
     * Registers a DN ({@code TRegisterAddress}) so the server sends this link its DN-level events.
     */
    CompletionStage<RegisterResult> registerAddress(String dn);

    /** Closes the link; idempotent. Pending sends complete as described above. */
    void close();
}
