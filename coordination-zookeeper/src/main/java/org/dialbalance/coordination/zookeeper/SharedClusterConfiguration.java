package org.dialbalance.coordination.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;

/**
 * Publishes the cluster configuration that the dialers of one namespace share
 * ({@code coordination-options.zookeeper.shared-config = true}): HOCON text with a {@code dialbalance { ... }} block
 * holding the cluster options only ({@code nodes}, {@code sip-cluster-prime-node}, {@code sip-cluster-lb-mode},
 * {@code asm-policy}, {@code policy-options}, {@code agent-groups}, {@code campaign-groups}), written to the znode
 * {@code <namespace>/config}. Every dialer that follows it checks each version whole and applies it through its
 * reconfiguration, or refuses it with every problem and keeps running what it ran; publishing does not check the text
 * (check it first with {@code ./dialbalance check-config}).
 */
public final class SharedClusterConfiguration {

    /** The znode of the shared configuration, under the namespace. */
    public static final String ZNODE = "/config";

    /** The largest text accepted, in UTF-8 bytes: what a configuration file may hold, within ZooKeeper's 1 MB limit. */
    public static final int MAX_BYTES = 1_000_000;

    private SharedClusterConfiguration() {
    }

    /**
     * Writes the shared configuration with a client of the caller's: creates the znode {@code /config} (and its
     * parents) or replaces its data. The client's own namespace, if it has one, is the dialers' {@code namespace}.
     *
     * @param client a started client whose namespace is the dialers' {@code namespace}
     * @param hocon  the configuration's text
     * @return the znode's data version after the write (0 when it was created)
     * @throws IllegalArgumentException if the text is blank or larger than {@link #MAX_BYTES}
     * @throws IllegalStateException    if ZooKeeper refused or could not be reached
     */
    public static int publish(CuratorFramework client, String hocon) {
        byte[] data = checked(hocon);
        try {
            try {
                client.create().creatingParentContainersIfNeeded().forPath(ZNODE, data);
                return 0;
            } catch (KeeperException.NodeExistsException exists) {
                return client.setData().forPath(ZNODE, data).getVersion();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not write the shared configuration " + ZNODE + " to ZooKeeper: " + e, e);
        }
    }

    /**
     * Connects to ZooKeeper, writes the shared configuration of a namespace and disconnects.
     *
     * @param connectString ZooKeeper's servers as {@code host:port}, separated by commas (the dialers' {@code connect-string})
     * @param namespace     the dialers' {@code namespace}, e.g. {@code dialbalance/site-a}
     * @param hocon         the configuration's text
     * @param timeout       how long to wait for ZooKeeper
     * @return the znode's data version after the write
     * @throws IllegalArgumentException if the text is blank or larger than {@link #MAX_BYTES}
     * @throws IllegalStateException    if ZooKeeper could not be reached in time or refused the write
     */
    public static int publish(String connectString, String namespace, String hocon, Duration timeout) {
        Objects.requireNonNull(connectString, "connectString");
        Objects.requireNonNull(namespace, "namespace");
        checked(hocon);
        int millis = Math.toIntExact(Math.max(100, timeout.toMillis()));
        try (CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connectString).namespace(namespace)
                .sessionTimeoutMs(Math.max(millis, 4000)).connectionTimeoutMs(millis)
                .retryPolicy(new BoundedExponentialBackoffRetry(100, 1000, 3)).build()) {
            client.start();
            if (!client.blockUntilConnected(millis, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("ZooKeeper " + connectString + " was not reached within " + timeout
                        + "; the shared configuration was not written");
            }
            return publish(client, hocon);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to ZooKeeper " + connectString, e);
        }
    }

    private static byte[] checked(String hocon) {
        Objects.requireNonNull(hocon, "hocon");
        if (hocon.isBlank()) {
            throw new IllegalArgumentException("a shared configuration must hold a 'dialbalance { ... }' block; this text is blank");
        }
        byte[] data = hocon.getBytes(StandardCharsets.UTF_8);
        if (data.length > MAX_BYTES) {
            throw new IllegalArgumentException("a shared configuration holds at most " + MAX_BYTES + " bytes of UTF-8; this one has "
                    + data.length);
        }
        return data;
    }
}
