package org.dialbalance.harness.model;

import java.util.ArrayList;
import java.util.List;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;

/**
 * The outbound server's rules, written as plainly as they read, with no code of the framework's own:
 * what each node's links are, which link serves it, and where each request must go. The property engine
 * runs it next to the real system and compares after every step.
 *
 * <ul>
 *   <li>A node is active while its primary or its backup link is up. The link that serves it keeps serving
 *       while up; when it goes down the other serves if up; when a link comes up on an inactive node, it
 *       serves.</li>
 *   <li>The prime inactive: every request is held, PRIME_NODE_DOWN.</li>
 *   <li>No lb-mode: every request dials on the prime.</li>
 *   <li>Seizing group: its dialer node is the one its agent group names if that node is configured, else
 *       the prime; dialer inactive: held, DIALER_NODE_DOWN.</li>
 *   <li>Regular group: the subsequent active node after the one the previous regular request went to, in
 *       configured order, wrapping around.</li>
 *   <li>Transport faults ({@link #dial(CampaignGroup, TransportFault)}): a request found not written is routed
 *       once more, never twice; a written request is never sent again, and ends in exactly one outcome.</li>
 * </ul>
 */
public final class ReferenceModel {

    /**
     * What the model says should happen to one request.
     *
     * @param node    position of the node it must dial on (or, failed, the node it was last sent to or meant for),
     *                or -1 when held
     * @param via     the link it must go out on, or {@code null} when held
     * @param hold    the hold reason, or {@code null} when not held
     * @param failure the failure reason, or {@code null} when not failed
     * @param routes  how many times it is routed: 1, or 2 after a first link found gone before the write
     * @param sends   how many times servers receive it: 0 or 1, never more
     */
    public record Expectation(int node, LinkRole via, HoldReason hold, FailureReason failure, int routes, int sends) {
        /** A request routed once, dialed ({@code hold == null}) or held. */
        public Expectation(int node, LinkRole via, HoldReason hold) {
            this(node, via, hold, null, 1, hold == null ? 1 : 0);
        }

        /** Whether the request must be dialed. */
        public boolean dialed() {
            return hold == null && failure == null;
        }

        /** The outcome in the words {@link #describe} uses for the real one. */
        @Override
        public String toString() {
            return hold != null ? "held " + hold : failure != null ? "failed " + failure + " on node #" + node
                    : "dialed on node #" + node + " via " + via + (routes == 2 ? " (second route)" : "");
        }
    }

    /** An outcome in the words of {@link Expectation#toString()}, for comparing the real system's with the model's. */
    public static String describe(org.dialbalance.api.DialOutcome outcome, List<NodeId> configured) {
        if (outcome instanceof org.dialbalance.api.DialOutcome.Dialed dialed) {
            return "dialed on node #" + configured.indexOf(dialed.node()) + " via " + dialed.via()
                    + (dialed.routeAttempts() == 2 ? " (second route)" : "");
        }
        if (outcome instanceof org.dialbalance.api.DialOutcome.Held held) {
            return "held " + held.reason();
        }
        org.dialbalance.api.DialOutcome.Failed failed = (org.dialbalance.api.DialOutcome.Failed) outcome;
        return "failed " + failed.reason() + " on node #" + failed.node().map(configured::indexOf).orElse(-1);
    }

    private final boolean[] hasBackup;
    private final boolean[] primaryUp;
    private final boolean[] backupUp;
    private final LinkRole[] serving;
    private final int prime;
    private final boolean balancing;
    private final List<NodeId> configured;
    private int lastRoundRobin = -1;

    /**
     * Every node starts with its links up, served by its primary.
     *
     * @param hasBackup  per node, whether it has a backup
     * @param prime      position of the prime
     * @param balancing  whether {@code sip-cluster-lb-mode} is set
     * @param configured the DBIDs of the nodes, in order
     */
    public ReferenceModel(List<Boolean> hasBackup, int prime, boolean balancing, List<NodeId> configured) {
        int count = hasBackup.size();
        this.hasBackup = new boolean[count];
        this.primaryUp = new boolean[count];
        this.backupUp = new boolean[count];
        this.serving = new LinkRole[count];
        for (int i = 0; i < count; i++) {
            this.hasBackup[i] = hasBackup.get(i);
            primaryUp[i] = true;
            backupUp[i] = hasBackup.get(i);
            serving[i] = LinkRole.PRIMARY;
        }
        this.prime = prime;
        this.balancing = balancing;
        this.configured = List.copyOf(configured);
    }

    /** A link goes down. */
    public void down(int node, LinkRole role) {
        if (role == LinkRole.BACKUP && !hasBackup[node]) {
            return;
        }
        setUp(node, role, false);
        if (serving[node] == role) {
            serving[node] = isUp(node, role.other()) ? role.other() : null;
        }
    }

    /** A link comes up. */
    public void up(int node, LinkRole role) {
        if (role == LinkRole.BACKUP && !hasBackup[node]) {
            return;
        }
        setUp(node, role, true);
        if (serving[node] == null) {
            serving[node] = role;
        }
    }

    /** Where a request must go, advancing the round-robin when it is a regular request that dials. */
    public Expectation dial(CampaignGroup group) {
        if (!isActive(prime)) {
            return new Expectation(-1, null, HoldReason.PRIME_NODE_DOWN);
        }
        if (!balancing) {
            return new Expectation(prime, serving[prime], null);
        }
        if (group.mode().isSeizing()) {
            int dialer = prime;
            if (group.asmDialNode().isPresent() && configured.contains(group.asmDialNode().get())) {
                dialer = configured.indexOf(group.asmDialNode().get());
            }
            if (!isActive(dialer)) {
                return new Expectation(-1, null, HoldReason.DIALER_NODE_DOWN);
            }
            return new Expectation(dialer, serving[dialer], null);
        }
        int next = lastRoundRobin;
        do {
            next = (next + 1) % serving.length;
        } while (!isActive(next));
        lastRoundRobin = next;
        return new Expectation(next, serving[next], null);
    }

    /**
     * Where a request that meets a transport fault must end, with the links the fault takes down:
     * <ul>
     *   <li>link found gone before the write: that link goes down, and the request is routed once more on
     *       what is left (another turn of the rotation) — never a third time: gone again ⇒ failed NOT_SENT,
     *       nothing received anywhere;</li>
     *   <li>lost after the write: that link goes down; failed LINK_LOST_AFTER_WRITE, received once, never
     *       re-sent;</li>
     *   <li>no reply, or a reply after the request-timeout: failed TIMEOUT, received once; the late reply
     *       makes no second outcome;</li>
     *   <li>a transport whose send stage fails after the write: failed LINK_LOST_AFTER_WRITE, received once.</li>
     * </ul>
     * A request the rules hold meets no fault: nothing is sent.
     */
    public Expectation dial(CampaignGroup group, TransportFault fault) {
        Expectation first = dial(group);
        if (!first.dialed()) {
            return first;
        }
        switch (fault) {
            case NOT_WRITTEN, NOT_WRITTEN_TWICE -> {
                down(first.node(), first.via());
                Expectation second = dial(group);
                if (!second.dialed()) {
                    return new Expectation(-1, null, second.hold(), null, 2, 0);
                }
                if (fault == TransportFault.NOT_WRITTEN) {
                    return new Expectation(second.node(), second.via(), null, null, 2, 1);
                }
                down(second.node(), second.via());
                return new Expectation(second.node(), second.via(), null, FailureReason.NOT_SENT, 2, 0);
            }
            case LOST_AFTER_WRITE -> {
                down(first.node(), first.via());
                return new Expectation(first.node(), first.via(), null, FailureReason.LINK_LOST_AFTER_WRITE, 1, 1);
            }
            case STAGE_FAILS -> {
                return new Expectation(first.node(), first.via(), null, FailureReason.LINK_LOST_AFTER_WRITE, 1, 1);
            }
            default -> {
                return new Expectation(first.node(), first.via(), null, FailureReason.TIMEOUT, 1, 1);
            }
        }
    }

    /** Whether a node is active. */
    public boolean isActive(int node) {
        return serving[node] != null;
    }

    /** Whether a link is up. */
    public boolean isUp(int node, LinkRole role) {
        return role == LinkRole.PRIMARY ? primaryUp[node] : backupUp[node];
    }

    /** The link that serves a node, or {@code null}. */
    public LinkRole serving(int node) {
        return serving[node];
    }

    /** Positions of the active nodes, in order. */
    public List<Integer> activeNodes() {
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < serving.length; i++) {
            if (serving[i] != null) {
                active.add(i);
            }
        }
        return active;
    }

    /** How many nodes. */
    public int nodeCount() {
        return serving.length;
    }

    /** Position of the prime. */
    public int prime() {
        return prime;
    }

    /** Whether the node has a backup. */
    public boolean hasBackup(int node) {
        return hasBackup[node];
    }

    private void setUp(int node, LinkRole role, boolean value) {
        if (role == LinkRole.PRIMARY) {
            primaryUp[node] = value;
        } else {
            backupUp[node] = value;
        }
    }
}
