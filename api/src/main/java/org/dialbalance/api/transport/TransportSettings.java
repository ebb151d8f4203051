package org.dialbalance.api.transport;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.dialbalance.api.Stable;

/**
 * Connection settings every transport receives, taken from configuration.
 *
 * @param applicationName   how this client introduces itself to servers (ApplicationName)
 * @param connectTimeout    how long one connection attempt, handshake included, may take; positive
 * @param requestTimeout    how long a written request may wait for its reply; positive
 * @param addpTimeout       {@code addp-timeout}: after this long without receiving anything this side
 *                          polls the server with a keep-alive, and if nothing arrives within this long
 *                          again it declares the link down (so after twice this of silence);
 *                          {@link Duration#ZERO} turns keep-alive off
 * @param addpRemoteTimeout {@code addp-remote-timeout}: the interval the server is asked to use for
 *                          polling this side; zero for none. It does not change when this side declares
 *                          a link down
 * @param addpTrace         {@code addp-trace}: which keep-alive messages are logged
 * @param maxPendingPerLink how many written requests may await replies on one link; a request beyond
 *                          that fails at once with {@code PENDING_LIMIT}; positive
 * @param options           the transport's own options ({@code transport-options.<name>}), by key
 */
@Stable(since = "0.1")
public record TransportSettings(String applicationName, Duration connectTimeout, Duration requestTimeout,
                                Duration addpTimeout, Duration addpRemoteTimeout, AddpTrace addpTrace,
                                int maxPendingPerLink, Map<String, String> options) {

    /** @throws IllegalArgumentException on a blank name, non-positive or negative durations, or a non-positive limit */
    public TransportSettings {
        Objects.requireNonNull(applicationName, "applicationName");
        Objects.requireNonNull(addpTrace, "addpTrace");
        if (applicationName.isBlank()) {
            throw new IllegalArgumentException("applicationName must not be blank");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requireNotNegative(addpTimeout, "addpTimeout");
        requireNotNegative(addpRemoteTimeout, "addpRemoteTimeout");
        if (maxPendingPerLink <= 0) {
            throw new IllegalArgumentException("maxPendingPerLink must be positive, got " + maxPendingPerLink);
        }
        options = Map.copyOf(options);
    }

    /** Whether keep-alive is on. */
    public boolean addpEnabled() {
        return !addpTimeout.isZero();
    }

    private static void requirePositive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    private static void requireNotNegative(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + value);
        }
    }
}
