package org.dialbalance.api;

import java.util.Optional;

/**
 * Which listening port of a SIP Cluster node a connection uses: the T-Controller port or the
 * Smart Proxy port. Both carry the same protocol; the distinction matters for deployment and is
 * kept so a configuration reads like the outbound server's Connections tab.
 */
@Stable(since = "0.1")
public enum PortKind {
    /** The node's T-Controller port, written {@code TCport} in configuration. */
    TC_PORT("TCport"),
    /** The node's Smart Proxy port, written {@code SmartProxy} in configuration. */
    SMART_PROXY("SmartProxy");

    private final String configName;

    PortKind(String configName) {
        this.configName = configName;
    }

    /** The spelling used in configuration files: {@code TCport} or {@code SmartProxy}. */
    public String configName() {
        return configName;
    }

    /**
     * Parses the configuration spelling, ignoring case.
     *
     * @return the kind, or empty if {@code value} names neither kind
     */
    public static Optional<PortKind> fromConfigName(String value) {
        for (PortKind kind : values()) {
            if (kind.configName.equalsIgnoreCase(value)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
