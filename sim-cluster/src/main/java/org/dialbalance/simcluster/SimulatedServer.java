package org.dialbalance.simcluster;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.FrameHandlers;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One simulated SIP Server application (a node's primary or backup) on a loopback port, speaking the
 * server side of the tserver protocol. Faults: {@link #kill()}, {@link #restart()}, {@link #blackhole(boolean)},
 * {@link #reject(boolean)}, {@link #latency(Duration)}. Every request and registration it receives is
 * recorded in its cluster.
 */
public final class SimulatedServer {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedServer.class);
    private static final AttributeKey<Set<String>> DNS = AttributeKey.valueOf("dialbalance.registered-dns");

    /** The error code answered in reject mode. */
    public static final int REJECT_ERROR_CODE = 56;
    /**
     * The error code answered to a request whose fencing token (extension {@code dialbalance-fencing-token}) is lower
     * than one the cluster has seen for its campaign group (extension {@code dialbalance-campaign-group}): it comes
     * from a former owner of the group.
     */
    public static final int STALE_FENCING_TOKEN_ERROR_CODE = 57;

    private final NodeId node;
    private final LinkRole role;
    private final String mediaServer;
    private final SimulatedCluster cluster;
    private final EventLoopGroup group;
    private final SslContext tls;
    private final SplittableRandom random;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicLong calls = new AtomicLong();
    private volatile Channel listener;
    private volatile int port;
    private volatile boolean blackholed;
    private volatile boolean rejecting;
    private volatile long latencyMillis;
    private volatile long talkMillis;

    SimulatedServer(NodeId node, LinkRole role, SimulatedCluster cluster, EventLoopGroup group, SslContext tls, long seed) {
        this.node = node;
        this.role = role;
        this.mediaServer = "MCP_" + node + "_" + (role == LinkRole.PRIMARY ? "A" : "B");
        this.cluster = cluster;
        this.group = group;
        this.tls = tls;
        this.random = new SplittableRandom(seed * 31 + node.dbid() * 2L + role.ordinal());
    }

    /** The node. */
    public NodeId node() {
        return node;
    }

    /** Primary or backup. */
    public LinkRole role() {
        return role;
    }

    /** The loopback port it listens on (kept across restarts). */
    public int port() {
        return port;
    }

    /** The media server named in GSW_MEDIA_SRV_ID of its engaging calls. */
    public String mediaServer() {
        return mediaServer;
    }

    /** Whether it listens now. */
    public boolean isRunning() {
        Channel current = listener;
        return current != null && current.isActive();
    }

    /** How many clients are connected now. */
    public int connectedClients() {
        return clients.size();
    }

    /** Starts listening (on an ephemeral port the first time, on the same port afterwards). */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (tls != null) {
                            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
                        }
                        FrameHandlers.install(channel.pipeline(), FrameCodec.DEFAULT_MAX_FRAME_SIZE);
                        channel.pipeline().addLast("server", new Session());
                    }
                });
        listener = bootstrap.bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        LOG.debug("Simulated {} {} listening on {}", node, role, port);
    }

    /** Closes the listener and every connection, as a crashed application would. */
    public synchronized void kill() {
        Channel current = listener;
        if (current != null) {
            current.close().syncUninterruptibly();
        }
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Listens again on the same port. */
    public synchronized void restart() {
        start();
    }

    /** Whether it is blackholed: connections stay open but nothing is read or answered. */
    public boolean isBlackholed() {
        return blackholed;
    }

    /** Stops (or resumes) reading and answering, keep-alives included, without closing anything. */
    public void blackhole(boolean value) {
        blackholed = value;
        for (Channel client : clients) {
            client.config().setAutoRead(!value);
        }
    }

    /** Answers (or stops answering) every dial request with EventError. */
    public void reject(boolean value) {
        rejecting = value;
    }

    /** Delays every reply by this much (zero for none). */
    public void latency(Duration value) {
        latencyMillis = value.toMillis();
    }

    /**
     * Talk time: an answered outbound call (EventEstablished) ends with EventReleased this long after it was
     * answered, on the same link if it is still up. Zero (the default): answered calls are never released.
     */
    public void talkTime(Duration value) {
        this.talkMillis = value.toMillis();
    }

    /** Sends one DN-level EventRinging for each DN registered on each connection. */
    public void publishDnEvents() {
        if (blackholed) {
            return;
        }
        for (Channel client : clients) {
            Set<String> dns = client.attr(DNS).get();
            if (dns != null) {
                for (String dn : dns) {
                    client.writeAndFlush(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, dn)
                            .text(Attribute.CONN_ID, "dn-" + node + "-" + calls.incrementAndGet()).build());
                }
            }
        }
    }

    /** A seeded draw; its own lock, never the server's (kill() holds that while waiting on the event loop). */
    private double draw() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    /** The server side of one client connection. */
    private final class Session extends ChannelInboundHandlerAdapter {
        private ScheduledFuture<?> keepAlive;

        @Override
        public void channelActive(ChannelHandlerContext context) {
            clients.add(context.channel());
            context.channel().attr(DNS).set(ConcurrentHashMap.newKeySet());
            if (blackholed) {
                context.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object received) {
            if (blackholed) {
                return;
            }
            Message message = (Message) received;
            switch (message.type()) {
                case REQUEST_REGISTER_CLIENT -> register(context, message);
                case REQUEST_REGISTER_ADDRESS -> {
                    String dn = message.text(Attribute.THIS_DN);
                    context.channel().attr(DNS).get().add(dn);
                    cluster.recordRegistration(new ReceivedRegistration(node, role, dn));
                    reply(context, Message.of(MessageType.EVENT_REGISTERED)
                            .number(Attribute.REFERENCE_ID, message.number(Attribute.REFERENCE_ID).orElse(0L))
                            .text(Attribute.THIS_DN, dn).build());
                }
                case REQUEST_MAKE_PREDICTIVE_CALL, REQUEST_MAKE_CALL -> dial(context, message);
                case KEEP_ALIVE_PING -> context.writeAndFlush(Message.of(MessageType.KEEP_ALIVE_PONG).build());
                case KEEP_ALIVE_PONG -> { }
                default -> {
                    LOG.warn("Simulated {} {}: unexpected {}; closing the connection", node, role, message.type());
                    context.close();
                }
            }
        }

        private void register(ChannelHandlerContext context, Message message) {
            long version = message.number(Attribute.PROTOCOL_VERSION).orElse(0L);
            if (version != FrameCodec.PROTOCOL_VERSION) {
                context.writeAndFlush(Message.of(MessageType.EVENT_ERROR).number(Attribute.ERROR_CODE, 1)
                        .text(Attribute.ERROR_MESSAGE, "unsupported protocol version " + version).build());
                return;
            }
            context.writeAndFlush(Message.of(MessageType.EVENT_LINK_CONNECTED)
                    .text(Attribute.APPLICATION_NAME, "SIP_" + node + "_" + role)
                    .number(Attribute.PROTOCOL_VERSION, FrameCodec.PROTOCOL_VERSION).build());
            long remote = message.number(Attribute.ADDP_REMOTE_TIMEOUT).orElse(0L);
            if (remote > 0) {
                keepAlive = context.executor().scheduleAtFixedRate(() -> {
                    if (!blackholed) {
                        context.writeAndFlush(Message.of(MessageType.KEEP_ALIVE_PING).build());
                    }
                }, remote, remote, TimeUnit.MILLISECONDS);
            }
        }

        private void dial(ChannelHandlerContext context, Message message) {
            boolean engaging = message.type() == MessageType.REQUEST_MAKE_CALL;
            long reference = message.number(Attribute.REFERENCE_ID).orElse(0L);
            Map<String, String> extensions = message.list(Attribute.EXTENSIONS);
            String refusal;
            synchronized (cluster) {    // admitted (or fenced) in the order of arrival over the whole cluster
                refusal = staleOwner(extensions);
                cluster.recordRequest(node, role, engaging, reference, message.text(Attribute.THIS_DN),
                        message.text(Attribute.OTHER_DN), message.list(Attribute.USER_DATA), extensions, refusal != null);
            }
            if (refusal != null) {
                reply(context, Message.of(MessageType.EVENT_ERROR).number(Attribute.REFERENCE_ID, reference)
                        .number(Attribute.ERROR_CODE, STALE_FENCING_TOKEN_ERROR_CODE).text(Attribute.ERROR_MESSAGE, refusal).build());
                return;
            }
            if (rejecting) {
                reply(context, Message.of(MessageType.EVENT_ERROR).number(Attribute.REFERENCE_ID, reference)
                        .number(Attribute.ERROR_CODE, REJECT_ERROR_CODE).text(Attribute.ERROR_MESSAGE, "rejected by the simulation").build());
                return;
            }
            String connId = node + (role == LinkRole.PRIMARY ? "A" : "B") + "-" + calls.incrementAndGet();
            reply(context, Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, reference)
                    .text(Attribute.CONN_ID, connId).text(Attribute.THIS_DN, message.text(Attribute.THIS_DN))
                    .text(Attribute.OTHER_DN, message.text(Attribute.OTHER_DN)).build());
            Message outcome = callOutcome(engaging, connId, message.text(Attribute.THIS_DN));
            long delay = latencyMillis + 5;
            context.executor().schedule(() -> {
                if (!blackholed && context.channel().isActive()) {
                    context.writeAndFlush(outcome);
                }
            }, delay, TimeUnit.MILLISECONDS);
            long talk = talkMillis;
            if (talk > 0 && !engaging && outcome.type() == MessageType.EVENT_ESTABLISHED) {
                Message released = Message.of(MessageType.EVENT_RELEASED).text(Attribute.CONN_ID, connId)
                        .text(Attribute.THIS_DN, message.text(Attribute.THIS_DN)).number(Attribute.CALL_STATE, 0).build();
                context.executor().schedule(() -> {
                    if (!blackholed && context.channel().isActive()) {
                        context.writeAndFlush(released);
                    }
                }, delay + talk, TimeUnit.MILLISECONDS);
            }
        }

        /** Why a request is refused as coming from a former owner of its campaign group, or null if it is not. */
        private String staleOwner(Map<String, String> extensions) {
            String group = extensions.get(GroupOwnership.CAMPAIGN_GROUP_KEY);
            String tokenText = extensions.get(GroupOwnership.FENCING_TOKEN_KEY);
            if (group == null || tokenText == null) {
                return null;
            }
            long token;
            try {
                token = Long.parseLong(tokenText);
            } catch (NumberFormatException e) {
                return "fencing token '" + tokenText + "' is not a number";
            }
            long highest = cluster.admitFenced(group, token);
            return highest < 0 ? null : "stale fencing token " + token + " for campaign group '" + group
                    + "': a newer owner dialed with " + highest;
        }

        /** Engaging calls are answered with the node's media server; outbound calls end as a seeded draw decides. */
        private Message callOutcome(boolean engaging, String connId, String thisDn) {
            if (engaging) {
                return Message.of(MessageType.EVENT_ESTABLISHED).text(Attribute.CONN_ID, connId).text(Attribute.THIS_DN, thisDn)
                        .number(Attribute.CALL_STATE, 0).list(Attribute.USER_DATA, Map.of("GSW_MEDIA_SRV_ID", mediaServer)).build();
            }
            double draw = draw();
            if (draw < 0.6) {
                return Message.of(MessageType.EVENT_ESTABLISHED).text(Attribute.CONN_ID, connId).text(Attribute.THIS_DN, thisDn)
                        .number(Attribute.CALL_STATE, 0).build();
            }
            long callState = draw < 0.75 ? 3 : draw < 0.9 ? 4 : 7;    // busy, no answer, answering machine
            return Message.of(MessageType.EVENT_RELEASED).text(Attribute.CONN_ID, connId).text(Attribute.THIS_DN, thisDn)
                    .number(Attribute.CALL_STATE, callState).build();
        }

        private void reply(ChannelHandlerContext context, Message reply) {
            long delay = latencyMillis;
            if (delay <= 0) {
                context.writeAndFlush(reply);
            } else {
                context.executor().schedule(() -> {
                    if (!blackholed) {
                        context.writeAndFlush(reply);
                    }
                }, delay, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            LOG.warn("Simulated {} {}: closing a connection: {}", node, role, cause.toString());
            context.close();
        }
    }
}
