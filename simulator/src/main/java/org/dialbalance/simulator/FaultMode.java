package org.dialbalance.simulator;

import java.util.Locale;

/** How the fault script is played against the workload. */
enum FaultMode {

    /**
     * Faults are placed in the request stream: before the request at a fault's position is issued, the
     * driver lets every request in flight finish, applies the fault, and waits until the balancer has
     * observed it (its snapshot shows each link of the node as the fault left it) before it goes on. The
     * same scenario and seed then give the same routing, the same per-node counts and the same outcome
     * table on an idle machine and on a loaded one. The default.
     */
    IN_STREAM("in-stream"),

    /**
     * Faults fire at their share of the planned duration (requests / rate), on their own thread, whatever
     * the workload is doing: requests in flight meet the fault, as in production. Realistic, and therefore
     * not reproducible request for request; the verdict is exact either way.
     */
    WALL_CLOCK("wall-clock");

    private final String optionName;

    FaultMode(String optionName) {
        this.optionName = optionName;
    }

    /** The name used on the command line and in scenario files. */
    String optionName() {
        return optionName;
    }

    /**
     * Reads an option value.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    static FaultMode parse(String text) {
        for (FaultMode mode : values()) {
            if (mode.optionName.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("fault mode '" + text + "': expected in-stream or wall-clock");
    }
}
