package org.dialbalance.simulator;

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
 * One dialer's network path to the embedded ZooKeeper: a TCP relay on loopback that {@link #sever()} breaks for good,
 * as a crashed dialer's host stops answering. Every connection through it is closed and new ones are refused, so the
 * dialer's session is never closed politely: ZooKeeper expires it when the session timeout has passed without a
 * heartbeat, and only then may another dialer take the dead one's campaign groups.
 */
final class ZooKeeperLink implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean severed;

    /** Relays connections on a free loopback port to ZooKeeper's port. */
    ZooKeeperLink(int zooKeeperPort, String name) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), zooKeeperPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "dialbalance-simulator-zk-link-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The connect string a dialer uses to reach ZooKeeper through this link. */
    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Closes every connection and refuses every new one from now on. */
    void sever() {
        severed = true;
        sockets.forEach(ZooKeeperLink::closeQuietly);
        sockets.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;    // closed
            }
            if (severed) {
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
                // one side closed or severed: the other is closed below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "dialbalance-simulator-zk-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        sever();
        closeQuietly(listener);
    }
}
