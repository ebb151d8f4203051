package org.dialbalance.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialObserver;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.Route;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each dial request from routing to its one outcome.
 *
 * <ol>
 *   <li>Read the newest snapshot and the plugins of the configuration it belongs to (a reconfiguration installs a
 *       new topology's snapshot and its policies together under the cluster lock; routing reads them without it, and
 *       only when they do not match — a reload under way — reads both again under that lock). Prime inactive ⇒ held with {@code PRIME_NODE_DOWN}, whatever the policy.</li>
 *   <li>With {@code coordination}: one read of this dialer's {@link GroupOwnership}. A campaign group another dialer
 *       owns (or that nobody may dial now) is held with {@code NOT_OWNER} at once, before anything else; an owned
 *       group's fencing token is handed to the link with the request ({@link Link#send(DialRequest, long)}), which
 *       sends it as two extensions, so a server can refuse a former owner.</li>
 *   <li>A campaign group that is not the configured one (see {@link Plugins#unconfiguredGroup}) is held with
 *       {@code CAMPAIGN_GROUP_NOT_CONFIGURED}: only the configuration says where a group dials.</li>
 *   <li>Ask the group's policy for a route. A hold completes at once; a policy that throws, returns nothing
 *       or names a node inactive in that snapshot fails the request with {@code POLICY_ERROR}.</li>
 *   <li>Send on the node's serving link. If the link turns out to be gone before anything was written
 *       ({@link SendResult.NotWritten}), route once more on a fresh snapshot; never more than once. A node whose
 *       drain finished after the route was chosen counts as gone before the write
 *       ({@link ClusterConnections#awaitingReply}).</li>
 *   <li>A node that has its {@code max-calls} in progress (calls plus requests awaiting replies, counted atomically
 *       with the send) is not written to: the request is routed once more on a fresh snapshot, and held with
 *       {@code CLUSTER_AT_CAPACITY} (every active node full) or {@code NODE_AT_CAPACITY} if that node is full too.
 *       So calls in progress never exceed {@code max-calls}, whatever the policy.</li>
 *   <li>A request the transport refuses as it is ({@link SendResult.Refused}, e.g. larger than its frame limit)
 *       fails with {@code INVALID_REQUEST} at once: nothing was written, and it is not re-routed.</li>
 *   <li>A request once written is never sent again, anywhere: a lost link, a timeout or an error reply
 *       is a {@code Failed} outcome saying so.</li>
 *   <li>{@code request-timeout} guards every written request ({@link RequestDeadlines}), so nothing waits
 *       forever even if a transport never answers.</li>
 * </ol>
 * The outcome future is completed exactly once; whichever of reply and timer comes first wins. Every
 * routing decision and every outcome is reported to the {@link DialObserver}s (none by default), which
 * cannot affect either.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final HoldReason NO_POLICY = HoldReason.of("NO_POLICY");

    private final ClusterConnections connections;
    private volatile Plugins plugins;
    private final Duration requestTimeout;
    private final RequestDeadlines deadlines;
    private final DialObserver[] observers;
    private volatile boolean running;
    private GroupOwnership ownership = GroupOwnership.ALL;     // set before open(): published by the write of running

    Dispatcher(ClusterConnections connections, Plugins plugins, Scheduler scheduler, Duration requestTimeout,
               List<DialObserver> observers) {
        this.connections = connections;
        this.plugins = plugins;
        this.requestTimeout = requestTimeout;
        this.deadlines = new RequestDeadlines(scheduler, requestTimeout);
        this.observers = observers.toArray(new DialObserver[0]);
    }

    /** Which campaign groups this dialer owns; call before {@link #open()}. */
    void coordinate(GroupOwnership value) {
        ownership = value;
    }

    void open() {
        running = true;
        deadlines.start();
    }

    void close() {
        running = false;
        deadlines.stop();
    }

    CompletionStage<DialOutcome> dial(DialRequest request) {
        if (request == null) {
            throw new NullPointerException("request");
        }
        CompletableFuture<DialOutcome> outcome = observers.length > 0 ? new ObservedOutcome() : new CompletableFuture<>();
        if (!running) {
            outcome.complete(failed(request, FailureReason.NOT_RUNNING, "the balancer is not running; call start() first"
                    + " (or it was stopped)", null));
            return outcome;
        }
        attempt(request, outcome, true);
        return outcome;
    }

    /**
     * Installs the plugins of a new configuration. Call under the cluster lock, in the same hold that puts the new
     * configuration's snapshot in the registry.
     */
    void install(Plugins next) {
        plugins = next;
    }

    private void attempt(DialRequest request, CompletableFuture<DialOutcome> outcome, boolean firstTry) {
        ClusterSnapshot snapshot = connections.snapshot();
        Plugins plugins = this.plugins;
        if (snapshot.topology() != plugins.topology() && !snapshot.topology().equals(plugins.topology())) {
            synchronized (connections.lock()) {         // a reconfiguration is being applied: read both of one configuration
                snapshot = connections.snapshot();
                plugins = this.plugins;
            }
        }
        long token = ownership.fencingToken(request.group().name());
        Route route = token < 0 ? Route.hold(HoldReason.NOT_OWNER, ownership.notOwnerDetail(request.group().name()))
                : route(plugins, request, snapshot);
        if (route != null && observers.length > 0) {
            observeRoute(request, snapshot, route, firstTry ? 1 : 2);
        }
        if (route == null) {
            outcome.complete(failed(request, FailureReason.POLICY_ERROR, "policy '" + plugins.policyNameFor(request)
                    + "' failed to route the request (see the log)", null));
            return;
        }
        if (route instanceof Route.Hold hold) {
            outcome.complete(new DialOutcome.Held(request, hold.reason(), hold.detail()));
            return;
        }
        NodeId node = ((Route.To) route).node();
        if (!snapshot.isActive(node)) {
            LOG.error("Policy '{}' routed a request of campaign group '{}' to node {}, which is {} in snapshot v{}; refused",
                    plugins.policyNameFor(request), request.group().name(), node,
                    snapshot.topology().contains(node) ? "inactive" : "not configured", snapshot.version());
            outcome.complete(failed(request, FailureReason.POLICY_ERROR, "policy '" + plugins.policyNameFor(request)
                    + "' chose node " + node + ", which is not active in snapshot v" + snapshot.version(), node));
            return;
        }
        ClusterConnections.Member member = connections.member(node);
        org.dialbalance.api.policy.RoutingFeedback feedback = plugins.feedbackFor(request);
        RoutedAttempt routed = feedback == null ? null
                : new RoutedAttempt(feedback, request, node, snapshot.topology().indexOf(node));
        if (member == null) {
            notWritten(request, outcome, firstTry, node, "node " + node + " left the configuration", routed);
            return;
        }
        Link link = member.servingLink();
        if (link == null) {
            notWritten(request, outcome, firstTry, node, "node " + node + " has no serving link any more", routed);
            return;
        }
        send(request, outcome, firstTry, member, link, routed, snapshot, token);
    }

    private Route route(Plugins plugins, DialRequest request, ClusterSnapshot snapshot) {
        if (!snapshot.isPrimeActive()) {
            return Route.primeNodeDown(snapshot.prime());
        }
        Route.Hold unconfigured = plugins.unconfiguredGroup(request);
        if (unconfigured != null) {
            return unconfigured;
        }
        BalancingPolicy policy = plugins.policyFor(request);
        if (policy == null) {
            return Route.hold(NO_POLICY, "no balancing policy handles seizing mode " + request.group().mode().configName()
                    + " (campaign group '" + request.group().name() + "'): put dialbalance-policy-asm on the classpath"
                    + " or name another with asm-policy");
        }
        try {
            return policy.route(request, snapshot);
        } catch (RuntimeException e) {
            LOG.error("Policy '{}' threw while routing a request of campaign group '{}'", plugins.policyNameFor(request),
                    request.group().name(), e);
            return null;
        }
    }

    private void observeRoute(DialRequest request, ClusterSnapshot snapshot, Route route, int attempt) {
        for (DialObserver observer : observers) {
            try {
                observer.onRouted(request, snapshot, route, attempt);
            } catch (RuntimeException e) {
                LOG.error("Dial observer {} threw from onRouted; dialing goes on", observer, e);
            }
        }
    }

    /**
     * A dial's outcome when observers watch: completing it tells them, after its dependents have run, with the time
     * since the dial. One object per dial, as without observers; no completion stage and no lambda of its own. Only
     * the dispatcher completes it, always with {@link #complete} (the host sees another future), so every outcome is
     * observed exactly once.
     */
    private final class ObservedOutcome extends CompletableFuture<DialOutcome> {
        private final long dialed = System.nanoTime();

        @Override
        public boolean complete(DialOutcome value) {
            if (!super.complete(value)) {
                return false;
            }
            observeOutcome(value, System.nanoTime() - dialed);
            return true;
        }
    }

    private void observeOutcome(DialOutcome result, long nanos) {
        for (DialObserver observer : observers) {
            try {
                observer.onOutcome(result, nanos);
            } catch (RuntimeException e) {
                LOG.error("Dial observer {} threw from onOutcome; dialing goes on", observer, e);
            }
        }
    }

    private void send(DialRequest request, CompletableFuture<DialOutcome> outcome, boolean firstTry,
                      ClusterConnections.Member member, Link link, RoutedAttempt routed, ClusterSnapshot snapshot, long token) {
        NodeId node = link.target().node();
        LinkRole via = link.target().role();
        // counted for drain, calls in progress and max-calls until its outcome
        NodeLoad.Admission admission = connections.awaitingReply(member, outcome);
        if (admission == NodeLoad.Admission.DRAINED) {
            notWritten(request, outcome, firstTry, node, "node " + node + " finished draining before the request was written",
                    routed);
            return;
        }
        if (admission == NodeLoad.Admission.FULL) {
            atCapacity(request, outcome, firstTry, node, routed, snapshot);
            return;
        }
        if (routed != null) {
            outcome.whenComplete(routed);
        }
        CompletionStage<SendResult> sent;
        try {
            sent = link.send(request, token);
        } catch (RuntimeException e) {
            LOG.error("Transport threw from send() on {}; the request may have been written, so it is not re-sent", link.target(), e);
            outcome.complete(failed(request, FailureReason.LINK_LOST_AFTER_WRITE, "the transport failed while sending on node "
                    + node + " " + via + " (" + e + "); it may have been written, so it was not re-sent", node));
            return;
        }
        deadlines.watch(outcome, () -> failed(request, FailureReason.TIMEOUT, "no reply from node " + node + " " + via
                + " within " + HoconConfigReader.describe(requestTimeout) + "; the request was written, so it was not re-sent", node));
        sent.whenComplete((result, error) -> {
            if (error != null) {
                outcome.complete(failed(request, FailureReason.LINK_LOST_AFTER_WRITE, "the transport failed after sending on node "
                        + node + " " + via + " (" + error + "); it was not re-sent", node));
            } else if (result instanceof SendResult.NotWritten notWritten) {
                notWritten(request, outcome, firstTry, node, notWritten.reason(), routed);
            } else {
                outcome.complete(outcome(request, node, via, result, firstTry ? 1 : 2));
            }
        });
    }

    /** The node has its max-calls in progress: route once more, else hold. Nothing was written. */
    private void atCapacity(DialRequest request, CompletableFuture<DialOutcome> outcome, boolean firstTry, NodeId node,
                            RoutedAttempt routed, ClusterSnapshot snapshot) {
        if (routed != null) {
            routed.notSent();
        }
        if (firstTry && running) {
            LOG.debug("Node {} is at its max-calls; routing the request once more on a fresh snapshot", node);
            attempt(request, outcome, false);
        } else if (connections.allAtCapacity(snapshot)) {
            outcome.complete(new DialOutcome.Held(request, HoldReason.CLUSTER_AT_CAPACITY, "every active node has its max-calls"
                    + " in progress (calls plus requests awaiting replies); nothing was sent, retry when calls have ended"));
        } else {
            outcome.complete(new DialOutcome.Held(request, HoldReason.NODE_AT_CAPACITY, "node " + node + " has its max-calls in progress"
                    + " (calls plus requests awaiting replies), and the policy chose it twice; nothing was sent"));
        }
    }

    private void notWritten(DialRequest request, CompletableFuture<DialOutcome> outcome, boolean firstTry, NodeId node,
                            String reason, RoutedAttempt routed) {
        if (routed != null) {
            routed.notSent();
        }
        if (firstTry && running) {
            LOG.debug("Request for node {} was not written ({}); routing it once more on a fresh snapshot", node, reason);
            attempt(request, outcome, false);
        } else {
            outcome.complete(failed(request, FailureReason.NOT_SENT, "nothing was written: " + reason
                    + (firstTry ? "" : " (second try, after a first link was also gone)"), node));
        }
    }

    private static DialOutcome outcome(DialRequest request, NodeId node, LinkRole via, SendResult result, int routeAttempts) {
        if (result instanceof SendResult.Accepted accepted) {
            return new DialOutcome.Dialed(request, node, via, accepted.referenceId(), accepted.connId(), routeAttempts);
        }
        if (result instanceof SendResult.Rejected rejected) {
            return failed(request, FailureReason.REJECTED, "node " + node + " " + via + " answered EventError "
                    + rejected.errorCode() + (rejected.message().isEmpty() ? "" : " (" + rejected.message() + ")"), node);
        }
        if (result instanceof SendResult.LostAfterWrite lost) {
            return failed(request, FailureReason.LINK_LOST_AFTER_WRITE, "the request was written to node " + node + " " + via
                    + ", then the link closed before the reply (" + lost.reason() + "); it was not re-sent anywhere", node);
        }
        if (result instanceof SendResult.TimedOut timedOut) {
            return failed(request, FailureReason.TIMEOUT, "no reply from node " + node + " " + via + " within "
                    + timedOut.timeoutMillis() + " ms; the request was written, so it was not re-sent", node);
        }
        if (result instanceof SendResult.Refused refused) {
            return failed(request, FailureReason.INVALID_REQUEST, "the transport of node " + node + " " + via
                    + " refused the request before writing it (" + refused.reason() + "); nothing was written, and it was not"
                    + " re-routed because no link would take it as it is", node);
        }
        SendResult.PendingLimit limit = (SendResult.PendingLimit) result;
        return failed(request, FailureReason.PENDING_LIMIT, "node " + node + " " + via + " already has " + limit.limit()
                + " requests awaiting replies (max-pending-requests); nothing was written", node);
    }

    private static DialOutcome failed(DialRequest request, FailureReason reason, String detail, NodeId node) {
        return new DialOutcome.Failed(request, reason, detail, Optional.ofNullable(node));
    }
}
