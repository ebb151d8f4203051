package org.dialbalance.coordination.zookeeper;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.dialbalance.api.CoordinationStatus;
import org.dialbalance.api.coordination.CoordinationHost;
import org.dialbalance.api.coordination.Coordinator;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.api.coordination.OwnershipListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaign-group ownership on ZooKeeper: each group has one owner at a time, with a fencing token that increases on
 * every change of owner.
 *
 * <ol>
 *   <li><b>Membership.</b> Each dialer keeps an ephemeral znode {@code /dialers/<dialer-id>} (Curator's
 *       {@link PersistentNode}, re-created after a new session) holding its preferred groups. Every dialer watches
 *       them all ({@link CuratorCache}).</li>
 *   <li><b>Assignment.</b> From the live dialers each one computes the same assignment: a group goes to one of the
 *       dialers that prefer it, or, if none does, to one of all; the choice among them is rendezvous hashing of group
 *       and dialer id, so a dialer that leaves moves only its own groups and a dialer that joins takes only its
 *       share.</li>
 *   <li><b>Leadership.</b> A dialer contends for exactly the groups assigned to it, with one Curator
 *       {@link LeaderLatch} per group under {@code /groups/<group>}. The latch, not the assignment, decides: two
 *       dialers whose views of the membership differ for a moment both contend, and one wins. LeaderLatch rather
 *       than LeaderSelector: ownership is a state held until given up, not a task run in a callback, and the latch's
 *       own znode gives the token.</li>
 *   <li><b>Fencing token.</b> The {@code czxid} of the winning latch znode: ZooKeeper's transaction id of its
 *       creation, which only grows across the whole ensemble. The leader is always the oldest latch znode; when it
 *       goes, the next leader's znode was created after it, and a dialer that re-contends creates a new znode, so the
 *       token increases on every change of owner (a sequence number would restart if the parent znode were
 *       removed).</li>
 *   <li><b>Loss first.</b> SUSPENDED (the connection is lost: ZooKeeper's client notices within two thirds of the
 *       session timeout, before the server expires the session and another dialer can win), LOST and READ_ONLY
 *       empty this dialer's ownership at once in the connection-state callback, before anything else; RECONNECTED
 *       re-contends (each latch creates a new znode, so a new token) and then takes every group whose latch leads,
 *       including one whose latch won before the reconnection was reported (its win came while the connection was
 *       still down, so it was not taken then, and a latch says so only once). A dialer that is assigned a group no more
 *       (a preferring dialer came back) gives it up before it deletes its latch znode.</li>
 *   <li><b>Shared configuration and link views</b> (started with a {@link CoordinationHost}): with
 *       {@code shared-config = true} the dialer follows the cluster configuration in {@code /config}
 *       ({@link SharedConfigurationWatch}) and contends for no group until it has read and handled it, after the start
 *       and after every reconnection; every dialer publishes its view of the links in {@code /links/<dialer-id>} and
 *       reads the others' ({@link LinkViews}), shown in {@link #status()}.</li>
 * </ol>
 * The dial path reads {@link #fencingToken} — one volatile read of an immutable map. Every change is under one lock
 * and is reported to the {@link OwnershipListener} in order on this coordinator's own thread.
 */
public final class ZooKeeperCoordinator implements Coordinator {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperCoordinator.class);

    static final String DIALERS = "/dialers";
    static final String GROUPS = "/groups";

    private final ZooKeeperOptions options;
    private final Object lock = new Object();
    private volatile Map<String, Long> owned = Map.of();
    private volatile boolean connected;
    private volatile String connection = "not started";
    private volatile Map<String, String> assignees = Map.of();

    // guarded by lock
    private List<String> groups;
    private final Map<String, LeaderLatch> latches = new HashMap<>();
    private boolean started;
    private boolean closed;
    private OwnershipListener listener;

    private CuratorFramework client;
    private PersistentNode member;
    private CuratorCache dialers;
    private ScheduledExecutorService events;
    private ExecutorService curatorNotifications;
    private volatile SharedConfigurationWatch sharedConfiguration;
    private volatile LinkViews linkViews;
    private volatile Thread eventsThread;

    ZooKeeperCoordinator(ZooKeeperOptions options, List<String> groups) {
        this.options = options;
        this.groups = List.copyOf(groups);
    }

    @Override
    public void start(OwnershipListener ownershipListener) {
        start(ownershipListener, null);
    }

    /**
     * Starts taking part; with a host, also publishes this dialer's link view and reads the others', and (with
     * {@code shared-config = true}) follows the shared cluster configuration.
     *
     * @param ownershipListener told of every change of this dialer's ownership
     * @param host              the balancer, or {@code null} for ownership alone
     */
    @Override
    public void start(OwnershipListener ownershipListener, CoordinationHost host) {
        synchronized (lock) {
            if (started || closed) {
                throw new IllegalStateException("a ZooKeeper coordinator starts once");
            }
            started = true;
            listener = ownershipListener;
            events = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "dialbalance-zookeeper-" + options.dialerId());
                thread.setDaemon(true);
                eventsThread = thread;
                return thread;
            });
        }
        curatorNotifications = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dialbalance-zookeeper-" + options.dialerId() + "-notify");
            thread.setDaemon(true);
            return thread;
        });
        client = CuratorFrameworkFactory.builder().connectString(options.connectString()).namespace(options.namespace())
                .runSafeService(curatorNotifications)    // Curator's own would outlive close()
                .sessionTimeoutMs(Math.toIntExact(options.sessionTimeout().toMillis()))
                .connectionTimeoutMs(Math.toIntExact(options.connectionTimeout().toMillis()))
                .retryPolicy(new BoundedExponentialBackoffRetry(100, 2000, 10)).build();
        if (host != null) {
            linkViews = new LinkViews(client, host, events, options.dialerId());
            if (options.sharedConfig()) {
                sharedConfiguration = new SharedConfigurationWatch(client, host, events, options.dialerId(), options.namespace(),
                        this::rebalance);
            }
        } else if (options.sharedConfig()) {
            LOG.warn("Dialer {}: shared-config = true needs a balancer to reconfigure; started without one, it is not followed",
                    options.dialerId());
        }
        client.getConnectionStateListenable().addListener((source, state) -> connectionChanged(state));
        client.start();
        if (linkViews != null) {
            linkViews.start();
        }
        if (sharedConfiguration != null) {
            sharedConfiguration.start();
        }
        member = new PersistentNode(client, CreateMode.EPHEMERAL, false, DIALERS + "/" + options.dialerId(),
                String.join("\n", options.preferredGroups()).getBytes(StandardCharsets.UTF_8));
        member.start();
        dialers = CuratorCache.build(client, DIALERS);
        dialers.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) -> rebalance()).build(), events);
        dialers.start();
        LOG.info("Dialer {} contends for campaign groups {} on ZooKeeper {} (namespace {}, session timeout {} ms)",
                options.dialerId(), groups, options.connectString(), options.namespace(), options.sessionTimeout().toMillis());
    }

    /** On Curator's event thread: a lost or doubtful connection gives every group up at once, before anything else. */
    private void connectionChanged(ConnectionState state) {
        LOG.info("Dialer {}: ZooKeeper connection {}", options.dialerId(), state);
        synchronized (lock) {
            connection = state.name();
            if (state.isConnected() && state != ConnectionState.READ_ONLY) {
                connected = true;
            } else {
                connected = false;
                giveUpAll("ZooKeeper connection " + state + ": ownership given up at once");
                if (sharedConfiguration != null) {
                    sharedConfiguration.connectionLost();     // a change may be missed: read it again before dialing
                }
                if (linkViews != null) {
                    linkViews.disconnected();
                }
            }
        }
        if (state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED) {
            if (linkViews != null) {
                linkViews.connected();
            }
            if (sharedConfiguration != null && state == ConnectionState.RECONNECTED) {
                execute(sharedConfiguration::reread);     // the start's first read is the cache's
            }
            execute(this::rebalance);
        }
    }

    /** On this coordinator's thread: contends for exactly the groups assigned to this dialer. */
    private void rebalance() {
        Map<String, LeaderLatch> heldBack = new TreeMap<>();
        Map<String, Set<String>> live = new TreeMap<>();
        if (dialers != null) {
            dialers.stream().forEach(data -> {
                String path = data.getPath();
                if (path.startsWith(DIALERS + "/") && path.indexOf('/', DIALERS.length() + 1) < 0) {
                    live.put(path.substring(DIALERS.length() + 1), preferences(data));
                }
            });
        }
        synchronized (lock) {
            if (closed || !connected || !live.containsKey(options.dialerId())) {
                return;     // not reachable, or not yet a member in its own view: change nothing
            }
            if (sharedConfiguration != null && !sharedConfiguration.settled()) {
                return;     // the shared configuration is not read yet: contend once it is (it calls rebalance)
            }
            Map<String, String> assignment = assignment(groups, live);
            assignees = Map.copyOf(assignment);
            for (String group : groups) {
                if (options.dialerId().equals(assignment.get(group)) && !latches.containsKey(group)) {
                    contend(group);
                }
            }
            for (String group : new ArrayList<>(latches.keySet())) {
                String assignee = assignment.get(group);
                if (!options.dialerId().equals(assignee)) {
                    giveUp(group, assignee == null ? "campaign group removed from the configuration"
                            : "handed to dialer " + assignee + " (the assignment over the live dialers changed)");
                    closeQuietly(latches.remove(group));
                }
            }
            // a latch that won while its win could not be taken: while the shared configuration was being read, or
            // while the connection was not yet back (its isLeader came before RECONNECTED; it will not come again)
            latches.forEach((group, latch) -> {
                if (latch.hasLeadership() && !owned.containsKey(group)) {
                    heldBack.put(group, latch);
                }
            });
        }
        heldBack.forEach(this::leadershipGained);
    }

    private void contend(String group) {
        LeaderLatch latch = new LeaderLatch(client, GROUPS + "/" + znodeName(group), options.dialerId());
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                leadershipGained(group, latch);
            }

            @Override
            public void notLeader() {
                synchronized (lock) {
                    if (latches.get(group) == latch) {
                        giveUp(group, "leadership lost");
                    }
                }
            }
        }, events);
        latches.put(group, latch);
        try {
            latch.start();
        } catch (Exception e) {
            LOG.error("Dialer {} could not contend for campaign group '{}'", options.dialerId(), group, e);
            latches.remove(group);
        }
    }

    private void leadershipGained(String group, LeaderLatch latch) {
        Stat stat;
        String path = latch.getOurPath();
        try {
            stat = path == null ? null : client.checkExists().forPath(path);
        } catch (Exception e) {
            LOG.warn("Dialer {} won campaign group '{}' but could not read its token; not dialing it", options.dialerId(), group, e);
            return;
        }
        synchronized (lock) {
            if (stat == null || closed || !connected || latches.get(group) != latch || !latch.hasLeadership()) {
                return;     // lost again meanwhile: the latch will say so, or already did
            }
            if (sharedConfiguration != null && !sharedConfiguration.settled()) {
                return;     // not before the shared configuration is read: rebalance takes the group then
            }
            if (owned.containsKey(group)) {
                return;     // told twice (the latch and a rebalance): owned already
            }
            Map<String, Long> next = new HashMap<>(owned);
            next.put(group, stat.getCzxid());
            owned = Map.copyOf(next);
            notify(group, true, stat.getCzxid(), "leadership acquired (fencing token " + stat.getCzxid() + ")");
        }
    }

    /** Call under the lock. */
    private void giveUp(String group, String why) {
        if (owned.containsKey(group)) {
            Map<String, Long> next = new HashMap<>(owned);
            next.remove(group);
            owned = Map.copyOf(next);
            notify(group, false, GroupOwnership.NOT_OWNER, why);
        }
    }

    /** Call under the lock. */
    private void giveUpAll(String why) {
        Map<String, Long> lost = owned;
        owned = Map.of();
        new TreeSet<>(lost.keySet()).forEach(group -> notify(group, false, GroupOwnership.NOT_OWNER, why));
    }

    /** Call under the lock: queued in order, delivered on this coordinator's thread. */
    private void notify(String group, boolean isOwned, long token, String detail) {
        LOG.info("Dialer {} {} campaign group '{}': {}", options.dialerId(), isOwned ? "owns" : "gave up", group, detail);
        OwnershipListener target = listener;
        execute(() -> target.onOwnershipChanged(group, isOwned, token, detail));
    }

    private void execute(Runnable task) {
        try {
            events.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            LOG.debug("Dialer {} is closing; {} not run", options.dialerId(), task);
        }
    }

    @Override
    public long fencingToken(String campaignGroup) {
        Long token = owned.get(campaignGroup);
        return token == null ? GroupOwnership.NOT_OWNER : token;
    }

    @Override
    public String notOwnerDetail(String campaignGroup) {
        if (!connected) {
            return "ZooKeeper connection " + connection + ": dialer " + options.dialerId()
                    + " owns no campaign group until it is connected again";
        }
        if (sharedConfiguration != null && !sharedConfiguration.settled()) {
            return "dialer " + options.dialerId() + " is reading the shared cluster configuration; it contends for campaign"
                    + " groups once it has applied or refused it";
        }
        String assignee = assignees.get(campaignGroup);
        if (assignee == null) {
            return "campaign group '" + campaignGroup + "' has no owner among the live dialers yet";
        }
        return options.dialerId().equals(assignee)
                ? "campaign group '" + campaignGroup + "' is being taken over by this dialer (waiting for the former owner to let go)"
                : "campaign group '" + campaignGroup + "' is owned by dialer " + assignee;
    }

    @Override
    public void campaignGroupsChanged(List<String> campaignGroups) {
        synchronized (lock) {
            groups = List.copyOf(campaignGroups);
            if (!started || closed) {
                return;
            }
        }
        execute(this::rebalance);
    }

    @Override
    public CoordinationStatus status() {
        Map<String, Long> now = owned;
        boolean up = connected;
        String detail = up
                ? "connected to " + options.connectString() + " as dialer " + options.dialerId() + ", " + now.size() + " of "
                        + groupCount() + " campaign groups owned"
                : "ZooKeeper connection " + connection + " (" + options.connectString() + ")";
        String shared = sharedConfiguration == null ? "off" : sharedConfiguration.status();
        return new CoordinationStatus(ZooKeeperCoordinatorProvider.NAME, options.dialerId(), up, now, detail, shared,
                linkViews == null ? Map.of() : linkViews.nodeViews());
    }

    private int groupCount() {
        synchronized (lock) {
            return groups.size();
        }
    }

    @Override
    public void close() {
        List<LeaderLatch> toClose;
        boolean reachable;
        synchronized (lock) {
            if (closed) {
                return;
            }
            reachable = connected;
            closed = true;
            connected = false;
            connection = "closed";
            giveUpAll("dialer stopped");
            toClose = new ArrayList<>(latches.values());
            latches.clear();
        }
        toClose.forEach(ZooKeeperCoordinator::closeQuietly);
        if (sharedConfiguration != null) {
            sharedConfiguration.close();
        }
        if (linkViews != null) {
            linkViews.close();
        }
        if (dialers != null) {
            dialers.close();
        }
        if (member != null && reachable) {    // out of reach, deleting would wait out every retry; the session's end removes it
            try {
                member.close();
            } catch (java.io.IOException e) {
                LOG.warn("Dialer {}: closing its membership znode failed", options.dialerId(), e);
            }
        }
        if (client != null) {
            client.close();
        }
        if (curatorNotifications != null) {
            curatorNotifications.shutdown();
            awaitEnd(curatorNotifications, "a Curator notification");
        }
        if (events != null) {
            events.shutdown();
            if (Thread.currentThread() == eventsThread) {
                return;     // closed from an ownership listener (a balancer stopped in its callback): it ends once that returns
            }
            awaitEnd(events, "an ownership listener");
        }
        LOG.info("Dialer {} left ZooKeeper", options.dialerId());
    }

    private void awaitEnd(ExecutorService executor, String what) {
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Dialer {}: {} is still running after 10 s", options.dialerId(), what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(LeaderLatch latch) {
        try {
            latch.close();
        } catch (java.io.IOException | IllegalStateException e) {
            LOG.debug("Closing a leader latch failed; its ephemeral znode goes with the session", e);
        }
    }

    private static Set<String> preferences(ChildData data) {
        byte[] bytes = data.getData();
        Set<String> preferred = new TreeSet<>();
        if (bytes != null && bytes.length > 0) {
            for (String group : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (!group.isEmpty()) {
                    preferred.add(group);
                }
            }
        }
        return preferred;
    }

    /**
     * The owner-to-be of each group over the live dialers: among the dialers that prefer it (all of them if none
     * does), the one with the highest rendezvous score of group and dialer id. The same on every dialer that sees the
     * same members.
     *
     * @param groups the campaign groups
     * @param live   dialer id to its preferred groups
     */
    static Map<String, String> assignment(List<String> groups, Map<String, Set<String>> live) {
        Map<String, String> result = new LinkedHashMap<>();
        if (live.isEmpty()) {
            return result;
        }
        for (String group : groups) {
            List<String> candidates = live.entrySet().stream().filter(entry -> entry.getValue().contains(group))
                    .map(Map.Entry::getKey).toList();
            if (candidates.isEmpty()) {
                candidates = List.copyOf(live.keySet());
            }
            result.put(group, candidates.stream().max(Comparator.comparingLong((String id) -> score(group, id))
                    .thenComparing(Comparator.reverseOrder())).orElseThrow());
        }
        return result;
    }

    private static long score(String group, String dialer) {
        long h = 0xcbf29ce484222325L;       // FNV-1a over both names, then a final mix
        for (byte b : (group + "\u0000" + dialer).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** A campaign group's name as one znode name: URL-encoded, dots too (so "." and ".." are names like any other). */
    static String znodeName(String group) {
        return URLEncoder.encode(group, StandardCharsets.UTF_8).replace(".", "%2E").replace("*", "%2A");
    }

    /** The Curator client, for tests that expire its session. */
    CuratorFramework client() {
        return client;
    }

    @Override
    public String toString() {
        return "ZooKeeper coordinator of dialer " + options.dialerId() + " on " + options.connectString() + "/" + options.namespace();
    }
}
