package org.dialbalance.harness.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *   <li>Operations: a draining node is not active (no new request goes to it; a seizing group whose dialer it is
 *       is held DIALER_NODE_DOWN); it has drained (DrainFinished, once) when no request awaits its reply and no call
 *       is in progress on it (calls are forgotten when both its links are down); draining the prime or a node not
 *       configured is refused; enable brings it back (NodeEnabled). A reload ({@link #reconfigure}) is refused whole
 *       when invalid, within a second of the last applied one, or naming a draining node as the prime; applied, it
 *       keeps configured nodes' links and drains, connects added nodes, drains removed ones (their requests in flight
 *       and calls go on; their links never reconnect and close once drained), carries the rotation on by node, and
 *       routes from the next request with the new prime and dialer nodes; one more version per reload that changes
 *       something.</li>
 *   <li>Requests in flight ({@link #dialInFlight}) end exactly once: dialed when answered, LINK_LOST_AFTER_WRITE when
 *       their link closes, TIMEOUT at their request-timeout — never by a drain or a reload.</li>
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

    /**
     * A configuration as the model reads it (see {@code ClusterCase.configuration}).
     *
     * @param nodes            positions of the configured nodes, in configured order
     * @param prime            position of the prime node
     * @param groups           the campaign groups as configured (a request is made with these)
     * @param reconnectTimeout {@code reconnect-timeout}
     * @param refusal          {@code null} for a valid configuration; otherwise the option a running balancer must
     *                         refuse it for
     */
    public record Configuration(List<Integer> nodes, int prime, List<CampaignGroup> groups, Duration reconnectTimeout,
                                String refusal) {
        /** Copies the lists. */
        public Configuration {
            nodes = List.copyOf(nodes);
            groups = List.copyOf(groups);
        }
    }

    /**
     * A request in flight whose outcome came during the last step.
     *
     * @param request the step (from 0) of the request
     * @param outcome its outcome in the words of {@link #describe}
     */
    public record Completion(int request, String outcome) {
    }

    /**
     * What a reload does.
     *
     * @param applied    whether it is applied (an equal configuration is applied and changes nothing)
     * @param version    the configuration version after it
     * @param changed    whether it changed anything (then the version went up by one)
     * @param refusedFor for a refused reload, the options it is refused for ({@code reconfigure} for the rate limit,
     *                   {@code sip-cluster-prime-node} for a draining prime, or the invalid configuration's option)
     */
    public record Reload(boolean applied, long version, boolean changed, java.util.Set<String> refusedFor) {
    }

    /** One connection to a node: what a configured (or a removed, retiring) node has. */
    private static final class Conn {
        final int node;
        final boolean[] up = new boolean[2];
        LinkRole serving;
        boolean retired;
        int awaiting;
        final List<Integer> calls = new ArrayList<>();
        boolean draining;
        boolean finished;

        Conn(int node) {
            this.node = node;
        }

        boolean idle() {
            return awaiting == 0 && calls.isEmpty();
        }
    }

    private record InFlight(int request, Conn conn, LinkRole via, long deadline) {
    }

    private final boolean[] hasBackup;
    private final boolean[][] reachable;
    private final boolean balancing;
    private final List<NodeId> universe;
    private final long requestTimeoutNanos;
    /** Configured nodes' connections, in configured order. */
    private Map<Integer, Conn> members = new LinkedHashMap<>();
    /** Removed nodes' connections, draining until nothing is in progress on them; then their links close. */
    private final List<Conn> retiring = new ArrayList<>();
    private Configuration config;
    private int lastRoundRobin = -1;
    private long version = 1;
    private long nowNanos;
    private long lastReloadNanos;
    private boolean reloaded;
    private final List<InFlight> inFlight = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final List<Completion> completions = new ArrayList<>();

    /**
     * Every node starts with its links up, served by its primary; all of them configured, in order.
     *
     * @param hasBackup  per node, whether it has a backup
     * @param prime      position of the prime
     * @param balancing  whether {@code sip-cluster-lb-mode} is set
     * @param configured the DBIDs of the nodes, in order
     */
    public ReferenceModel(List<Boolean> hasBackup, int prime, boolean balancing, List<NodeId> configured) {
        this(hasBackup, balancing, configured, new Configuration(range(hasBackup.size()), prime, List.of(), Duration.ofSeconds(1), null),
                Duration.ofSeconds(5));
    }

    /**
     * A model that also knows operations: drain, enable, reloads, requests in flight and calls in progress, and the
     * time (request-timeouts, the reload rate limit).
     *
     * @param hasBackup      per node of the universe (every node a run can meet), whether it has a backup
     * @param balancing      whether {@code sip-cluster-lb-mode} is set
     * @param universe       the DBIDs of the universe, by position
     * @param initial        the configuration it starts with; its nodes start with their links up, served by their primary
     * @param requestTimeout {@code request-timeout}: a request in flight that long fails TIMEOUT
     */
    public ReferenceModel(List<Boolean> hasBackup, boolean balancing, List<NodeId> universe, Configuration initial,
                          Duration requestTimeout) {
        int count = hasBackup.size();
        this.hasBackup = new boolean[count];
        this.reachable = new boolean[count][2];
        for (int i = 0; i < count; i++) {
            this.hasBackup[i] = hasBackup.get(i);
            reachable[i][0] = true;
            reachable[i][1] = true;
        }
        this.balancing = balancing;
        this.universe = List.copyOf(universe);
        this.requestTimeoutNanos = requestTimeout.toNanos();
        this.config = initial;
        for (int node : initial.nodes()) {
            members.put(node, connect(node));
        }
    }

    private static List<Integer> range(int count) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        return all;
    }

    /** A new connection to a node: each link up if its application is reachable; the primary serves if up. */
    private Conn connect(int node) {
        Conn conn = new Conn(node);
        conn.up[0] = reachable[node][0];
        conn.up[1] = hasBackup[node] && reachable[node][1];
        conn.serving = conn.up[0] ? LinkRole.PRIMARY : conn.up[1] ? LinkRole.BACKUP : null;
        return conn;
    }

    private static int index(LinkRole role) {
        return role == LinkRole.PRIMARY ? 0 : 1;
    }

    /** A link goes down (its application unreachable): requests in flight on it are lost after the write. */
    public void down(int node, LinkRole role) {
        if (role == LinkRole.BACKUP && !hasBackup[node]) {
            return;
        }
        reachable[node][index(role)] = false;
        List<Conn> conns = new ArrayList<>(retiring);
        Conn member = members.get(node);
        if (member != null) {
            conns.add(member);
        }
        conns.sort(java.util.Comparator.comparingInt(conn -> conn.retired ? 0 : 1));     // older links close first
        for (Conn conn : conns) {
            if (conn.node == node) {
                linkDown(conn, role);
            }
        }
    }

    private void linkDown(Conn conn, LinkRole role) {
        if (!conn.up[index(role)]) {
            return;
        }
        for (InFlight request : List.copyOf(inFlight)) {
            if (request.conn() == conn && request.via() == role) {
                end(request, "failed " + FailureReason.LINK_LOST_AFTER_WRITE + " on node #" + conn.node, false);
            }
        }
        conn.up[index(role)] = false;
        if (conn.serving == role) {
            conn.serving = conn.up[index(role.other())] ? role.other() : null;
        }
        if (conn.serving == null) {
            conn.calls.clear();         // their EventReleased cannot reach the client any more
            finishIfIdle(conn);
        }
    }

    /** A link's application is reachable again; a configured node's link reconnects (a removed node's does not). */
    public void up(int node, LinkRole role) {
        if (role == LinkRole.BACKUP && !hasBackup[node]) {
            return;
        }
        reachable[node][index(role)] = true;
        Conn conn = members.get(node);
        if (conn == null) {
            return;
        }
        conn.up[index(role)] = true;
        if (conn.serving == null) {
            conn.serving = role;
        }
    }

    /** Time passes: requests in flight whose request-timeout passes fail TIMEOUT, oldest first. */
    public void advance(Duration duration) {
        nowNanos += duration.toNanos();
        for (InFlight request : List.copyOf(inFlight)) {
            if (request.deadline() <= nowNanos) {
                end(request, "failed " + FailureReason.TIMEOUT + " on node #" + request.conn().node, false);
            }
        }
    }

    /** Where a request must go, advancing the round-robin when it is a regular request that dials. */
    public Expectation dial(CampaignGroup group) {
        int prime = config.prime();
        if (!isActive(prime)) {
            return new Expectation(-1, null, HoldReason.PRIME_NODE_DOWN);
        }
        if (!balancing) {
            return new Expectation(prime, serving(prime), null);
        }
        if (group.mode().isSeizing()) {
            int dialer = prime;
            if (group.asmDialNode().isPresent() && config.nodes().contains(universe.indexOf(group.asmDialNode().get()))) {
                dialer = universe.indexOf(group.asmDialNode().get());
            }
            if (!isActive(dialer)) {
                return new Expectation(-1, null, HoldReason.DIALER_NODE_DOWN);
            }
            return new Expectation(dialer, serving(dialer), null);
        }
        List<Integer> order = config.nodes();
        int at = order.indexOf(lastRoundRobin);
        int next;
        do {
            at = (at + 1) % order.size();
            next = order.get(at);
        } while (!isActive(next));
        lastRoundRobin = next;
        return new Expectation(next, serving(next), null);
    }

    /**
     * A request has had its outcome as expected, at once: a dialed one is a call in progress on its node until it is
     * released or the node loses both links.
     */
    public void settle(int request, Expectation outcome) {
        if (outcome.dialed()) {
            members.get(outcome.node()).calls.add(request);
        }
    }

    /**
     * A request whose reply is still to come: routed as {@link #dial(CampaignGroup)} says; if it is written, it is in
     * flight on its node's serving link until {@link #answerAll()}, that link closing, or its request-timeout.
     */
    public Expectation dialInFlight(int request, CampaignGroup group) {
        Expectation route = dial(group);
        if (route.dialed()) {
            Conn conn = members.get(route.node());
            conn.awaiting++;
            inFlight.add(new InFlight(request, conn, route.via(), nowNanos + requestTimeoutNanos));
        }
        return route;
    }

    /** Whether a request is in flight. */
    public boolean isInFlight(int request) {
        return inFlight.stream().anyMatch(waiting -> waiting.request() == request);
    }

    /** The requests in flight, oldest first. */
    public List<Integer> inFlight() {
        return inFlight.stream().map(InFlight::request).toList();
    }

    /** Every request in flight is answered: dialed where it was sent, a call in progress there. */
    public void answerAll() {
        for (InFlight request : List.copyOf(inFlight)) {
            end(request, "dialed on node #" + request.conn().node + " via " + request.via(), true);
        }
    }

    private void end(InFlight request, String outcome, boolean dialed) {
        inFlight.remove(request);
        Conn conn = request.conn();
        conn.awaiting--;
        if (dialed) {
            conn.calls.add(request.request());
        }
        completions.add(new Completion(request.request(), outcome));
        finishIfIdle(conn);
    }

    /**
     * A node's servers release every call dialed on it (through whichever of its links are open, the connection of
     * a removed node that still drains included).
     *
     * @return the requests whose calls were released
     */
    public List<Integer> release(int node) {
        List<Integer> released = new ArrayList<>();
        List<Conn> conns = new ArrayList<>(retiring);
        if (members.containsKey(node)) {
            conns.add(members.get(node));
        }
        for (Conn conn : conns) {
            if (conn.node == node && conn.serving != null) {
                released.addAll(conn.calls);
                conn.calls.clear();
                finishIfIdle(conn);
            }
        }
        return released;
    }

    /** The calls in progress on a node (its retiring connection's included), by request. */
    public List<Integer> callsInProgress(int node) {
        List<Integer> calls = new ArrayList<>();
        for (Conn conn : retiring) {
            if (conn.node == node) {
                calls.addAll(conn.calls);
            }
        }
        if (members.containsKey(node)) {
            calls.addAll(members.get(node).calls);
        }
        return calls;
    }

    /**
     * An operator drains a node.
     *
     * @return {@code null} when done (or already draining), else why it is refused
     */
    public String drain(int node) {
        Conn conn = members.get(node);
        if (conn == null) {
            return "not a configured node";
        }
        if (node == config.prime()) {
            return "the prime node";
        }
        if (!conn.draining) {
            conn.draining = true;
            conn.finished = false;
            events.add("DrainStarted " + universe.get(node));
            finishIfIdle(conn);
        }
        return null;
    }

    /**
     * An operator enables a node.
     *
     * @return {@code null} when done (or not draining), else why it is refused
     */
    public String enable(int node) {
        Conn conn = members.get(node);
        if (conn == null) {
            return "not a configured node";
        }
        if (conn.draining) {
            conn.draining = false;
            conn.finished = false;
            events.add("NodeEnabled " + universe.get(node));
        }
        return null;
    }

    /**
     * An operator reloads a configuration. Equal to the running one: applied, nothing changes. Otherwise refused, with
     * nothing changed, for each of: a reload within a second of the last applied one ({@code reconfigure}), an invalid
     * configuration (its {@link Configuration#refusal()}), a draining node as the new prime
     * ({@code sip-cluster-prime-node}). Applied: kept nodes keep their links (and their drain); added nodes connect;
     * removed nodes drain (DrainStarted unless draining already), their requests in flight and calls go on, their links
     * close once nothing is in progress; the rotation goes on after the node chosen last, or if it left, after the
     * nearest node before it (in the old order) that remains; the prime and the groups' dialer nodes are the new
     * configuration's from the next request; the version goes up by one (ConfigurationApplied).
     */
    public Reload reconfigure(Configuration next) {
        if (next.equals(config)) {
            return new Reload(true, version, false, java.util.Set.of());
        }
        java.util.Set<String> problems = new java.util.TreeSet<>();
        if (reloaded && nowNanos - lastReloadNanos < Duration.ofSeconds(1).toNanos()) {
            problems.add("reconfigure");
        }
        if (next.refusal() != null) {
            problems.add(next.refusal());
        }
        Conn newPrime = members.get(next.prime());
        if (newPrime != null && newPrime.draining) {
            problems.add("sip-cluster-prime-node");
        }
        if (!problems.isEmpty()) {
            return new Reload(false, version, false, problems);
        }
        List<Integer> oldOrder = config.nodes();
        Map<Integer, Conn> old = members;
        Map<Integer, Conn> updated = new LinkedHashMap<>();
        for (int node : next.nodes()) {
            Conn kept = old.get(node);
            updated.put(node, kept != null ? kept : connect(node));
        }
        if (lastRoundRobin >= 0 && !next.nodes().contains(lastRoundRobin)) {
            int from = oldOrder.indexOf(lastRoundRobin);
            lastRoundRobin = -1;
            for (int position = from; position >= 0; position--) {
                if (next.nodes().contains(oldOrder.get(position))) {
                    lastRoundRobin = oldOrder.get(position);
                    break;
                }
            }
        }
        members = updated;
        config = next;
        for (Conn conn : old.values()) {
            if (updated.get(conn.node) != conn) {
                conn.retired = true;
                retiring.add(conn);
                if (!conn.draining) {
                    conn.draining = true;
                    conn.finished = false;
                    events.add("DrainStarted " + universe.get(conn.node));
                }
                finishIfIdle(conn);
            }
        }
        version++;
        lastReloadNanos = nowNanos;
        reloaded = true;
        events.add("ConfigurationApplied v" + version);
        return new Reload(true, version, true, java.util.Set.of());
    }

    /** A draining connection with nothing in progress has drained (DrainFinished, once); a removed one then closes its links. */
    private void finishIfIdle(Conn conn) {
        if (conn.draining && !conn.finished && conn.idle()) {
            conn.finished = true;
            events.add("DrainFinished " + universe.get(conn.node));
        }
        if (conn.retired && conn.finished) {
            retiring.remove(conn);
        }
    }

    /**
     * The operator events (DrainStarted, DrainFinished, NodeEnabled with the node's DBID; ConfigurationApplied with the
     * version) since the last call, in order; then forgets them.
     */
    public List<String> takeEvents() {
        List<String> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    /** The requests in flight that had their outcome since the last call, in order; then forgets them. */
    public List<Completion> takeCompletions() {
        List<Completion> taken = List.copyOf(completions);
        completions.clear();
        return taken;
    }

    /** The configuration in force. */
    public Configuration configuration() {
        return config;
    }

    /** The configuration version: 1, and one more per reload that changed something. */
    public long version() {
        return version;
    }

    /** Whether a node is configured now. */
    public boolean isConfigured(int node) {
        return members.containsKey(node);
    }

    /** Whether a configured node is draining and has drained (nothing in progress on it since). */
    public boolean isDrained(int node) {
        Conn conn = members.get(node);
        return conn != null && conn.draining && conn.finished;
    }

    /** Calls in progress on a configured node's connection (a removed node's retiring one not included). */
    public int configuredCallsInProgress(int node) {
        Conn conn = members.get(node);
        return conn == null ? 0 : conn.calls.size();
    }

    /** Requests in flight on a configured node's connection. */
    public int requestsAwaitingReply(int node) {
        Conn conn = members.get(node);
        return conn == null ? 0 : conn.awaiting;
    }

    /** Whether a configured node is draining (out of the rotation until enabled). */
    public boolean isDraining(int node) {
        Conn conn = members.get(node);
        return conn != null && conn.draining;
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

    /** Whether a node is active: configured, a link serves it, and not draining. */
    public boolean isActive(int node) {
        Conn conn = members.get(node);
        return conn != null && conn.serving != null && !conn.draining;
    }

    /** Whether a configured node's link is up ({@code false} for a node not configured). */
    public boolean isUp(int node, LinkRole role) {
        Conn conn = members.get(node);
        return conn != null && conn.up[index(role)];
    }

    /** The link that serves a configured node, or {@code null}. */
    public LinkRole serving(int node) {
        Conn conn = members.get(node);
        return conn == null ? null : conn.serving;
    }

    /** Positions of the active nodes, in configured order. */
    public List<Integer> activeNodes() {
        List<Integer> active = new ArrayList<>();
        for (int node : config.nodes()) {
            if (isActive(node)) {
                active.add(node);
            }
        }
        return active;
    }

    /** How many nodes the model knows (the universe: configured or not). */
    public int nodeCount() {
        return hasBackup.length;
    }

    /** Position of the prime. */
    public int prime() {
        return config.prime();
    }

    /** Whether the node has a backup. */
    public boolean hasBackup(int node) {
        return hasBackup[node];
    }
}
