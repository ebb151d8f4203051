package org.dialbalance.coordination.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.apache.zookeeper.ZooKeeper;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.coordination.CoordinationSettings;
import org.dialbalance.api.coordination.Coordinator;

/** One dialer's coordinator in a test, with every ownership change it reported (time-stamped). */
final class Dialer implements AutoCloseable {

    static final Duration SESSION = Duration.ofSeconds(3);
    static final Duration WAIT = Duration.ofSeconds(30);    // generous: a loaded machine may be slow

    record Change(long nanos, String group, boolean owned, long token, String detail) {
    }

    final String id;
    final ZooKeeperCoordinator coordinator;
    final List<Change> changes = new CopyOnWriteArrayList<>();
    /** Groups this dialer was told it owns while one of the {@link #witnesses} still owned them (must stay empty). */
    final List<String> overlaps = new CopyOnWriteArrayList<>();
    private volatile List<Dialer> witnesses = List.of();

    Dialer(String connectString, String id, List<String> groups, List<String> preferred) {
        this(connectString, "test", SESSION, id, groups, preferred);
    }

    Dialer(String connectString, String namespace, Duration session, String id, List<String> groups, List<String> preferred) {
        this.id = id;
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connect-string", connectString);
        options.put("namespace", namespace);
        options.put("session-timeout", session.toMillis() + " ms");
        options.put("connection-timeout", "2 s");
        options.put("dialer-id", id);
        options.put("preferred-groups", "[" + String.join(",", preferred.stream().map(group -> "\"" + group + "\"").toList()) + "]");
        ConfigResult<Coordinator> created = new ZooKeeperCoordinatorProvider().create(new CoordinationSettings("test", groups, options));
        if (!(created instanceof ConfigResult.Valid<Coordinator> valid)) {
            throw new AssertionError("options refused: " + created);
        }
        coordinator = (ZooKeeperCoordinator) valid.value();
    }

    Dialer start() {
        coordinator.start((group, owned, token, detail) -> {
            if (owned) {    // told after it owns the group: any witness that still owns it owns it at the same time
                witnesses.stream().filter(other -> other.owns(group)).forEach(other -> overlaps.add(group + " also owned by " + other.id));
            }
            changes.add(new Change(System.nanoTime(), group, owned, token, detail));
        });
        return this;
    }

    /** From now on, checks on every group it is told it owns that none of these dialers owns it too. */
    void witnesses(List<Dialer> others) {
        witnesses = List.copyOf(others);
    }

    boolean owns(String group) {
        return coordinator.fencingToken(group) > 0;
    }

    List<String> owned(List<String> groups) {
        List<String> result = new ArrayList<>();
        groups.forEach(group -> {
            if (owns(group)) {
                result.add(group);
            }
        });
        return result;
    }

    /** Makes ZooKeeper's client see its session expired, as after a crash or a long pause; the server ends it on timeout. */
    void expireSession() throws Exception {
        ZooKeeper zooKeeper = coordinator.client().getZookeeperClient().getZooKeeper();
        zooKeeper.getTestable().injectSessionExpiration();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Override
    public void close() {
        coordinator.close();
    }

    @Override
    public String toString() {
        return "dialer " + id + " " + coordinator.status();
    }
}
