package org.dialbalance.harness.property;

/**
 * The configurations an {@link Action.Reconfigure} reloads: each is the case's own configuration with one change (or
 * none: {@link #BASE}), so any two of them differ by a small diff and a sequence can go back and forth between them.
 * The two invalid ones also add a node, so that "nothing was applied" is visible; a balancer must refuse them whole.
 * See {@link ClusterCase#configuration(ConfigVariant)}.
 */
public enum ConfigVariant {
    /** The case's configuration as it started. */
    BASE("the configuration as it started"),
    /** A node added at the end: the case's nodes and one more (with a backup). */
    ADD_NODE("a node added"),
    /** The node before the prime (in configured order) removed (needs two nodes). */
    REMOVE_NODE("the node before the prime removed"),
    /** The prime moved to the node after it (needs two nodes). */
    CHANGE_PRIME("the prime moved to the next node"),
    /**
     * Every seizing group's {@code sip-cluster-asm-dial-node} changed: a configured dialer moves to the next node, an
     * unknown one names the first node.
     */
    MOVE_ASM_DIALER("every ASM group's sip-cluster-asm-dial-node moved"),
    /** Only a timeout changed: {@code reconnect-timeout} halved. */
    RECONNECT_TIMEOUT("reconnect-timeout halved (a timeout only)"),
    /** Invalid: a node added, and an lb-mode no policy has; refused whole. */
    INVALID_POLICY("INVALID: a node added and an unknown sip-cluster-lb-mode"),
    /** Invalid for a running balancer: a node added, and request-timeout changed (takes effect only at start); refused whole. */
    INVALID_RESTART_ONLY("INVALID: a node added and request-timeout changed (restart only)");

    private final String description;

    ConfigVariant(String description) {
        this.description = description;
    }

    /** How reports name it. */
    public String description() {
        return description;
    }

    /** Whether a case of {@code nodes} nodes has this variant (removing a node or moving the prime needs two). */
    public boolean appliesTo(int nodes) {
        return nodes >= 2 || (this != REMOVE_NODE && this != CHANGE_PRIME);
    }
}
