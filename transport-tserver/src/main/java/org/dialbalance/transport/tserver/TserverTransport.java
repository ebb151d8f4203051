package org.dialbalance.transport.tserver;

import java.net.ConnectException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.dialbalance.api.NodeId;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.api.transport.TransportSettings;
import org.dialbalance.transport.tserver.protocol.FrameHandlers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The tserver transport: one Netty event loop group for all links (threads {@code dialbalance-tserver-*},
 * daemon, started on first use), each link a {@link TserverLink}. {@link #close()} closes every link and
 * waits for the threads to end.
 */
final class TserverTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(TserverTransport.class);

    private final TransportSettings settings;
    private final TserverOptions options;
    private final SslContext ssl;
    private final EventLoopGroup group;
    private final Set<TserverLink> links = ConcurrentHashMap.newKeySet();
    /** The calls dialed through each node, shared by its primary and backup links: call ownership is per node. */
    private final Map<NodeId, DialedCalls> calls = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TserverTransport(TransportSettings settings, TserverOptions options, SslContext ssl) {
        this.settings = settings;
        this.options = options;
        this.ssl = ssl;
        this.group = new NioEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("dialbalance-tserver", true));
    }

    @Override
    public CompletionStage<Link> connect(LinkTarget target, LinkListener listener) {
        CompletableFuture<Link> opened = new CompletableFuture<>();
        if (closed) {
            opened.completeExceptionally(new IllegalStateException("the tserver transport is closed"));
            return opened;
        }
        DialedCalls nodeCalls = calls.computeIfAbsent(target.node(), node -> new DialedCalls(options.maxTrackedCalls()));
        TserverLink link = new TserverLink(target, listener, settings, opened, links, nodeCalls, options.maxFrameSize());
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (ssl != null) {
                            channel.pipeline().addLast("tls", ssl.newHandler(channel.alloc(), target.endpoint().host(),
                                    target.endpoint().port()));
                        }
                        FrameHandlers.install(channel.pipeline(), options.maxFrameSize());
                        channel.pipeline().addLast("link", link);
                    }
                });
        ChannelFuture connecting;
        try {
            connecting = bootstrap.connect(target.endpoint().host(), target.endpoint().port());
        } catch (RuntimeException e) {
            opened.completeExceptionally(e);
            return opened;
        }
        connecting.addListener(future -> {
            if (!future.isSuccess()) {
                Throwable cause = future.cause();
                ConnectException failure = new ConnectException("cannot connect to " + target + ": "
                        + (cause == null ? "cancelled" : cause.getMessage()));
                if (cause != null) {
                    failure.initCause(cause);
                }
                opened.completeExceptionally(failure);
            }
        });
        // registration (and TLS handshake) must finish within the connect timeout too
        group.schedule(() -> {
            if (opened.completeExceptionally(new TimeoutException("no registration from " + target + " within "
                    + settings.connectTimeout().toMillis() + " ms"))) {
                connecting.channel().close();
            }
        }, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return opened;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (TserverLink link : links) {
            link.close();
        }
        if (!group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS)) {
            LOG.warn("tserver I/O threads did not end within 10 s of close()");
        }
    }
}
