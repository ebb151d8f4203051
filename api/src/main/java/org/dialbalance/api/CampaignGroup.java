package org.dialbalance.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A campaign group: a campaign running on an agent group in one dialing mode.
 *
 * <p>{@code asmDialNode} is the agent group's {@code sip-cluster-asm-dial-node} option as configured.
 * It is only consulted in seizing modes; a value that names no configured node makes the group dial
 * on the prime node (the outbound server's documented fallback), which is not an error.
 *
 * @param name        the campaign group's name, never blank; unique within one configuration
 * @param mode        the dialing mode
 * @param agentGroup  the agent group the campaign runs on, never blank
 * @param asmDialNode the agent group's {@code sip-cluster-asm-dial-node}, if set
 */
@Stable(since = "0.1")
public record CampaignGroup(String name, DialingMode mode, String agentGroup, Optional<NodeId> asmDialNode) {

    /** @throws IllegalArgumentException on a blank name or agent group */
    public CampaignGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(agentGroup, "agentGroup");
        Objects.requireNonNull(asmDialNode, "asmDialNode");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a campaign group needs a non-blank name");
        }
        if (agentGroup.isBlank()) {
            throw new IllegalArgumentException("campaign group '" + name + "' needs a non-blank agent group");
        }
    }

    /** A group in a regular mode (or a seizing one without a configured dialer node). */
    public static CampaignGroup of(String name, DialingMode mode, String agentGroup) {
        return new CampaignGroup(name, mode, agentGroup, Optional.empty());
    }

    /** A group whose agent group sets {@code sip-cluster-asm-dial-node}. */
    public static CampaignGroup of(String name, DialingMode mode, String agentGroup, NodeId asmDialNode) {
        return new CampaignGroup(name, mode, agentGroup, Optional.of(asmDialNode));
    }
}
