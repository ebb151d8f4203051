package org.dialbalance.acceptance.wire;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.dialbalance.api.Endpoint;
import org.dialbalance.api.PortKind;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.FrameHandlers;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A scriptable, possibly hostile, server side of the tserver protocol on a loopback port, for one client
 * connection at a time: every message it receives is recorded (with when it arrived) and handed to a
 * {@link Script}, which answers as the test wants. {@link #standard} is a well-behaved server.
 */
final class FakeTserver implements AutoCloseable {

    /** What the server does with each message it receives (on its I/O thread). */
    interface Script {
        void onMessage(FakeTserver server, Message message);
    }

    /** A message the server received and {@link System#nanoTime()} when its frame was decoded. */
    record Received(Message message, long atNanos) {
    }

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** Completes when the current (or next) client connection closes. */
    final CompletableFuture<Long> clientClosedAtNanos = new CompletableFuture<>();
    private final AtomicLong calls = new AtomicLong();
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("fake-tserver", true));
    private final Script script;
    private final Channel listener;
    private volatile Channel client;

    FakeTserver(Script script) {
        this.script = script;
        this.listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        FrameHandlers.install(channel.pipeline(), FrameCodec.DEFAULT_MAX_FRAME_SIZE);
                        channel.pipeline().addLast("fake", new Session());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    /** A well-behaved server: registers the client, answers pings, dials with ConnIDs {@code F-1, F-2, ...}. */
    static void standard(FakeTserver server, Message message) {
        switch (message.type()) {
            case REQUEST_REGISTER_CLIENT -> server.send(linkConnected());
            case KEEP_ALIVE_PING -> server.send(Message.of(MessageType.KEEP_ALIVE_PONG).build());
            case REQUEST_MAKE_CALL, REQUEST_MAKE_PREDICTIVE_CALL -> server.send(dialing(message, "F-" + server.calls.incrementAndGet()));
            case REQUEST_REGISTER_ADDRESS -> server.send(Message.of(MessageType.EVENT_REGISTERED)
                    .number(Attribute.REFERENCE_ID, message.number(Attribute.REFERENCE_ID).orElseThrow())
                    .text(Attribute.THIS_DN, message.text(Attribute.THIS_DN)).build());
            default -> { }
        }
    }

    static Message linkConnected() {
        return Message.of(MessageType.EVENT_LINK_CONNECTED).number(Attribute.PROTOCOL_VERSION, FrameCodec.PROTOCOL_VERSION)
                .text(Attribute.APPLICATION_NAME, "fake").build();
    }

    static Message dialing(Message request, String connId) {
        return Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, request.number(Attribute.REFERENCE_ID).orElseThrow())
                .text(Attribute.CONN_ID, connId).build();
    }

    Endpoint endpoint() {
        return new Endpoint("127.0.0.1", ((InetSocketAddress) listener.localAddress()).getPort(), PortKind.TC_PORT);
    }

    /** Writes a message to the connected client (and, unless called from a script, waits until it is written). */
    void send(Message message) {
        Channel current = client;
        if (current == null) {
            throw new IllegalStateException("no client connected");
        }
        var written = current.writeAndFlush(message);
        if (!current.eventLoop().inEventLoop()) {
            written.syncUninterruptibly();
        }
    }

    /** The next received message of a type, skipping others; fails after {@code timeout}. */
    Received next(MessageType type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received next = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no " + type + " within " + timeout);
            }
            if (next.message().type() == type) {
                return next;
            }
        }
    }

    /** Stops listening and drops the client, as a crashed server would. */
    void kill() {
        listener.close().syncUninterruptibly();
        Channel current = client;
        if (current != null) {
            current.close().syncUninterruptibly();
        }
    }

    @Override
    public void close() {
        kill();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Session extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext context) {
            client = context.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            received.add(new Received((Message) message, System.nanoTime()));
            script.onMessage(FakeTserver.this, (Message) message);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            clientClosedAtNanos.complete(System.nanoTime());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }
}
