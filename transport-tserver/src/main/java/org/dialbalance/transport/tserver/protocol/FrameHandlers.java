package org.dialbalance.transport.tserver.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;

/**
 * The Netty pipeline pieces both sides of the protocol share: a length-prefixed frame decoder with a
 * hard maximum, the body decoder and the encoder.
 */
public final class FrameHandlers {

    private FrameHandlers() {
    }

    /** Adds framing, decoding and encoding to a pipeline, refusing frames longer than {@code maxFrameSize}. */
    public static void install(ChannelPipeline pipeline, int maxFrameSize) {
        pipeline.addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameSize + 4, 0, 4, 0, 4, true));
        pipeline.addLast("decoder", new Decoder());
        pipeline.addLast("encoder", new Encoder());
    }

    /** Turns a frame body into a {@link Message}; a malformed body raises a {@link ProtocolException}. */
    @ChannelHandler.Sharable
    static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
        @Override
        protected void decode(ChannelHandlerContext context, ByteBuf frame, List<Object> out) throws ProtocolException {
            out.add(FrameCodec.decode(frame));
        }
    }

    /** Writes a {@link Message} as a length-prefixed frame; a frame already encoded ({@code ByteBuf}) passes through. */
    @ChannelHandler.Sharable
    static final class Encoder extends MessageToByteEncoder<Message> {
        @Override
        protected void encode(ChannelHandlerContext context, Message message, ByteBuf out) {
            FrameCodec.encodeFrame(message, out);
        }
    }
}
