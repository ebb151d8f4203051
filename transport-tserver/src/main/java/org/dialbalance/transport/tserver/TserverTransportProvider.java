package org.dialbalance.transport.tserver;

import java.util.List;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.Stable;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.api.transport.TransportProvider;
import org.dialbalance.api.transport.TransportSettings;

import io.netty.handler.ssl.SslContext;

/**
 * Provides {@code tserver}, the default transport: the protocol of {@code PROTOCOL.md} over TCP, optionally
 * TLS, on Netty. Options ({@code transport-options.tserver}): {@code max-frame-size}, {@code io-threads}, {@code max-tracked-calls},
 * {@code tls.enabled}, {@code tls.trust-store}, {@code tls.trust-store-password}, {@code tls.key-store},
 * {@code tls.key-store-password}.
 */
@Stable(since = "0.1")
public final class TserverTransportProvider implements TransportProvider {

    /** The name {@code transport} selects. */
    public static final String NAME = "tserver";

    /** Used by {@link java.util.ServiceLoader}. */
    public TserverTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigResult<Transport> create(TransportSettings settings) {
        List<ConfigProblem> problems = new java.util.ArrayList<>();
        TserverOptions options = TserverOptions.parse(settings.options(), problems);
        SslContext ssl = null;
        if (problems.isEmpty() && options.tlsEnabled()) {
            ssl = TlsContexts.client(options, problems);
        }
        if (!problems.isEmpty()) {
            return new ConfigResult.Invalid<>(problems);
        }
        return ConfigResult.valid(new TserverTransport(settings, options, ssl));
    }
}
