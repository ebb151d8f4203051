package org.dialbalance.benchmarks.e2e;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.dialbalance.api.Endpoint;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.api.PortKind;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.FrameHandlers;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The bare server side of the tserver protocol on loopback, for the end-to-end benchmarks: it completes
 * the registration handshake, answers keep-alives and answers every dial request with EventDialing (the
 * same attributes the simulated cluster sends) and nothing else. No recording, no call outcomes, no
 * faults, so the client side is what gets measured. One listening port per node.
 */
public final class EchoNodeServer implements AutoCloseable {

    /** Name prefix of the server's threads. */
    public static final String THREAD_PREFIX = "bench-echo-server";

    private final EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<NodeSpec> nodes = new ArrayList<>();

    /**
     * Starts {@code count} nodes, DBIDs 101.., on loopback.
     *
     * @param ioThreads Netty event loop threads shared by all nodes
     */
    public EchoNodeServer(int count, int ioThreads) {
        group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory(THREAD_PREFIX, true));
        try {
            for (int i = 0; i < count; i++) {
                int dbid = 101 + i;
                Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel channel) {
                                FrameHandlers.install(channel.pipeline(), FrameCodec.DEFAULT_MAX_FRAME_SIZE);
                                channel.pipeline().addLast("echo", new Session(dbid));
                            }
                        })
                        .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
                listeners.add(listener);
                int port = ((InetSocketAddress) listener.localAddress()).getPort();
                nodes.add(NodeSpec.of(NodeId.of(dbid), "Echo_" + dbid, new Endpoint("127.0.0.1", port, PortKind.TC_PORT)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The nodes, primary only, in DBID order. */
    public List<NodeSpec> nodeSpecs() {
        return List.copyOf(nodes);
    }

    @Override
    public void close() {
        listeners.forEach(channel -> channel.close().syncUninterruptibly());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client connection. */
    private static final class Session extends SimpleChannelInboundHandler<Message> {
        private final int dbid;
        private final AtomicLong calls = new AtomicLong();

        Session(int dbid) {
            this.dbid = dbid;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, Message message) {
            switch (message.type()) {
                case REQUEST_REGISTER_CLIENT -> context.writeAndFlush(Message.of(MessageType.EVENT_LINK_CONNECTED)
                        .text(Attribute.APPLICATION_NAME, "Echo_" + dbid)
                        .number(Attribute.PROTOCOL_VERSION, FrameCodec.PROTOCOL_VERSION).build());
                case REQUEST_MAKE_PREDICTIVE_CALL, REQUEST_MAKE_CALL -> context.writeAndFlush(Message.of(MessageType.EVENT_DIALING)
                        .number(Attribute.REFERENCE_ID, message.number(Attribute.REFERENCE_ID).orElse(0L))
                        .text(Attribute.CONN_ID, dbid + "A-" + calls.incrementAndGet())
                        .text(Attribute.THIS_DN, message.text(Attribute.THIS_DN))
                        .text(Attribute.OTHER_DN, message.text(Attribute.OTHER_DN)).build());
                case KEEP_ALIVE_PING -> context.writeAndFlush(Message.of(MessageType.KEEP_ALIVE_PONG).build());
                default -> { }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }
}
