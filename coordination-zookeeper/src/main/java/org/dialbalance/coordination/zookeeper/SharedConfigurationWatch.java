package org.dialbalance.coordination.zookeeper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEventType;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.coordination.CoordinationHost;
import org.dialbalance.api.coordination.SharedConfigurationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the cluster configuration shared by the dialers of a namespace, in the znode {@code <namespace>/config}
 * ({@code coordination-options.zookeeper.shared-config = true}), and applies each change through the balancer's
 * reconfiguration ({@link CoordinationHost#applySharedConfiguration}).
 *
 * <ol>
 *   <li><b>Watch.</b> A Curator {@link CuratorCache} of the one znode reports every change; after a RECONNECTED the
 *       znode is read once more (a change made while this dialer was cut off is not missed even if the cache's own
 *       re-sync is late). A version is known by the znode's {@code mzxid}, ZooKeeper's transaction id of its last
 *       change, which only grows: a version already handled is never applied twice.</li>
 *   <li><b>Coalesce.</b> Only the newest version waits to be applied. When the balancer answers that it is too soon
 *       (it applies at most one reconfiguration per second), one retry is scheduled for when it allows one, and it
 *       applies whatever is newest then: rapid changes end with the newest applied, never with an older one.</li>
 *   <li><b>Refuse whole.</b> A version with any problem is refused with every problem, logged as a warning naming the
 *       znode and its problems, and shown in {@code health().coordination().sharedConfiguration()}; the running
 *       configuration stays until a valid version comes.</li>
 *   <li><b>Settle before dialing.</b> {@link #settled()} is false from the start and after every loss of the
 *       connection until the znode has been read whole in the current connection (a read begun before a loss counts
 *       for nothing) and its newest version applied or refused (or found absent): the coordinator contends for no group
 *       until then, so this dialer never dials on a cluster configuration it did not check against ZooKeeper.</li>
 *   <li><b>Absent znode.</b> The dialer runs its own configuration (the one it was started with, or the last one
 *       applied), and never writes the znode itself: a dialer started with a stale file must not impose it on the
 *       others. An operator publishes with {@link SharedClusterConfiguration#publish}. A deleted znode likewise leaves
 *       the running configuration as it is.</li>
 * </ol>
 * Every step runs on the coordinator's single thread ({@code executor}), so the state needs no lock; the status text is
 * volatile for {@code health()}.
 */
final class SharedConfigurationWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedConfigurationWatch.class);

    private final CuratorFramework client;
    private final CoordinationHost host;
    private final ScheduledExecutorService executor;
    private final String dialerId;
    private final String znode;
    private final Runnable onSettled;
    private volatile String status = "";
    private volatile boolean settled;
    private volatile long connection;       // one more on every loss of the connection

    private CuratorCache cache;
    // confined to the executor's thread
    private long handledMzxid = -1;
    private long readInConnection = -1;     // the connection in which the znode was last read whole
    private Pending pending;
    private boolean retryScheduled;

    private record Pending(byte[] data, Stat stat) {
    }

    /**
     * @param onSettled run on the executor once the znode has been read and handled after a start or a reconnection
     */
    SharedConfigurationWatch(CuratorFramework client, CoordinationHost host, ScheduledExecutorService executor,
                             String dialerId, String namespace, Runnable onSettled) {
        this.client = client;
        this.host = host;
        this.executor = executor;
        this.dialerId = dialerId;
        this.znode = "/" + namespace + SharedClusterConfiguration.ZNODE;
        this.onSettled = onSettled;
    }

    /** Starts the cache; its first load settles the watch. */
    void start() {
        cache = CuratorCache.build(client, SharedClusterConfiguration.ZNODE, CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> offer(after.getData(), after.getStat()))
                .forDeletes(before -> deleted())
                .forInitialized(this::reread)
                .build(), executor);
        cache.start();
    }

    /** Whether the znode has been read and handled since the last start or reconnection. */
    boolean settled() {
        return settled;
    }

    /** The state in words, for {@code health()}. */
    String status() {
        String last = status;
        if (settled) {
            return last;
        }
        return last.isEmpty() ? "reading the znode " + znode : "reading the znode " + znode + " again; before: " + last;
    }

    /** The connection was lost (SUSPENDED, LOST): a change may be missed until it is read again. */
    void connectionLost() {
        connection++;
        settled = false;
    }

    /** The connection is back: reads the znode once more, in the background, and handles what it holds. */
    void reread() {
        long at = connection;
        try {
            client.getData().inBackground((ignored, event) -> {
                if (event.getType() != CuratorEventType.GET_DATA || at != connection) {
                    return;     // a read of a connection lost since: the reconnection reads again
                }
                if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    readInConnection = at;
                    absent();
                } else if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                    readInConnection = at;
                    offer(event.getData(), event.getStat());
                } else {
                    LOG.warn("Dialer {}: reading the shared configuration {} failed ({}); read again on the next reconnection",
                            dialerId, znode, KeeperException.Code.get(event.getResultCode()));
                }
            }, executor).forPath(SharedClusterConfiguration.ZNODE);
        } catch (Exception e) {
            LOG.warn("Dialer {}: reading the shared configuration {} failed; read again on the next reconnection", dialerId, znode, e);
        }
    }

    private void offer(byte[] data, Stat stat) {
        if (stat == null || stat.getMzxid() <= handledMzxid) {
            if (pending == null && !retryScheduled) {
                settle();
            }
            return;     // handled already (the cache and a re-read both report it)
        }
        handledMzxid = stat.getMzxid();
        pending = new Pending(data == null ? new byte[0] : data, stat);
        applyPending();
    }

    private void deleted() {
        pending = null;
        status = "the znode " + znode + " was deleted; configuration v" + host.configurationVersion() + " stays";
        LOG.warn("Dialer {}: the shared configuration {} was deleted; the running configuration (v{}) stays", dialerId, znode,
                host.configurationVersion());
        settle();
    }

    private void absent() {
        if (pending == null) {
            status = "the znode " + znode + " does not exist: this dialer runs configuration v" + host.configurationVersion()
                    + " (its own, or the last one applied)";
            LOG.info("Dialer {}: no shared configuration in {}; running configuration v{}", dialerId, znode,
                    host.configurationVersion());
            settle();
        }
    }

    private void applyPending() {
        retryScheduled = false;
        Pending next = pending;
        if (next == null) {
            return;
        }
        String version = "version " + next.stat().getVersion() + " (mzxid " + next.stat().getMzxid() + ")";
        SharedConfigurationResult result;
        try {
            result = host.applySharedConfiguration(decode(next.data()));
        } catch (CharacterCodingException e) {
            result = new SharedConfigurationResult.Refused(List.of(new ConfigProblem("(text)", "(znode " + znode + ")",
                    "UTF-8 text, but the znode's bytes are not")));
        } catch (RuntimeException e) {
            LOG.error("Dialer {}: applying the shared configuration {} {} failed", dialerId, znode, version, e);
            result = new SharedConfigurationResult.Refused(List.of(new ConfigProblem("(text)", "(znode " + znode + ")",
                    "a configuration the balancer can apply, but it threw " + e)));
        }
        if (result instanceof SharedConfigurationResult.TooSoon tooSoon) {
            retryScheduled = true;
            long delayMillis = Math.max(1, tooSoon.retryIn().toMillis() + 1);
            try {
                executor.schedule(this::applyPending, delayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                LOG.debug("Dialer {} is closing; the shared configuration {} is not applied", dialerId, version);
            }
            return;
        }
        pending = null;
        if (result instanceof SharedConfigurationResult.Applied applied) {
            status = "znode " + znode + " " + version + " applied: configuration v" + applied.configurationVersion()
                    + " (" + applied.summary() + ")";
            LOG.info("Dialer {}: shared configuration {} {} applied as configuration v{}: {}", dialerId, znode, version,
                    applied.configurationVersion(), applied.summary());
        } else {
            List<ConfigProblem> problems = ((SharedConfigurationResult.Refused) result).problems();
            status = "znode " + znode + " " + version + " refused, configuration v" + host.configurationVersion()
                    + " stays: " + problems.stream().map(ConfigProblem::toString).reduce((a, b) -> a + "; " + b).orElse("");
            LOG.warn("Dialer {}: shared configuration {} {} refused, the running configuration (v{}) stays: {}", dialerId,
                    znode, version, host.configurationVersion(), problems);
        }
        settle();
    }

    /** Settles once the znode has been read in the current connection and nothing waits to be applied. */
    private void settle() {
        if (!settled && readInConnection == connection && pending == null) {
            settled = true;
            onSettled.run();
        }
    }

    private static String decode(byte[] data) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
