package org.dialbalance.coordination.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.CoordinationStatus;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.coordination.CoordinationHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each dialer's view of the cluster's links, shared through ZooKeeper, so that an operator can tell "node 103 is down
 * for everyone" from "dialer B cannot reach node 103".
 *
 * <p><b>Publishing.</b> Each dialer keeps an ephemeral znode {@code <namespace>/links/<dialer-id>} holding, per
 * configured node, whether it is active, the link that serves it, each link up or down and the last link error:
 * <pre>
 * dialbalance-link-view 1
 * 101	active	PRIMARY	primary=up	backup=down	connection refused
 * 103	inactive	none	primary=down	backup=none	connection refused
 * </pre>
 * (tab-separated; one line per node in configured order). It is written after every cluster event, coalesced: a
 * change schedules one write {@link #COALESCE_MILLIS} later, which takes the health at that moment, and a text equal
 * to the last one written is not written again. Size is bounded: at most {@link #MAX_NODES} nodes, each error cut to
 * {@link #MAX_ERROR_CHARS} characters, so a view stays well under ZooKeeper's 1 MB znode limit (under 400 KB at most).
 * The znode is created again after a new session, and when it is found deleted while connected.
 *
 * <p><b>Reading.</b> A {@link CuratorCache} of {@code <namespace>/links} keeps every live dialer's view; a dialer that
 * dies takes its view with its session. {@link #nodeViews()} combines them: per node, which dialers see it active
 * and which see it inactive.
 *
 * <p>Writes are in the background (never block the coordinator's thread); the combined view is an immutable map
 * behind a volatile field, rebuilt on the coordinator's thread when a view changes.
 */
final class LinkViews implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkViews.class);

    static final String LINKS = "/links";
    static final String HEADER = "dialbalance-link-view 1";
    static final int MAX_NODES = 2048;
    static final int MAX_ERROR_CHARS = 120;
    static final long COALESCE_MILLIS = 100;

    private final CuratorFramework client;
    private final CoordinationHost host;
    private final ScheduledExecutorService executor;
    private final String dialerId;
    private final String path;
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    private final ClusterListener changes = new ClusterListener() {
        @Override
        public void onClusterEvent(ClusterEvent event) {
            publishSoon();
        }
    };
    private volatile boolean connected;
    private volatile Map<NodeId, CoordinationStatus.NodeView> combined = Map.of();
    private CuratorCache cache;
    // confined to the executor's thread
    private String written;

    LinkViews(CuratorFramework client, CoordinationHost host, ScheduledExecutorService executor, String dialerId) {
        this.client = client;
        this.host = host;
        this.executor = executor;
        this.dialerId = dialerId;
        this.path = LINKS + "/" + dialerId;
    }

    void start() {
        cache = CuratorCache.build(client, LINKS);
        cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) -> viewsChanged(
                type == CuratorCacheListener.Type.NODE_DELETED && before != null && path.equals(before.getPath()))).build(), executor);
        cache.start();
        host.addListener(changes);
    }

    /** The connection is up (again): writes the view anew (a new session has lost the ephemeral znode). */
    void connected() {
        connected = true;
        try {
            executor.execute(() -> {
                written = null;
                publishSoon();
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            LOG.debug("Dialer {} is closing; its link view is not written", dialerId);
        }
    }

    /** The connection is lost: nothing is written until it is back. */
    void disconnected() {
        connected = false;
    }

    /** Per node, which dialers see it active and which see it inactive, from every live dialer's published view. */
    Map<NodeId, CoordinationStatus.NodeView> nodeViews() {
        return combined;
    }

    private void publishSoon() {
        if (writeScheduled.compareAndSet(false, true)) {
            try {
                executor.schedule(this::publish, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                writeScheduled.set(false);
            }
        }
    }

    private void publish() {
        writeScheduled.set(false);
        if (!connected) {
            return;
        }
        String text = render(host.health());
        if (text.equals(written)) {
            return;
        }
        try {
            client.create().orSetData().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .inBackground((ignored, event) -> {
                        if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                            written = text;
                        } else {
                            LOG.debug("Dialer {}: writing its link view failed ({}); written again on the next change or reconnection",
                                    dialerId, KeeperException.Code.get(event.getResultCode()));
                        }
                    }, executor).forPath(path, text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            LOG.debug("Dialer {}: writing its link view failed; written again on the next change or reconnection", dialerId, e);
        }
    }

    private void viewsChanged(boolean ownDeleted) {
        Map<NodeId, List<String>> up = new TreeMap<>();
        Map<NodeId, List<String>> down = new TreeMap<>();
        cache.stream().filter(data -> data.getPath().startsWith(LINKS + "/") && data.getPath().indexOf('/', LINKS.length() + 1) < 0)
                .forEach(data -> parse(data, up, down));
        Map<NodeId, CoordinationStatus.NodeView> views = new TreeMap<>();
        for (NodeId node : union(up, down)) {
            views.put(node, new CoordinationStatus.NodeView(up.getOrDefault(node, List.of()), down.getOrDefault(node, List.of())));
        }
        combined = Map.copyOf(views);
        if (ownDeleted && connected) {
            written = null;     // an old session's ephemeral znode went away: write ours again
            publishSoon();
        }
    }

    private static List<NodeId> union(Map<NodeId, List<String>> up, Map<NodeId, List<String>> down) {
        TreeMap<NodeId, Boolean> all = new TreeMap<>();
        up.keySet().forEach(node -> all.put(node, true));
        down.keySet().forEach(node -> all.put(node, true));
        return new ArrayList<>(all.keySet());
    }

    /** Reads one dialer's view; a line it cannot read is skipped (a newer format's extra fields are ignored). */
    private static void parse(ChildData data, Map<NodeId, List<String>> up, Map<NodeId, List<String>> down) {
        String dialer = data.getPath().substring(LINKS.length() + 1);
        byte[] bytes = data.getData();
        if (bytes == null) {
            return;
        }
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("dialbalance-link-view ")) {
            return;
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split("\t", -1);
            if (fields.length < 2) {
                continue;
            }
            int dbid;
            try {
                dbid = Integer.parseInt(fields[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (dbid < 1) {
                continue;
            }
            (fields[1].equals("active") ? up : down).computeIfAbsent(NodeId.of(dbid), ignored -> new ArrayList<>()).add(dialer);
        }
    }

    /** This dialer's view as the znode holds it. */
    static String render(ClusterHealth health) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        int count = 0;
        for (ClusterHealth.NodeHealth node : health.nodes()) {
            if (++count > MAX_NODES) {
                break;
            }
            String error = !node.primary().up() ? node.primary().lastError()
                    : node.backup().filter(link -> !link.up()).map(ClusterHealth.LinkHealth::lastError).orElse("");
            text.append(node.node().dbid()).append('\t').append(node.active() ? "active" : "inactive")
                    .append('\t').append(node.serving().map(Enum::name).orElse("none"))
                    .append("\tprimary=").append(node.primary().up() ? "up" : "down")
                    .append("\tbackup=").append(node.backup().map(link -> link.up() ? "up" : "down").orElse("none"))
                    .append('\t').append(summary(error)).append('\n');
        }
        return text.toString();
    }

    private static String summary(String error) {
        StringBuilder out = new StringBuilder(Math.min(error.length(), MAX_ERROR_CHARS));
        for (int i = 0; i < error.length() && out.length() < MAX_ERROR_CHARS; i++) {
            char c = error.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    @Override
    public void close() {
        host.removeListener(changes);
        if (cache != null) {
            cache.close();
        }
    }
}
