package org.dialbalance.api;

import java.util.Objects;

/**
 * Where one SIP Server application of a node listens.
 *
 * @param host host name or address, never blank
 * @param port TCP port, 1 to 65535
 * @param kind which port of the node this is
 */
@Stable(since = "0.1")
public record Endpoint(String host, int port, PortKind kind) {

    /** @throws IllegalArgumentException on a blank host or a port outside 1..65535 */
    public Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kind, "kind");
        if (host.isBlank()) {
            throw new IllegalArgumentException("an endpoint host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("an endpoint port must be 1..65535, got " + port);
        }
    }

    /** {@code host:port (kind)}, for logs and error messages. */
    @Override
    public String toString() {
        return host + ":" + port + " (" + kind.configName() + ")";
    }
}
