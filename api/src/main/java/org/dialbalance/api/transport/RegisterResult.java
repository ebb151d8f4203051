package org.dialbalance.api.transport;

import java.util.Objects;

import org.dialbalance.api.Stable;

/**
 * How a {@code TRegisterAddress} for one DN ended.
 *
 * @param dn         the DN
 * @param registered whether the server answered EventRegistered
 * @param detail     the server's error or the reason nothing was sent; empty when registered
 */
@Stable(since = "0.1")
public record RegisterResult(String dn, boolean registered, String detail) {
    /** Requires every field. */
    public RegisterResult {
        Objects.requireNonNull(dn, "dn");
        Objects.requireNonNull(detail, "detail");
    }
}
