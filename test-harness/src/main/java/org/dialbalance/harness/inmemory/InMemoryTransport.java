package org.dialbalance.harness.inmemory;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.RegisterResult;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.api.transport.Transport;

/**
 * A deterministic {@link Transport} for tests: no threads, no sockets. Every server application
 * (node × role) is reachable until a test says otherwise; connecting to a reachable one succeeds at
 * once, making one unreachable closes its open link at once. Replies follow each node's
 * {@link ReplyMode}. Everything sent and registered is recorded for assertions. A request sent with a fencing token
 * ({@link Link#send(DialRequest, long)}, not overridden here) is recorded as {@code Link}'s default sends it: a copy
 * carrying the two fencing extensions, which is what a server would read on the wire.
 *
 * <p>Callbacks into the balancer run on the calling thread and outside this object's lock, so the
 * transport can be driven from a test thread while the balancer holds its own locks.
 */
public final class InMemoryTransport implements Transport {

    /** How a server application answers requests. */
    public enum ReplyMode {
        /** EventDialing at once. */
        ACCEPT,
        /** EventError at once. */
        REJECT,
        /** No reply ever; the request stays pending until its link closes. */
        SILENT,
        /** Pending until the test completes it through {@link #pending()}. */
        MANUAL,
        /** The link behaves as gone before the write: {@link SendResult.NotWritten}, nothing recorded. */
        NOT_WRITTEN,
        /** The transport's own request timeout: {@link SendResult.TimedOut} at once, after recording the request. */
        TRANSPORT_TIMEOUT,
        /** The link's pending limit is reached: {@link SendResult.PendingLimit}, nothing recorded. */
        PENDING_LIMIT,
        /** A transport that breaks its contract: {@code send} throws. */
        THROWS,
        /** A transport that breaks its contract: the stage completes exceptionally after recording the request. */
        FAILS_STAGE
    }

    /**
     * What the next sends do, on whichever link they go out (scripted with {@link #scriptNextSends}), so that a
     * test can put a fault on one request without knowing where the balancer will route it.
     */
    public enum NextSend {
        /** The link is found gone before the write: its application becomes unreachable (the link closes), nothing is recorded, {@link SendResult.NotWritten}. */
        GONE_BEFORE_WRITE,
        /** Recorded, then left pending until the test answers it through {@link #pending()} (as in MANUAL mode). */
        AWAIT_REPLY,
        /** Recorded, then the stage fails exceptionally (a transport breaking its contract, as in FAILS_STAGE mode). */
        FAIL_STAGE
    }

    /** The limit reported in PENDING_LIMIT mode. */
    public static final int PENDING_LIMIT_VALUE = 3;

    /** The error code sent in REJECT mode. */
    public static final int REJECT_ERROR_CODE = 56;

    /** One request a server application received. */
    public record SentRequest(NodeId node, LinkRole role, DialRequest request, long referenceId) {
    }

    /** One DN registration a server application received. */
    public record Registration(NodeId node, LinkRole role, String dn) {
    }

    /** One request awaiting a reply, in SILENT or MANUAL mode. */
    public final class PendingRequest {
        private final SentRequest sent;
        private final CompletableFuture<SendResult> result;
        private final String connId;

        private PendingRequest(SentRequest sent, CompletableFuture<SendResult> result, String connId) {
            this.sent = sent;
            this.result = result;
            this.connId = connId;
        }

        /** What was sent. */
        public SentRequest sent() {
            return sent;
        }

        /** Answers EventDialing. */
        public void accept() {
            finish(new SendResult.Accepted(sent.referenceId(), connId));
        }

        /** Answers EventError. */
        public void reject(int errorCode, String message) {
            finish(new SendResult.Rejected(sent.referenceId(), errorCode, message));
        }

        private void finish(SendResult value) {
            synchronized (InMemoryTransport.this) {
                pending.remove(this);
            }
            result.complete(value);
        }
    }

    private record Key(NodeId node, LinkRole role) {
    }

    private final Map<Key, Boolean> reachable = new HashMap<>();
    private final Map<NodeId, ReplyMode> modes = new HashMap<>();
    private final Map<Key, List<InMemoryLink>> open = new HashMap<>();
    private final List<SentRequest> sent = new ArrayList<>();
    private final List<Registration> registrations = new ArrayList<>();
    private final List<PendingRequest> pending = new ArrayList<>();
    private final List<LinkTarget> connectAttempts = new ArrayList<>();
    private final Map<Key, Boolean> hanging = new HashMap<>();
    private final Map<Key, List<CompletableFuture<Link>>> hangingConnects = new HashMap<>();
    private final java.util.ArrayDeque<NextSend> script = new java.util.ArrayDeque<>();
    private long linksOpened;
    private boolean closed;

    @Override
    public CompletionStage<Link> connect(LinkTarget target, LinkListener listener) {
        synchronized (this) {
            connectAttempts.add(target);
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("transport closed"));
            }
            Key key = new Key(target.node(), target.role());
            if (!reachable.getOrDefault(key, true)) {
                return CompletableFuture.failedFuture(new ConnectException("simulated: " + target + " is unreachable"));
            }
            if (hanging.getOrDefault(key, false)) {
                CompletableFuture<Link> attempt = new CompletableFuture<>();
                hangingConnects.computeIfAbsent(key, ignored -> new ArrayList<>()).add(attempt);
                return attempt;
            }
            InMemoryLink link = new InMemoryLink(target, listener, ++linksOpened);
            open.computeIfAbsent(key, ignored -> new ArrayList<>()).add(link);
            return CompletableFuture.completedFuture(link);
        }
    }

    /**
     * Makes a server application reachable or not. Unreachable closes its open links at once (their
     * pending requests end {@link SendResult.LostAfterWrite}, then the listener hears {@code onClosed});
     * reachable lets the balancer's next reconnect attempt succeed.
     */
    public void setReachable(NodeId node, LinkRole role, boolean value) {
        List<InMemoryLink> toClose = new ArrayList<>();
        synchronized (this) {
            Key key = new Key(node, role);
            reachable.put(key, value);
            if (!value) {
                toClose.addAll(open.getOrDefault(key, List.of()));
            }
        }
        toClose.forEach(link -> link.closeWith("simulated: " + link.target() + " went down"));
    }

    /**
     * Makes connection attempts to a server application hang (or not, for later attempts), as one that
     * accepts the connection but never answers the client's registration: each attempt stays pending until
     * {@link #timeOutHangingConnects} ends it, as the transport's connect-timeout would.
     */
    public synchronized void setHanging(NodeId node, LinkRole role, boolean value) {
        hanging.put(new Key(node, role), value);
    }

    /**
     * Ends the hanging connection attempts to a server application with a {@link java.util.concurrent.TimeoutException},
     * as a transport's connect-timeout does.
     *
     * @return how many attempts were ended
     */
    public int timeOutHangingConnects(NodeId node, LinkRole role) {
        List<CompletableFuture<Link>> attempts;
        synchronized (this) {
            attempts = List.copyOf(hangingConnects.getOrDefault(new Key(node, role), List.of()));
            hangingConnects.remove(new Key(node, role));
        }
        attempts.forEach(attempt -> attempt.completeExceptionally(new java.util.concurrent.TimeoutException(
                "simulated: no registration from " + node + " " + role + " within the connect timeout")));
        return attempts.size();
    }

    /**
     * Scripts the next sends, on any link, one entry each, before the reply modes apply; sends on a closed
     * link do not use an entry.
     */
    public synchronized void scriptNextSends(List<NextSend> next) {
        script.addAll(next);
    }

    /** Drops what is left of the script; returns how many entries were left unused. */
    public synchronized int clearScript() {
        int left = script.size();
        script.clear();
        return left;
    }

    /** Sets how a node's applications (primary and backup) answer from now on. */
    public synchronized void replyMode(NodeId node, ReplyMode mode) {
        modes.put(node, mode);
    }

    /** Everything sent so far, in order. */
    public synchronized List<SentRequest> sent() {
        return List.copyOf(sent);
    }

    /** Every DN registration so far, in order. */
    public synchronized List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    /** Requests awaiting replies (SILENT and MANUAL modes). */
    public synchronized List<PendingRequest> pending() {
        return List.copyOf(pending);
    }

    /** Every connection attempt so far, successful or not, in order. */
    public synchronized List<LinkTarget> connectAttempts() {
        return List.copyOf(connectAttempts);
    }

    /** Whether a server application has an open link now. */
    public synchronized boolean isConnected(NodeId node, LinkRole role) {
        return !open.getOrDefault(new Key(node, role), List.of()).isEmpty();
    }

    /**
     * Sends an unsolicited event from a server application on each of its open links, as a real server
     * would publish an event for a DN registered there.
     */
    public void emit(NodeId node, LinkRole role, TelephonyEvent.Scope scope, String name, String thisDn) {
        List<InMemoryLink> links;
        synchronized (this) {
            links = List.copyOf(open.getOrDefault(new Key(node, role), List.of()));
        }
        for (InMemoryLink link : links) {
            link.listener.onEvent(new TelephonyEvent(node, role, scope, name, thisDn, "", Map.of()));
        }
    }

    /**
     * Sends an unsolicited event, as its server application would, on each open link of the node and role the event
     * names ({@link TelephonyEvent#node()}, {@link TelephonyEvent#via()}): e.g. the call-level {@code EventReleased} of
     * a dialed call, with the ConnID its {@code Accepted} reply carried.
     */
    public void emit(TelephonyEvent event) {
        List<InMemoryLink> links;
        synchronized (this) {
            links = List.copyOf(open.getOrDefault(new Key(event.node(), event.via()), List.of()));
        }
        for (InMemoryLink link : links) {
            link.listener.onEvent(event);
        }
    }

    /** Forgets what was recorded (sent requests and registrations), keeping links and modes. */
    public synchronized void clearRecords() {
        sent.clear();
        registrations.clear();
    }

    @Override
    public void close() {
        List<InMemoryLink> all = new ArrayList<>();
        List<CompletableFuture<Link>> attempts = new ArrayList<>();
        synchronized (this) {
            closed = true;
            open.values().forEach(all::addAll);
            hangingConnects.values().forEach(attempts::addAll);
            hangingConnects.clear();
        }
        all.forEach(link -> link.closeWith("transport closed"));
        attempts.forEach(attempt -> attempt.completeExceptionally(new IllegalStateException("transport closed")));
    }

    /** A ConnID unique in this transport: node, role, which link of it (links are numbered as they open), reference. */
    private static String connId(SentRequest request, long link) {
        return "conn-" + request.node() + "-" + request.role().name().charAt(0) + link + "-" + request.referenceId();
    }

    private final class InMemoryLink implements Link {
        private final LinkTarget target;
        private final LinkListener listener;
        private final long number;
        private final List<CompletableFuture<SendResult>> awaiting = new ArrayList<>();
        private long nextReference = 1;
        private boolean linkOpen = true;

        InMemoryLink(LinkTarget target, LinkListener listener, long number) {
            this.target = target;
            this.listener = listener;
            this.number = number;
        }

        @Override
        public LinkTarget target() {
            return target;
        }

        @Override
        public boolean isOpen() {
            synchronized (InMemoryTransport.this) {
                return linkOpen;
            }
        }

        @Override
        public CompletionStage<SendResult> send(DialRequest request) {
            NextSend scripted;
            synchronized (InMemoryTransport.this) {
                scripted = linkOpen ? script.poll() : null;
            }
            if (scripted == NextSend.GONE_BEFORE_WRITE) {
                setReachable(target.node(), target.role(), false);
                return CompletableFuture.completedFuture(new SendResult.NotWritten("simulated: " + target + " found gone before the write"));
            }
            synchronized (InMemoryTransport.this) {
                ReplyMode mode = scripted == NextSend.AWAIT_REPLY ? ReplyMode.MANUAL
                        : scripted == NextSend.FAIL_STAGE ? ReplyMode.FAILS_STAGE : modes.getOrDefault(target.node(), ReplyMode.ACCEPT);
                if (!linkOpen || mode == ReplyMode.NOT_WRITTEN) {
                    return CompletableFuture.completedFuture(new SendResult.NotWritten(
                            linkOpen ? "simulated: link gone before the write" : "link closed"));
                }
                if (mode == ReplyMode.PENDING_LIMIT) {
                    return CompletableFuture.completedFuture(new SendResult.PendingLimit(PENDING_LIMIT_VALUE));
                }
                if (mode == ReplyMode.THROWS) {
                    throw new IllegalStateException("simulated: a transport that throws from send()");
                }
                SentRequest record = new SentRequest(target.node(), target.role(), request, nextReference++);
                sent.add(record);
                switch (mode) {
                    case ACCEPT:
                        return CompletableFuture.completedFuture(new SendResult.Accepted(record.referenceId(), connId(record, number)));
                    case REJECT:
                        return CompletableFuture.completedFuture(new SendResult.Rejected(record.referenceId(),
                                REJECT_ERROR_CODE, "simulated rejection"));
                    case TRANSPORT_TIMEOUT:
                        return CompletableFuture.completedFuture(new SendResult.TimedOut(1234));
                    case FAILS_STAGE:
                        return CompletableFuture.failedFuture(new IllegalStateException("simulated: a stage that fails"));
                    default:
                        CompletableFuture<SendResult> result = new CompletableFuture<>();
                        awaiting.add(result);
                        pending.add(new PendingRequest(record, result, connId(record, number)));
                        return result;
                }
            }
        }

        @Override
        public CompletionStage<RegisterResult> registerAddress(String dn) {
            synchronized (InMemoryTransport.this) {
                if (!linkOpen) {
                    return CompletableFuture.completedFuture(new RegisterResult(dn, false, "link closed"));
                }
                registrations.add(new Registration(target.node(), target.role(), dn));
                return CompletableFuture.completedFuture(new RegisterResult(dn, true, ""));
            }
        }

        @Override
        public void close() {
            closeWith("closed by the client");
        }

        void closeWith(String reason) {
            List<CompletableFuture<SendResult>> lost;
            synchronized (InMemoryTransport.this) {
                if (!linkOpen) {
                    return;
                }
                linkOpen = false;
                open.getOrDefault(new Key(target.node(), target.role()), new ArrayList<>()).remove(this);
                lost = List.copyOf(awaiting);
                awaiting.clear();
                pending.removeIf(request -> lost.contains(request.result));
            }
            lost.forEach(result -> result.complete(new SendResult.LostAfterWrite(reason)));
            listener.onClosed(reason);
        }
    }
}
