package org.dialbalance.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.NodeStatus;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections to one node: a link to its primary server application and, if configured, one to
 * its backup. Both are kept up; a lost link, or a failed attempt, is retried every
 * {@code reconnect-timeout} for as long as the balancer runs.
 *
 * <p>Which link serves the node is sticky: the serving link keeps serving while it is up; when it is
 * lost the other serves if it is up; when both are down the node is inactive; when a link comes up on
 * an inactive node, it serves (the primary, if both are up). At start the backup is not used until the
 * primary's first connection attempt has ended or its head start ({@code primaryHeadStart}, well below
 * {@code connect-timeout}) has passed, whichever comes first, so a backup that merely connects a little
 * faster does not take over a healthy node, while a primary that accepts the connection but never
 * registers the client holds the node only for the head start; stickiness then keeps a failed-over node
 * on its backup, which in a primary/backup pair is the application that took over.
 *
 * <p>All state changes happen under the cluster-wide lock shared with {@link ClusterConnections}, so
 * snapshots and events follow one order; the events are delivered after the lock is released
 * ({@link Owner#deliverEvents()}). Transport calls that may complete inline are made outside it.
 */
final class NodeConnection {

    private static final Logger LOG = LoggerFactory.getLogger(NodeConnection.class);

    /**
     * Receives this node's status changes and events under the shared lock (to queue them), and is told to
     * deliver what it queued once the lock is released.
     */
    interface Owner {
        void statusChanged(NodeConnection node, NodeStatus before, NodeStatus after, Link serving);

        void telephonyEvent(NodeConnection node, Object attempt, TelephonyEvent event);

        /** Called without the lock after every change that may have queued events. */
        void deliverEvents();
    }

    private volatile NodeSpec spec;
    private volatile boolean prime;
    private final Transport transport;
    private final Scheduler scheduler;
    private volatile Duration reconnectTimeout;
    private boolean retired;
    private final Duration primaryHeadStart;
    private final Object lock;
    private final Owner owner;
    private final Slot primary;
    private final Slot backup;

    private NodeStatus status;
    private LinkRole servingRole;
    private volatile Link serving;
    private Attempt servingAttempt;
    private boolean running;
    private boolean headStartOver;
    private Scheduler.Cancellable headStartTimer;

    NodeConnection(NodeSpec spec, boolean prime, Transport transport, Scheduler scheduler, Duration reconnectTimeout,
                   Duration primaryHeadStart, Object lock, Owner owner) {
        this.spec = spec;
        this.prime = prime;
        this.transport = transport;
        this.scheduler = scheduler;
        this.reconnectTimeout = reconnectTimeout;
        this.primaryHeadStart = primaryHeadStart;
        this.lock = lock;
        this.owner = owner;
        this.primary = new Slot(new LinkTarget(spec.id(), LinkRole.PRIMARY, spec.primary()));
        this.backup = spec.backup().map(endpoint -> new Slot(new LinkTarget(spec.id(), LinkRole.BACKUP, endpoint))).orElse(null);
        this.status = NodeStatus.down(spec.id());
    }

    NodeSpec spec() {
        return spec;
    }

    boolean isPrime() {
        return prime;
    }

    /**
     * A reconfiguration kept this node with the same endpoints: takes its new name, whether it is the prime now, and
     * the new {@code reconnect-timeout}, which the next retry scheduled from now on waits. Its links stay as they are.
     * Call under the lock.
     */
    void reconfigure(NodeSpec sameLinks, boolean isPrime, Duration reconnect) {
        this.spec = sameLinks;
        this.prime = isPrime;
        this.reconnectTimeout = reconnect;
    }

    /**
     * A reconfiguration removed this node (or changed its endpoints): it is not the prime any more and never reconnects
     * a lost link; its open links stay until {@link #stop()}, so requests and calls in progress on them finish. Call
     * under the lock.
     */
    void retire() {
        retired = true;
        prime = false;
        for (Slot slot : slots()) {
            if (slot.retry != null) {
                slot.retry.cancel();
                slot.retry = null;
            }
        }
    }

    /** Whether a reconfiguration removed this node ({@link #retire()}). Call under the lock. */
    boolean isRetired() {
        return retired;
    }

    /** The link that serves the node now, or {@code null} if it is inactive. Safe from any thread. */
    Link servingLink() {
        return serving;
    }

    /**
     * Why the link of a role last went down or last failed to connect, or {@code ""} if it never did (or the
     * node has no backup). Kept after the link comes back. Call under the lock.
     */
    String lastError(LinkRole role) {
        Slot slot = role == LinkRole.PRIMARY ? primary : backup;
        return slot == null ? "" : slot.lastError;
    }

    /** Whether events of this connection attempt come from the node's serving link. Call under the lock. */
    boolean isServing(Object attempt) {
        return attempt != null && attempt == servingAttempt;
    }

    void start() {
        synchronized (lock) {
            running = true;
            if (backup != null) {
                headStartTimer = scheduler.schedule(primaryHeadStart, this::headStartOver);
            }
        }
        connect(primary);
        if (backup != null) {
            connect(backup);
        }
    }

    /** Stops retrying and closes both links; no status change is published. */
    void stop() {
        List<Link> toClose = new ArrayList<>();
        synchronized (lock) {
            running = false;
            if (headStartTimer != null) {
                headStartTimer.cancel();
                headStartTimer = null;
            }
            for (Slot slot : slots()) {
                if (slot.retry != null) {
                    slot.retry.cancel();
                    slot.retry = null;
                }
                if (slot.link != null) {
                    toClose.add(slot.link);
                }
            }
        }
        for (Link link : toClose) {
            link.close();
        }
    }

    private List<Slot> slots() {
        return backup == null ? List.of(primary) : List.of(primary, backup);
    }

    private void connect(Slot slot) {
        Attempt attempt;
        synchronized (lock) {
            slot.retry = null;
            if (!running) {
                return;
            }
            attempt = new Attempt(slot);
            slot.current = attempt;
        }
        CompletionStage<Link> stage;
        try {
            stage = transport.connect(slot.target, attempt);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((link, error) -> connected(attempt, link, error));
    }

    private void connected(Attempt attempt, Link link, Throwable error) {
        Slot slot = attempt.slot;
        boolean closeIt = false;
        synchronized (lock) {
            boolean firstResolution = !slot.resolvedOnce;
            slot.resolvedOnce = true;
            if (firstResolution && slot == primary && backup != null && backup.link != null && (error != null || attempt.closed)) {
                recompute();    // the backup was waiting for the primary's first attempt
            }
            if (slot.current != attempt || !running) {
                closeIt = link != null;
            } else if (error != null) {
                slot.failures++;
                slot.lastError = describe(error);
                if (slot.failures == 1) {
                    LOG.warn("Cannot connect to {}: {}; retrying every {}", slot.target, describe(error),
                            HoconConfigReader.describe(reconnectTimeout));
                } else {
                    LOG.debug("Attempt {} to connect to {} failed: {}", slot.failures, slot.target, describe(error));
                }
                scheduleRetry(slot);
            } else if (attempt.closed) {
                LOG.warn("Link to {} closed as soon as it opened: {}", slot.target, attempt.closeReason);
                slot.lastError = attempt.closeReason == null ? "" : attempt.closeReason;
                scheduleRetry(slot);
            } else {
                attempt.link = link;
                slot.link = link;
                slot.failures = 0;
                LOG.info("Link up: {}", slot.target);
                recompute();
            }
        }
        owner.deliverEvents();
        if (closeIt) {
            link.close();
        }
    }

    /**
     * The primary's head start at start is over: if its first attempt is still unresolved (a server that
     * accepts the connection but does not register the client), the backup may serve from now on.
     */
    private void headStartOver() {
        synchronized (lock) {
            headStartTimer = null;
            if (!running || primary.resolvedOnce) {
                return;
            }
            headStartOver = true;
            LOG.warn("{} has not completed its first connection within {}; its backup may serve the node meanwhile",
                    primary.target, HoconConfigReader.describe(primaryHeadStart));
            if (backup.link != null) {
                recompute();
            }
        }
        owner.deliverEvents();
    }

    private void lost(Attempt attempt, String reason) {
        try {
            lostUnderLock(attempt, reason);
        } finally {
            owner.deliverEvents();
        }
    }

    private void lostUnderLock(Attempt attempt, String reason) {
        synchronized (lock) {
            attempt.closed = true;
            attempt.closeReason = reason;
            Slot slot = attempt.slot;
            if (slot.current != attempt || attempt.link == null) {
                return;
            }
            slot.link = null;
            slot.lastError = reason == null ? "" : reason;
            if (!running) {
                return;
            }
            LOG.warn("Link down: {}: {}; retrying every {}", slot.target, reason, HoconConfigReader.describe(reconnectTimeout));
            recompute();
            scheduleRetry(slot);
        }
    }

    private void scheduleRetry(Slot slot) {
        if (running && !retired) {
            slot.retry = scheduler.schedule(reconnectTimeout, () -> connect(slot));
        }
    }

    /** Works out the serving link and publishes a changed status. Call under the lock. */
    private void recompute() {
        boolean primaryUp = primary.link != null;
        boolean backupUp = backup != null && backup.link != null && (primary.resolvedOnce || headStartOver);
        LinkRole role = servingRole;
        if (role == null || !(role == LinkRole.PRIMARY ? primaryUp : backupUp)) {
            if (primaryUp) {
                role = LinkRole.PRIMARY;
            } else if (backupUp) {
                role = LinkRole.BACKUP;
            } else {
                role = null;
            }
        }
        NodeStatus next = new NodeStatus(spec.id(), primaryUp, backupUp, Optional.ofNullable(role));
        Link nextServing = role == null ? null : slot(role).link;
        NodeStatus before = status;
        boolean linkChanged = nextServing != serving;
        status = next;
        servingRole = role;
        servingAttempt = role == null ? null : slot(role).current;
        serving = nextServing;
        if (!before.equals(next) || linkChanged) {
            owner.statusChanged(this, before, next, nextServing);
        }
    }

    private Slot slot(LinkRole role) {
        return role == LinkRole.PRIMARY ? primary : backup;
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** One of the node's two links: its target, its open link, its current attempt and retry. */
    private static final class Slot {
        final LinkTarget target;
        Attempt current;
        Link link;
        Scheduler.Cancellable retry;
        int failures;
        boolean resolvedOnce;
        String lastError = "";

        Slot(LinkTarget target) {
            this.target = target;
        }
    }

    /** One connection attempt; the listener of the link it opens. */
    private final class Attempt implements LinkListener {
        final Slot slot;
        Link link;
        boolean closed;
        String closeReason;

        Attempt(Slot slot) {
            this.slot = slot;
        }

        @Override
        public void onEvent(TelephonyEvent event) {
            synchronized (lock) {
                owner.telephonyEvent(NodeConnection.this, this, event);
            }
            owner.deliverEvents();
        }

        @Override
        public void onClosed(String reason) {
            lost(this, reason);
        }
    }
}
