package org.dialbalance.api;

import java.util.Locale;
import java.util.Optional;

/**
 * The dialing mode of a campaign group, as the outbound server names them. The five regular modes
 * are balanced per request; the two seizing (ASM, "engaged agent") modes pin a campaign group to
 * one dialer node.
 */
@Stable(since = "0.1")
public enum DialingMode {
    /** Progressive: regular. */
    PROGRESSIVE("progressive", false),
    /** Predictive: regular. */
    PREDICTIVE("predictive", false),
    /** Progressive GVP: regular. */
    PROGRESSIVE_GVP("progressive-gvp", false),
    /** Predictive GVP: regular. */
    PREDICTIVE_GVP("predictive-gvp", false),
    /** Power GVP: regular. */
    POWER_GVP("power-gvp", false),
    /** Progressive with Seizing: ASM. */
    PROGRESSIVE_SEIZING("progressive-seizing", true),
    /** Predictive with Seizing: ASM. */
    PREDICTIVE_SEIZING("predictive-seizing", true);

    private final String configName;
    private final boolean seizing;

    DialingMode(String configName, boolean seizing) {
        this.configName = configName;
        this.seizing = seizing;
    }

    /** Whether this is an ASM (seizing) mode, whose groups dial on a single dialer node. */
    public boolean isSeizing() {
        return seizing;
    }

    /** The spelling used in configuration, for example {@code predictive-seizing}. */
    public String configName() {
        return configName;
    }

    /**
     * Parses a configuration spelling. Case, spaces and underscores are forgiven, so
     * {@code "Predictive with Seizing"}, {@code PREDICTIVE_SEIZING} and {@code predictive-seizing}
     * all name the same mode.
     *
     * @return the mode, or empty if {@code value} names none
     */
    public static Optional<DialingMode> fromConfigName(String value) {
        String normalized = value.trim().toLowerCase(Locale.ROOT)
                .replace(" with ", "-").replace('_', '-').replace(' ', '-');
        for (DialingMode mode : values()) {
            if (mode.configName.equals(normalized)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
