package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.AddpTrace;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.api.transport.TransportSettings;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.FrameHandlers;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.dialbalance.transport.tserver.protocol.ProtocolException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * One {@link TserverLink} in the pipeline the transport gives it (framing, codec, link), on an {@link EmbeddedChannel}
 * whose clock is frozen: the test plays the server with whole frames, reads the frames the link wrote, and moves time
 * with {@link #advance} (the embedded event loop's scheduled tasks and the link's request-deadline clock together).
 * No thread, no socket, no sleep.
 */
final class LinkHarness {

    static final LinkTarget TARGET = new LinkTarget(NodeId.of(101), LinkRole.PRIMARY, new Endpoint("tserver-a", 7000, PortKind.TC_PORT));
    static final CampaignGroup PREDICTIVE = CampaignGroup.of("sales", DialingMode.PREDICTIVE, "agents");
    static final CampaignGroup SEIZING = CampaignGroup.of("asm", DialingMode.PREDICTIVE_SEIZING, "agents");

    final TransportSettings settings;
    final CompletableFuture<Link> opened = new CompletableFuture<>();
    final Set<TserverLink> registry = ConcurrentHashMap.newKeySet();
    final DialedCalls calls;
    final List<TelephonyEvent> events = new CopyOnWriteArrayList<>();
    final List<String> closes = new CopyOnWriteArrayList<>();
    final Outbound outbound = new Outbound();
    final TserverLink link;
    final EmbeddedChannel channel;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    /** Runs on every reading of the link's clock; the tests use it to close the link in the middle of a send. */
    volatile Runnable onClockRead = () -> { };
    /** Runs inside {@link LinkListener#onEvent} before the event is recorded (a test makes the listener throw). */
    volatile Consumer<TelephonyEvent> onEvent = event -> { };
    /** Runs inside {@link LinkListener#onClosed} (a test checks what is complete by then). */
    volatile Runnable onClosed = () -> { };

    LinkHarness() {
        this(settings(Duration.ofSeconds(1), Duration.ZERO, 100));
    }

    LinkHarness(TransportSettings settings) {
        this(settings, new DialedCalls(1_000), FrameCodec.DEFAULT_MAX_FRAME_SIZE);
    }

    LinkHarness(TransportSettings settings, DialedCalls calls, int maxFrameSize) {
        this.settings = settings;
        this.calls = calls;
        LinkListener listener = new LinkListener() {
            @Override
            public void onEvent(TelephonyEvent event) {
                onEvent.accept(event);
                events.add(event);
            }

            @Override
            public void onClosed(String reason) {
                onClosed.run();
                closes.add(reason);
            }
        };
        link = new TserverLink(TARGET, listener, settings, opened, registry, calls, maxFrameSize, () -> {
            onClockRead.run();
            return now.get();
        });
        channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel embedded) {
                embedded.pipeline().addLast("outbound", outbound);
                FrameHandlers.install(embedded.pipeline(), maxFrameSize);
                embedded.pipeline().addLast("link", link);
            }
        });
        channel.freezeTime();
    }

    /** Settings with the given request timeout, addp-timeout (zero: off) and pending limit; addp-trace off. */
    static TransportSettings settings(Duration requestTimeout, Duration addpTimeout, int maxPending) {
        return settings(requestTimeout, addpTimeout, AddpTrace.OFF, maxPending);
    }

    static TransportSettings settings(Duration requestTimeout, Duration addpTimeout, AddpTrace trace, int maxPending) {
        return new TransportSettings("outbound-a", Duration.ofSeconds(5), requestTimeout, addpTimeout, Duration.ofSeconds(7), trace,
                maxPending, Map.of());
    }

    /** Reads the RequestRegisterClient and answers EventLinkConnected: the link is open. */
    Link open() {
        assertThat(sent().type()).isEqualTo(MessageType.REQUEST_REGISTER_CLIENT);
        receive(linkConnected(FrameCodec.PROTOCOL_VERSION));
        assertThat(opened).isCompleted();
        return opened.join();
    }

    static Message linkConnected(long version) {
        return Message.of(MessageType.EVENT_LINK_CONNECTED).number(Attribute.PROTOCOL_VERSION, version)
                .text(Attribute.APPLICATION_NAME, "tserver-a").build();
    }

    /** The server sends one frame. */
    void receive(Message message) {
        receiveBytes(frame(message));
    }

    /** The server sends raw bytes. */
    void receiveBytes(ByteBuf bytes) {
        channel.writeInbound(bytes);
        channel.runPendingTasks();
    }

    static ByteBuf frame(Message message) {
        ByteBuf out = Unpooled.buffer();
        FrameCodec.encodeFrame(message, out);
        return out;
    }

    /** The next frame the link wrote, decoded, or {@code null} if it wrote nothing more. */
    Message sent() {
        ByteBuf frame = channel.readOutbound();
        if (frame == null) {
            return null;
        }
        try {
            assertThat(frame.readInt()).as("length prefix").isEqualTo(frame.readableBytes());
            return FrameCodec.decode(frame);
        } catch (ProtocolException e) {
            throw new AssertionError("the link wrote a malformed frame", e);
        } finally {
            frame.release();
        }
    }

    /** Every frame the link wrote since the last read. */
    List<Message> allSent() {
        List<Message> all = new ArrayList<>();
        for (Message message = sent(); message != null; message = sent()) {
            all.add(message);
        }
        return all;
    }

    /**
     * Moves the link's clock and the event loop's by {@code duration} (a whole number of milliseconds), one millisecond
     * at a time so that every task that falls due runs at its time and reads that time from the link's clock.
     */
    void advance(Duration duration) {
        assertThat(duration.toNanos() % 1_000_000).as("whole milliseconds").isZero();
        for (long step = 0; step < duration.toMillis(); step++) {
            now.addAndGet(1_000_000);
            channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            channel.runPendingTasks();
        }
    }

    /** Sends a predictive call to {@code destination}. */
    CompletableFuture<SendResult> dial(String destination) {
        return link.send(predictive(destination)).toCompletableFuture();
    }

    static DialRequest.PredictiveCall predictive(String destination) {
        return DialRequest.PredictiveCall.of(PREDICTIVE, "8001", destination, Duration.ofSeconds(20));
    }

    static Message dialing(long reference, String connId) {
        return Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, reference).text(Attribute.CONN_ID, connId).build();
    }

    static Message error(long reference, long code, String text) {
        return Message.of(MessageType.EVENT_ERROR).number(Attribute.REFERENCE_ID, reference).number(Attribute.ERROR_CODE, code)
                .text(Attribute.ERROR_MESSAGE, text).build();
    }

    static long reference(Message request) {
        return request.number(Attribute.REFERENCE_ID).orElseThrow();
    }

    /** The link is closed: the channel, {@link Link#isOpen()}, and the transport's registry agree. */
    void assertClosed() {
        assertThat(channel.isOpen()).as("channel open").isFalse();
        assertThat(link.isOpen()).as("link open").isFalse();
        assertThat(registry).as("registry").doesNotContain(link);
    }

    /**
     * The outermost outbound handler: passes writes on, or fails them with {@link #failWith} (what a write on a
     * channel that is closing, or whose socket broke, ends with); passes closes on, or, while {@link #holdClose} is
     * set, holds them until {@link #releaseClose()} (over a socket the channel goes inactive a little after the close
     * is asked for, and frames already read are still delivered in between).
     */
    static final class Outbound extends ChannelOutboundHandlerAdapter {
        volatile Throwable failWith;
        volatile boolean holdClose;
        private final List<ChannelPromise> heldCloses = new ArrayList<>();
        private ChannelHandlerContext context;

        @Override
        public void handlerAdded(ChannelHandlerContext added) {
            context = added;
        }

        @Override
        public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
            Throwable failure = failWith;
            if (failure == null) {
                super.write(context, message, promise);
            } else {
                ReferenceCountUtil.release(message);
                promise.setFailure(failure);
            }
        }

        @Override
        public void close(ChannelHandlerContext context, ChannelPromise promise) throws Exception {
            if (holdClose) {
                heldCloses.add(promise);
            } else {
                super.close(context, promise);
            }
        }

        /** How many closes are held. */
        int heldCloses() {
            return heldCloses.size();
        }

        /** Stops holding and carries out the closes held. */
        void releaseClose() {
            holdClose = false;
            heldCloses.forEach(context::close);
            heldCloses.clear();
        }
    }
}
