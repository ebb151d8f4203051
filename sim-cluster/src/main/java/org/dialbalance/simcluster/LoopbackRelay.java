package org.dialbalance.simcluster;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback to one local port, that can be cut and healed: the network between one simulated host and a
 * real server (ZooKeeper, a node), for partitions and crashes as the server sees them. While cut, every connection
 * through it is closed and new ones are closed at once, so the client behind it is never disconnected politely: a
 * ZooKeeper session through it, for example, ends only when the server expires it.
 *
 * <p>Bytes are copied as they come, one thread per direction of each connection (daemon threads). Thread-safe.
 */
public final class LoopbackRelay implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean closed;

    /**
     * Relays connections on a free loopback port to {@code targetPort} on loopback.
     *
     * @throws IOException if no port can be listened on
     */
    public LoopbackRelay(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "dialbalance-relay-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code 127.0.0.1:<port>}: what a client connects to instead of the target. */
    public String connectString() {
        return "127.0.0.1:" + port();
    }

    /** The relay's own port on loopback. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Closes every connection through the relay and closes new ones at once, until {@link #heal()}. */
    public void cut() {
        cut = true;
        sockets.forEach(LoopbackRelay::closeQuietly);
        sockets.clear();
    }

    /** Relays new connections again (the ones {@link #cut()} closed stay closed). */
    public void heal() {
        cut = false;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;     // closed
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(target, 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            pump(client, server);
            pump(server, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed, or the relay was cut: both are closed below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "dialbalance-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Cuts every connection and stops listening. */
    @Override
    public void close() {
        closed = true;
        cut();
        closeQuietly(listener);
    }
}
