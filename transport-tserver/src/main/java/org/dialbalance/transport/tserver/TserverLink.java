package org.dialbalance.transport.tserver;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.api.transport.AddpTrace;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.RegisterResult;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.api.transport.TransportSettings;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.dialbalance.transport.tserver.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One tserver link: the last handler of its channel's pipeline and the {@link Link} the core uses.
 *
 * <p>Life: on connect it sends RequestRegisterClient; EventLinkConnected opens it (the connect stage
 * completes), then keep-alive starts. Requests are sized on the caller's thread first: one that cannot be
 * encoded or would exceed {@code max-frame-size} completes {@link SendResult.Refused} and nothing is written.
 * The others carry a fresh ReferenceID and wait in a bounded map for EventDialing or EventError. A request sent with a
 * fencing token ({@link #send(DialRequest, long)}) is not copied: the token and its campaign group are written as the two
 * fencing extensions while the frame is encoded (PROTOCOL.md, "Fencing"). When the
 * channel closes for any reason, every waiting request completes (LostAfterWrite if its write had begun,
 * NotWritten if not) before {@link LinkListener#onClosed} is called, once. Malformed or oversized frames,
 * frames that break PROTOCOL.md (wrong direction, a required attribute missing, a ConnID over 64 bytes) and
 * keep-alive silence close the link with a logged reason; nothing is thrown to the caller. Dialed calls are
 * tracked per node ({@link DialedCalls}, shared with the node's other link).
 */
final class TserverLink extends ChannelInboundHandlerAdapter implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(TserverLink.class);

    private final LinkTarget target;
    private final LinkListener listener;
    private final TransportSettings settings;
    private final CompletableFuture<Link> opened;
    private final Set<TserverLink> registry;
    private final AtomicLong nextReference = new AtomicLong();
    private final Map<Long, PendingDial> dials = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<RegisterResult>> registrations = new ConcurrentHashMap<>();
    private final Map<Long, String> registrationDns = new ConcurrentHashMap<>();
    private final DialedCalls nodeCalls;
    private final long requestTimeoutNanos;
    private final int maxFrameSize;
    /** Where request deadlines are read: {@link System#nanoTime()}, or a test's clock. */
    private final LongSupplier nanoClock;
    private volatile Channel channel;
    private volatile boolean open;
    private volatile ScheduledFuture<?> timeoutSweep;
    private volatile String closeReason;
    private boolean closedNotified;
    /** Set on the I/O thread when the server broke the protocol; the link is closing. */
    private boolean violated;

    TserverLink(LinkTarget target, LinkListener listener, TransportSettings settings, CompletableFuture<Link> opened,
                Set<TserverLink> registry, DialedCalls nodeCalls, int maxFrameSize) {
        this(target, listener, settings, opened, registry, nodeCalls, maxFrameSize, System::nanoTime);
    }

    /** As above, reading request deadlines from {@code nanoClock} (in {@link System#nanoTime()}'s units): the tests' seam. */
    TserverLink(LinkTarget target, LinkListener listener, TransportSettings settings, CompletableFuture<Link> opened,
                Set<TserverLink> registry, DialedCalls nodeCalls, int maxFrameSize, LongSupplier nanoClock) {
        this.target = target;
        this.nanoClock = nanoClock;
        this.nodeCalls = nodeCalls;
        this.maxFrameSize = maxFrameSize;
        this.requestTimeoutNanos = settings.requestTimeout().toNanos();
        this.listener = listener;
        this.settings = settings;
        this.opened = opened;
        this.registry = registry;
    }

    /** A written (or about to be written) dial request awaiting its reply until {@code deadline} (on the link's clock). */
    private static final class PendingDial {
        final CompletableFuture<SendResult> result = new CompletableFuture<>();
        final long deadline;
        volatile boolean writeBegun;

        PendingDial(long deadline) {
            this.deadline = deadline;
        }
    }

    // ---- Link ----

    @Override
    public LinkTarget target() {
        return target;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public CompletionStage<SendResult> send(DialRequest request) {
        return send(request, GroupOwnership.UNFENCED);
    }

    /** Writes a positive token and the group as the two fencing extensions while encoding: no copy of the request, no map. */
    @Override
    public CompletionStage<SendResult> send(DialRequest request, long fencingToken) {
        Channel current = channel;
        if (!open || current == null) {
            return CompletableFuture.completedFuture(new SendResult.NotWritten("link to " + target + " is closed"));
        }
        if (dials.size() >= settings.maxPendingPerLink()) {
            return CompletableFuture.completedFuture(new SendResult.PendingLimit(settings.maxPendingPerLink()));
        }
        long reference = nextReference.incrementAndGet();
        Message frame;
        try {
            frame = sendable(dialMessage(request, reference, fencingToken));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new SendResult.Refused(e.getMessage()));
        }
        PendingDial pending = new PendingDial(nanoClock.getAsLong() + requestTimeoutNanos);
        dials.put(reference, pending);
        if (!open) {
            dials.remove(reference);
            return CompletableFuture.completedFuture(new SendResult.NotWritten("link to " + target + " closed before the write"));
        }
        pending.writeBegun = true;
        current.writeAndFlush(frame).addListener(write -> {
            if (!write.isSuccess() && dials.remove(reference) != null) {
                pending.result.complete(write.cause() instanceof ClosedChannelException
                        ? new SendResult.NotWritten("link to " + target + " closed before the write")
                        : new SendResult.LostAfterWrite("write to " + target + " failed: " + write.cause()));
            }
        });
        return pending.result;
    }

    @Override
    public CompletionStage<RegisterResult> registerAddress(String dn) {
        Channel current = channel;
        if (!open || current == null) {
            return CompletableFuture.completedFuture(new RegisterResult(dn, false, "link to " + target + " is closed"));
        }
        long reference = nextReference.incrementAndGet();
        Message frame;
        try {
            frame = sendable(Message.of(MessageType.REQUEST_REGISTER_ADDRESS).number(Attribute.REFERENCE_ID, reference)
                    .text(Attribute.THIS_DN, dn).build());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new RegisterResult(dn, false, "not sent: " + e.getMessage()));
        }
        CompletableFuture<RegisterResult> result = new CompletableFuture<>();
        registrations.put(reference, result);
        registrationDns.put(reference, dn);
        current.writeAndFlush(frame).addListener(write -> {
                    if (!write.isSuccess() && registrations.remove(reference) != null) {
                        registrationDns.remove(reference);
                        result.complete(new RegisterResult(dn, false, "write failed: " + write.cause()));
                    }
                });
        current.eventLoop().schedule(() -> {
            if (registrations.remove(reference) != null) {
                registrationDns.remove(reference);
                result.complete(new RegisterResult(dn, false, "no EventRegistered within " + settings.requestTimeout().toMillis() + " ms"));
            }
        }, settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    @Override
    public void close() {
        Channel current = channel;
        if (current != null) {
            closeWith(current, "closed by the client");
        }
    }

    // ---- Netty ----

    @Override
    public void channelActive(ChannelHandlerContext context) {
        channel = context.channel();
        context.writeAndFlush(Message.of(MessageType.REQUEST_REGISTER_CLIENT)
                .text(Attribute.APPLICATION_NAME, settings.applicationName())
                .number(Attribute.PROTOCOL_VERSION, FrameCodec.PROTOCOL_VERSION)
                .number(Attribute.ADDP_TIMEOUT, settings.addpTimeout().toMillis())
                .number(Attribute.ADDP_REMOTE_TIMEOUT, settings.addpRemoteTimeout().toMillis()).build());
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object received) {
        Message message = (Message) received;
        if (violated) {
            return;     // frames decoded after a protocol violation, while the link closes, are not acted on
        }
        String violation = violation(message, open);
        if (violation != null) {
            violated = true;
            LOG.warn("Closing the link to {}: protocol violation: {}", target, violation);
            closeWith(context.channel(), "protocol violation: " + violation);
            return;
        }
        if (!open) {
            handshake(context, message);
            return;
        }
        switch (message.type()) {
            case KEEP_ALIVE_PING -> {
                trace(AddpTrace.REMOTE, "keep-alive ping from {}", target);
                context.writeAndFlush(Message.of(MessageType.KEEP_ALIVE_PONG).build());
            }
            case KEEP_ALIVE_PONG -> trace(AddpTrace.LOCAL, "keep-alive pong from {}", target);
            case EVENT_DIALING -> reply(message, pending -> {
                String connId = message.text(Attribute.CONN_ID);
                if (nodeCalls.add(connId) == 1) {
                    LOG.warn("Node {} has {} dialed calls without their EventReleased; forgetting the oldest from now on, whose later "
                            + "events will be treated as DN-level (raise transport-options.tserver.max-tracked-calls if calls "
                            + "really last that long)", target.node(), nodeCalls.size());
                }
                return new SendResult.Accepted(message.number(Attribute.REFERENCE_ID).orElse(0L), connId);
            });
            case EVENT_ERROR -> {
                long reference = message.number(Attribute.REFERENCE_ID).orElse(-1L);
                CompletableFuture<RegisterResult> registration = registrations.remove(reference);
                if (registration != null) {
                    registration.complete(new RegisterResult(registrationDns.remove(reference), false,
                            "EventError " + message.number(Attribute.ERROR_CODE).orElse(0L) + " " + bounded(message.text(Attribute.ERROR_MESSAGE))));
                } else {
                    reply(message, pending -> new SendResult.Rejected(reference,
                            message.number(Attribute.ERROR_CODE).orElse(0L).intValue(), bounded(message.text(Attribute.ERROR_MESSAGE))));
                }
            }
            case EVENT_REGISTERED -> {
                long reference = message.number(Attribute.REFERENCE_ID).orElse(-1L);
                CompletableFuture<RegisterResult> registration = registrations.remove(reference);
                String dn = registrationDns.remove(reference);
                if (registration != null) {
                    registration.complete(new RegisterResult(dn, true, ""));
                }
            }
            case EVENT_LINK_DISCONNECTED -> closeWith(context.channel(), "the server announced EventLinkDisconnected");
            default -> unsolicited(message);
        }
    }

    private void handshake(ChannelHandlerContext context, Message message) {
        if (message.type() == MessageType.KEEP_ALIVE_PING) {
            trace(AddpTrace.REMOTE, "keep-alive ping from {} before registration", target);
            context.writeAndFlush(Message.of(MessageType.KEEP_ALIVE_PONG).build());
        } else if (message.type() == MessageType.KEEP_ALIVE_PONG) {
            trace(AddpTrace.LOCAL, "keep-alive pong from {} before registration", target);
        } else if (message.type() == MessageType.EVENT_LINK_CONNECTED) {
            long version = message.number(Attribute.PROTOCOL_VERSION).orElse(0L);
            if (version != FrameCodec.PROTOCOL_VERSION) {
                closeWith(context.channel(), "server speaks protocol version " + version + ", this client " + FrameCodec.PROTOCOL_VERSION);
                return;
            }
            if (settings.addpEnabled()) {
                // reader idle only: the first READER_IDLE (silence for addp-timeout) polls, the next one (silence for
                // another addp-timeout after the poll) takes the link down; any frame read resets both
                context.pipeline().addBefore("link", "keep-alive",
                        new IdleStateHandler(settings.addpTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
            }
            long tick = sweepTick(requestTimeoutNanos);
            timeoutSweep = context.executor().scheduleAtFixedRate(this::expireDials, tick, tick, TimeUnit.NANOSECONDS);
            open = true;
            registry.add(this);
            if (!opened.complete(this)) {
                closeWith(context.channel(), "registration came after the connect timeout");
                return;
            }
            LOG.debug("Registered on {} ({})", target, message.text(Attribute.APPLICATION_NAME));
        } else if (message.type() == MessageType.EVENT_ERROR) {
            closeWith(context.channel(), "registration refused: EventError " + message.number(Attribute.ERROR_CODE).orElse(0L) + " "
                    + bounded(message.text(Attribute.ERROR_MESSAGE)));
        } else {
            closeWith(context.channel(), "protocol violation: " + message.type() + " before EventLinkConnected");
        }
    }

    private interface Reply {
        SendResult result(PendingDial pending);
    }

    private void reply(Message message, Reply reply) {
        long reference = message.number(Attribute.REFERENCE_ID).orElse(-1L);
        PendingDial pending = dials.remove(reference);
        if (pending == null) {
            LOG.debug("{} from {} for ReferenceID {}, which is not pending (late after a timeout?)", message.type(), target, reference);
            return;
        }
        pending.result.complete(reply.result(pending));
    }

    private void unsolicited(Message message) {
        String connId = message.text(Attribute.CONN_ID);
        boolean ownCall = !connId.isEmpty() && nodeCalls.contains(connId);
        if (message.type() == MessageType.EVENT_RELEASED) {
            nodeCalls.remove(connId);
        }
        Map<String, String> attributes = new java.util.LinkedHashMap<>(message.list(Attribute.USER_DATA));
        message.number(Attribute.CALL_STATE).ifPresent(state -> attributes.put("CallState", Long.toString(state)));
        TelephonyEvent event = new TelephonyEvent(target.node(), target.role(), ownCall ? TelephonyEvent.Scope.CALL : TelephonyEvent.Scope.DN,
                eventName(message.type()), message.text(Attribute.THIS_DN), connId, attributes);
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.error("The link listener failed on {}", event, e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            long addp = settings.addpTimeout().toMillis();
            if (idle.isFirst()) {
                trace(AddpTrace.LOCAL, "keep-alive ping to {}", target);
                context.writeAndFlush(Message.of(MessageType.KEEP_ALIVE_PING).build());
            } else {
                LOG.warn("Closing the link to {}: nothing received for {} ms (addp-timeout), then nothing for {} ms after a keep-alive"
                        + " ping", target, addp, addp);
                closeWith(context.channel(), "no reply to the keep-alive ping within " + addp + " ms (addp-timeout), after " + addp
                        + " ms without traffic: link declared down");
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String reason;
        if (root instanceof TooLongFrameException) {
            reason = "frame larger than max-frame-size: " + root.getMessage();
        } else if (root instanceof ProtocolException) {
            reason = "protocol violation: " + root.getMessage();
        } else {
            reason = "I/O error: " + root;
        }
        violated = true;
        LOG.warn("Closing the link to {}: {}", target, reason);
        closeWith(context.channel(), reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        String reason = closeReason != null ? closeReason : "connection closed by the server";
        boolean wasOpen = open;
        open = false;
        registry.remove(this);
        ScheduledFuture<?> sweeper = timeoutSweep;
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        // as everywhere in this class, whoever removes a request from its map completes it
        for (Long reference : dials.keySet()) {
            PendingDial pending = dials.remove(reference);
            if (pending != null) {
                pending.result.complete(pending.writeBegun ? new SendResult.LostAfterWrite(reason) : new SendResult.NotWritten(reason));
            }
        }
        for (Long reference : registrations.keySet()) {
            CompletableFuture<RegisterResult> registration = registrations.remove(reference);
            if (registration != null) {
                registration.complete(new RegisterResult(Objects.requireNonNullElse(registrationDns.remove(reference), ""), false, reason));
            }
        }
        if (!wasOpen) {
            opened.completeExceptionally(new ConnectException("link to " + target + " closed before registration: " + reason));
            return;
        }
        if (!closedNotified) {
            closedNotified = true;
            listener.onClosed(reason);
        }
    }

    /**
     * Times out the dials whose deadline has passed. One periodic sweep per link instead of a timer per
     * request: a timer per request cost two event-loop tasks and a priority-queue insert and removal for
     * every dial (see BENCHMARKS.md, end to end). A dial times out between its deadline and one tick later.
     */
    private void expireDials() {
        long now = nanoClock.getAsLong();
        long timeoutMillis = settings.requestTimeout().toMillis();
        for (Map.Entry<Long, PendingDial> entry : dials.entrySet()) {
            PendingDial pending = entry.getValue();
            if (pending.deadline - now <= 0 && dials.remove(entry.getKey(), pending)) {
                pending.result.complete(new SendResult.TimedOut(timeoutMillis));
            }
        }
    }

    /** The timeout sweep's period: a twentieth of {@code request-timeout}, between 1 ms and 100 ms. */
    private static long sweepTick(long requestTimeoutNanos) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.MILLISECONDS.toNanos(100), requestTimeoutNanos / 20));
    }

    private void closeWith(Channel current, String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        current.close();
    }

    /**
     * Checks on the caller's thread, before anything is written, that a request can be sent: every value encodable
     * and the body no larger than {@code max-frame-size}, which a peer with the same limit would answer by closing
     * the link (and with it every other request in flight on it). The encoding itself stays on the I/O thread.
     *
     * @return the message
     * @throws IllegalArgumentException naming the value or the size; nothing was written
     */
    private Message sendable(Message message) {
        long body = FrameCodec.bodySize(message);
        if (body > maxFrameSize) {
            throw new IllegalArgumentException(message.type() + " would be a frame of " + body + " bytes, larger than max-frame-size ("
                    + maxFrameSize + " bytes)");
        }
        return message;
    }

    /**
     * The request's message. With a positive fencing token, its extensions are the request's own (immutable, so kept
     * as they are) with the token and the campaign group's name added by the codec as it writes them.
     */
    private Message dialMessage(DialRequest request, long reference, long fencingToken) {
        Message.Builder message;
        if (request instanceof DialRequest.PredictiveCall call) {
            message = Message.of(MessageType.REQUEST_MAKE_PREDICTIVE_CALL).number(Attribute.TIMEOUT, call.ringTimeout().toSeconds());
        } else {
            message = Message.of(MessageType.REQUEST_MAKE_CALL);
        }
        message.number(Attribute.REFERENCE_ID, reference).text(Attribute.THIS_DN, request.thisDn())
                .text(Attribute.OTHER_DN, request.otherDn()).list(Attribute.USER_DATA, request.userData());
        if (fencingToken > 0) {
            message.list(Attribute.EXTENSIONS, request.extensions(), GroupOwnership.FENCING_TOKEN_KEY, fencingToken,
                    GroupOwnership.CAMPAIGN_GROUP_KEY, request.group().name());
        } else {
            message.list(Attribute.EXTENSIONS, request.extensions());
        }
        return message.build();
    }

    /** The longest text of a peer's (an ErrorMessage) that this client passes on in a result or a close reason. */
    static final int MAX_PEER_TEXT = 256;

    /**
     * What makes a frame from the server break PROTOCOL.md (direction, required attributes, ConnID size), or
     * {@code null} if nothing does. Every violation closes the link.
     */
    static String violation(Message message, boolean registered) {
        String byType = typeViolation(message, registered);
        if (byType != null || message.value(Attribute.CONN_ID) == null) {
            return byType;
        }
        return connIdViolation(message, false);    // a ConnID, where any message carries one, is 1 to 64 bytes of text
    }

    private static String typeViolation(Message message, boolean registered) {
        MessageType type = message.type();
        switch (type) {
            case REQUEST_REGISTER_CLIENT, REQUEST_REGISTER_ADDRESS, REQUEST_MAKE_CALL, REQUEST_MAKE_PREDICTIVE_CALL -> {
                return eventName(type) + " is a client-to-server message";
            }
            case EVENT_LINK_CONNECTED -> {
                if (registered) {
                    return "a second EventLinkConnected on a registered link";
                }
                return missing(message, Attribute.PROTOCOL_VERSION, "ProtocolVersion");
            }
            case EVENT_DIALING -> {
                String missing = missing(message, Attribute.REFERENCE_ID, "ReferenceID");
                return missing != null ? missing : connIdViolation(message, true);
            }
            case EVENT_ERROR -> {
                return missing(message, Attribute.ERROR_CODE, "ErrorCode");
            }
            case EVENT_REGISTERED -> {
                String missing = missing(message, Attribute.REFERENCE_ID, "ReferenceID");
                return missing != null ? missing : missingText(message, Attribute.THIS_DN, "ThisDN");
            }
            case EVENT_RINGING -> {
                return missingText(message, Attribute.THIS_DN, "ThisDN");    // its optional ConnID is checked as in any message
            }
            case EVENT_ESTABLISHED, EVENT_RELEASED -> {
                return connIdViolation(message, true);
            }
            default -> {
                return null;
            }
        }
    }

    private static String missing(Message message, int attribute, String name) {
        return message.number(attribute).isPresent() ? null
                : eventName(message.type()) + " without its required " + name + " (an int64)";
    }

    private static String missingText(Message message, int attribute, String name) {
        return message.value(attribute) instanceof String ? null
                : eventName(message.type()) + " without its required " + name + " (a string)";
    }

    /** What is wrong with a message's ConnID: {@code required} by its type, or (if not) present, as {@link #violation} checks first. */
    private static String connIdViolation(Message message, boolean required) {
        Object value = message.value(Attribute.CONN_ID);
        String reference = message.number(Attribute.REFERENCE_ID).map(id -> " for ReferenceID " + id).orElse("");
        if (!(value instanceof String connId) || connId.isEmpty()) {
            return eventName(message.type()) + reference + (required ? " without its required ConnID (a non-empty string)"
                    : " with a ConnID that is not a non-empty string");
        }
        // a UTF-8 string has at least as many bytes as chars: the length check spares counting a long one
        int bytes = connId.length() > FrameCodec.MAX_CONN_ID_BYTES ? connId.length() : ByteBufUtil.utf8Bytes(connId);
        if (bytes > FrameCodec.MAX_CONN_ID_BYTES) {
            return eventName(message.type()) + reference + " with a ConnID of " + (connId.length() > FrameCodec.MAX_CONN_ID_BYTES
                    ? "at least " : "") + bytes + " bytes, longer than the protocol's " + FrameCodec.MAX_CONN_ID_BYTES;
        }
        return null;
    }

    /** A peer's text cut to {@link #MAX_PEER_TEXT} characters, so what this client keeps or passes on is bounded. */
    static String bounded(String text) {
        return text.length() <= MAX_PEER_TEXT ? text : text.substring(0, MAX_PEER_TEXT) + "... (" + text.length() + " characters)";
    }

    private void trace(AddpTrace side, String format, Object argument) {
        AddpTrace trace = settings.addpTrace();
        if (trace == AddpTrace.FULL || trace == side) {
            LOG.info(format, argument);
        }
    }

    private static String eventName(MessageType type) {
        StringBuilder name = new StringBuilder();
        for (String part : type.name().split("_")) {
            name.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return name.toString();
    }
}
