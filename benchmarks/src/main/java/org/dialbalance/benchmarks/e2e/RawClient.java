package org.dialbalance.benchmarks.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.FrameHandlers;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The raw baseline of the end-to-end benchmarks: the same frames as the tserver transport (the same
 * {@link FrameHandlers} pipeline, the same RequestMakePredictiveCall attributes, one write and flush per
 * request, ReferenceID correlation in a concurrent map) over one connection per node, spread by a bare
 * counter; no balancer, no snapshot, no policy, no timeouts, no outcome objects.
 */
public final class RawClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextReference = new AtomicLong();
    private final AtomicInteger nextChannel = new AtomicInteger();

    /**
     * Connects to every node and registers.
     *
     * @param ioThreads Netty event loop threads, as the tserver transport's {@code io-threads}
     * @throws IllegalStateException if a node does not complete the handshake within 5 s
     */
    public RawClient(List<NodeSpec> nodes, int ioThreads) throws InterruptedException {
        group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("bench-raw-client", true));
        try {
            for (NodeSpec node : nodes) {
                CompletableFuture<Void> registered = new CompletableFuture<>();
                Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel socket) {
                                FrameHandlers.install(socket.pipeline(), FrameCodec.DEFAULT_MAX_FRAME_SIZE);
                                socket.pipeline().addLast("raw", new Replies(registered));
                            }
                        })
                        .connect(node.primary().host(), node.primary().port()).sync().channel();
                channel.writeAndFlush(Message.of(MessageType.REQUEST_REGISTER_CLIENT).text(Attribute.APPLICATION_NAME, "raw")
                        .number(Attribute.PROTOCOL_VERSION, FrameCodec.PROTOCOL_VERSION).build());
                registered.get(5, TimeUnit.SECONDS);
                channels.add(channel);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            close();
            throw new IllegalStateException("raw client could not register: " + e, e);
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Sends one request on the next connection; completes with the ConnID of the EventDialing reply. */
    public CompletableFuture<String> dial(DialRequest request) {
        DialRequest.PredictiveCall call = (DialRequest.PredictiveCall) request;
        long reference = nextReference.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(reference, reply);
        Channel channel = channels.get((nextChannel.getAndIncrement() & Integer.MAX_VALUE) % channels.size());
        channel.writeAndFlush(Message.of(MessageType.REQUEST_MAKE_PREDICTIVE_CALL).number(Attribute.TIMEOUT, call.ringTimeout().toSeconds())
                .number(Attribute.REFERENCE_ID, reference).text(Attribute.THIS_DN, call.thisDn())
                .text(Attribute.OTHER_DN, call.otherDn()).list(Attribute.USER_DATA, call.userData())
                .list(Attribute.EXTENSIONS, call.extensions()).build());
        return reply;
    }

    @Override
    public void close() {
        channels.forEach(channel -> channel.close().syncUninterruptibly());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Completes requests from their replies. */
    private final class Replies extends SimpleChannelInboundHandler<Message> {
        private final CompletableFuture<Void> registered;

        Replies(CompletableFuture<Void> registered) {
            this.registered = registered;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, Message message) {
            if (message.type() == MessageType.EVENT_LINK_CONNECTED) {
                registered.complete(null);
            } else if (message.type() == MessageType.EVENT_DIALING) {
                CompletableFuture<String> reply = pending.remove(message.number(Attribute.REFERENCE_ID).orElse(-1L));
                if (reply != null) {
                    reply.complete(message.text(Attribute.CONN_ID));
                }
            }
        }
    }
}
