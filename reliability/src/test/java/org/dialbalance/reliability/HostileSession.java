package org.dialbalance.reliability;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.dialbalance.transport.tserver.protocol.ProtocolException;

import io.netty.buffer.Unpooled;

/**
 * The hostile server's side of one accepted connection: a reader (on a thread of the given pool) that decodes
 * what the client sends with the reference codec and checks it, and blocking writes for the fuzzer's frames.
 */
final class HostileSession implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final Findings findings;
    private final String where;
    private final CountDownLatch registered = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final ConcurrentLinkedDeque<Long> dialReferences = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<Long> registerReferences = new ConcurrentLinkedDeque<>();
    final AtomicInteger pongs = new AtomicInteger();

    HostileSession(Socket socket, ExecutorService readers, Findings findings, String where) throws IOException {
        this.socket = socket;
        this.findings = findings;
        this.where = where;
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        readers.execute(() -> read(in));
    }

    private void read(DataInputStream in) {
        try {
            boolean first = true;
            while (true) {
                int length = in.readInt();
                if (length < 4 || length > FrameCodec.DEFAULT_MAX_FRAME_SIZE) {
                    findings.violation("client wrote a frame of length " + Integer.toUnsignedLong(length), where);
                    return;
                }
                byte[] body = new byte[length];
                in.readFully(body);
                Message message;
                try {
                    message = FrameCodec.decode(Unpooled.wrappedBuffer(body));
                } catch (ProtocolException e) {
                    findings.violation("client wrote a malformed frame", where + ": " + e.getMessage());
                    return;
                }
                if (first != (message.type() == MessageType.REQUEST_REGISTER_CLIENT)) {
                    findings.violation("client's first frame is not its only RequestRegisterClient", where + ": " + message);
                }
                first = false;
                switch (message.type()) {
                    case REQUEST_REGISTER_CLIENT -> registered.countDown();
                    case REQUEST_MAKE_CALL, REQUEST_MAKE_PREDICTIVE_CALL -> dialReferences.add(message.number(Attribute.REFERENCE_ID).orElse(-1L));
                    case REQUEST_REGISTER_ADDRESS -> registerReferences.add(message.number(Attribute.REFERENCE_ID).orElse(-1L));
                    case KEEP_ALIVE_PONG -> pongs.incrementAndGet();
                    case KEEP_ALIVE_PING -> { }
                    default -> findings.violation("client wrote a server-to-client message", where + ": " + message);
                }
            }
        } catch (EOFException e) {
            // the client closed: the normal end
        } catch (IOException e) {
            // reset or closed by this side
        } finally {
            ended.countDown();
        }
    }

    boolean awaitRegistration(Duration timeout) throws InterruptedException {
        return registered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the client closed its side (or the socket ended) within the timeout. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean ended() {
        return ended.getCount() == 0;
    }

    /** A ReferenceID the client is waiting on a dial reply for (taken, so each is answered once), or -1. */
    long takeDialReference() {
        Long reference = dialReferences.pollFirst();
        return reference == null ? -1 : reference;
    }

    long takeRegisterReference() {
        Long reference = registerReferences.pollFirst();
        return reference == null ? -1 : reference;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Slowloris: one byte per write, each flushed on its own (TCP_NODELAY: one segment each). */
    void writeSlowly(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            out.write(b);
            out.flush();
        }
    }

    /** An abortive close: the client sees a reset, not an orderly end. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
