package org.dialbalance.coordination.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.coordination.zookeeper.Dialer.await;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.simcluster.LoopbackRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Campaign-group ownership on a real ZooKeeper server (curator-test, in this JVM): spread over the live dialers, moved
 * when a dialer stops, loses its session or is cut off; an ensemble that loses a member goes on; tokens increase on
 * every change of owner; never two owners of one group at once.
 */
class ZooKeeperCoordinatorTest {

    static final List<String> GROUPS = List.of("Sales", "Retention", "Collections", "Win-back");

    private TestingServer server;
    private final List<Dialer> dialers = new ArrayList<>();

    static InstanceSpec fastTicks(int serverId) {
        // tickTime 300 ms: sessions of 0.6 to 6 s, so a 3 s session is honoured as asked
        return new InstanceSpec(null, -1, -1, -1, true, serverId, 300, -1);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new TestingServer(fastTicks(1), true);
    }

    @AfterEach
    void stop() throws Exception {
        dialers.forEach(Dialer::close);
        server.close();
    }

    private Dialer dialer(String connect, String id, List<String> preferred) {
        Dialer dialer = new Dialer(connect, id, GROUPS, preferred).start();
        dialers.add(dialer);
        return dialer;
    }

    /** Every group owned by exactly one of the dialers. */
    private static boolean eachOwnedOnce(List<Dialer> by) {
        for (String group : GROUPS) {
            if (by.stream().filter(dialer -> dialer.owns(group)).count() != 1) {
                return false;
            }
        }
        return true;
    }

    @Test
    void groupsSpreadOverTheDialersAndMoveWhenOneStops() {
        Dialer a = dialer(server.getConnectString(), "a", List.of());
        Dialer b = dialer(server.getConnectString(), "b", List.of());
        await("each group owned by one dialer", () -> eachOwnedOnce(List.of(a, b)) && !a.owned(GROUPS).isEmpty()
                && !b.owned(GROUPS).isEmpty());
        Map<String, Long> before = new HashMap<>();
        GROUPS.forEach(group -> before.put(group, Math.max(a.coordinator.fencingToken(group), b.coordinator.fencingToken(group))));
        List<String> ofA = a.owned(GROUPS);

        a.close();

        assertThat(a.owned(GROUPS)).as("a stopped dialer owns nothing").isEmpty();
        await("b takes a's groups", () -> b.owned(GROUPS).containsAll(GROUPS));
        for (String group : ofA) {
            assertThat(b.coordinator.fencingToken(group)).as("the token of %s grows with its new owner", group)
                    .isGreaterThan(before.get(group));
        }
        assertThat(b.coordinator.status().owned()).containsOnlyKeys(GROUPS);
    }

    @Test
    void preferredGroupsGoToTheDialerThatPrefersThem() {
        Dialer standby = dialer(server.getConnectString(), "standby", List.of());
        Dialer active = dialer(server.getConnectString(), "active", GROUPS);
        await("the active dialer owns every group", () -> active.owned(GROUPS).containsAll(GROUPS) && standby.owned(GROUPS).isEmpty());
    }

    @Test
    void aDialerWhoseSessionExpiresGivesUpAtOnceAndReContendsWithNewerTokens() throws Exception {
        Dialer standby = dialer(server.getConnectString(), "standby", List.of());
        Dialer active = dialer(server.getConnectString(), "active", GROUPS);
        await("the active dialer owns every group", () -> active.owned(GROUPS).containsAll(GROUPS) && standby.owned(GROUPS).isEmpty());
        Map<String, Long> activeTokens = new HashMap<>(active.coordinator.status().owned());
        int changes = active.changes.size();

        active.expireSession();

        await("the active dialer reports every group given up", () -> active.changes.stream().skip(changes)
                .filter(change -> !change.owned()).count() >= GROUPS.size());
        await("the active dialer owns every group again, on its new session", () -> active.owned(GROUPS).containsAll(GROUPS));
        for (String group : GROUPS) {
            assertThat(active.coordinator.fencingToken(group)).as("token of %s after re-contending", group)
                    .isGreaterThan(activeTokens.get(group));
        }
        assertNeverTwoOwners(List.of(active, standby));
    }

    @Test
    void aDialerCutOffIsReplacedOnceItsSessionEndsAndItGaveUpFirst() throws Exception {
        try (LoopbackRelay link = new LoopbackRelay(server.getPort())) {
            Dialer standby = dialer(server.getConnectString(), "standby", List.of());
            Dialer active = dialer(link.connectString(), "active", GROUPS);
            await("the active dialer owns every group", () -> active.owned(GROUPS).containsAll(GROUPS)
                    && standby.owned(GROUPS).isEmpty());
            Map<String, Long> activeTokens = new HashMap<>(active.coordinator.status().owned());
            int standbyChanges = standby.changes.size();
            standby.witnesses(List.of(active));

            long cut = System.nanoTime();
            link.cut();     // the active dialer reaches ZooKeeper no more: as the others see it, it crashed

            await("the cut-off dialer gives every group up", () -> active.owned(GROUPS).isEmpty());
            long gaveUp = System.nanoTime();
            await("the standby takes every group", () -> standby.owned(GROUPS).containsAll(GROUPS));
            // the listener is told on the coordinator's thread, a moment after the ownership map changed
            await("the standby is told it owns every group", () -> standby.changes.stream().skip(standbyChanges)
                    .filter(Dialer.Change::owned).map(Dialer.Change::group).distinct().count() == GROUPS.size());
            long takenOver = standby.changes.stream().skip(standbyChanges).filter(Dialer.Change::owned)
                    .mapToLong(Dialer.Change::nanos).max().orElseThrow();
            System.out.printf("cut off: the owner gave up after %d ms, the standby had every group after %d ms"
                    + " (session timeout %d ms)%n", (gaveUp - cut) / 1_000_000, (takenOver - cut) / 1_000_000,
                    Dialer.SESSION.toMillis());
            assertThat(standby.overlaps).as("the former owner gave every group up before the standby took it").isEmpty();
            for (String group : GROUPS) {
                assertThat(standby.coordinator.fencingToken(group)).isGreaterThan(activeTokens.get(group));
            }

            link.heal();      // back: it prefers the groups, so they return to it, with newer tokens still

            await("the active dialer owns every group again", () -> active.owned(GROUPS).containsAll(GROUPS)
                    && standby.owned(GROUPS).isEmpty());
            for (String group : GROUPS) {
                assertThat(active.coordinator.fencingToken(group)).isGreaterThan(activeTokens.get(group));
            }
            assertNeverTwoOwners(List.of(active, standby));
            dialers.forEach(Dialer::close);     // before the proxy closes
        }
    }

    @Test
    void cutOffFromZooKeeperEveryDialerStopsDialingAndResumesWhenItIsBack() throws Exception {
        Dialer a = dialer(server.getConnectString(), "a", List.of());
        Dialer b = dialer(server.getConnectString(), "b", List.of());
        await("each group owned by one dialer", () -> eachOwnedOnce(List.of(a, b)));

        server.stop();

        await("nobody owns anything while ZooKeeper is out of reach", () -> a.owned(GROUPS).isEmpty() && b.owned(GROUPS).isEmpty()
                && !a.coordinator.status().connected() && !b.coordinator.status().connected());
        assertThat(a.coordinator.notOwnerDetail("Sales")).contains("ZooKeeper connection");

        server.restart();

        await("each group owned by one dialer again", () -> eachOwnedOnce(List.of(a, b)));
        assertNeverTwoOwners(List.of(a, b));
    }

    @Test
    void anEnsembleThatLosesAMemberGoesOn() throws Exception {
        server.close();
        server = new TestingServer(fastTicks(9), false);    // unused; closed in stop()
        try (TestingCluster ensemble = new TestingCluster(List.of(fastTicks(1), fastTicks(2), fastTicks(3)))) {
            ensemble.start();
            Dialer a = dialer(ensemble.getConnectString(), "a", List.of());
            Dialer b = dialer(ensemble.getConnectString(), "b", List.of());
            await("each group owned by one dialer", () -> eachOwnedOnce(List.of(a, b)));

            ensemble.killServer(ensemble.getInstances().iterator().next());

            await("each group owned by one dialer with two of three servers", () -> eachOwnedOnce(List.of(a, b)));
            Dialer c = dialer(ensemble.getConnectString(), "c", List.of("Sales"));
            await("a dialer that joins takes its preferred group", () -> c.owns("Sales") && eachOwnedOnce(List.of(a, b, c)));
            assertNeverTwoOwners(List.of(a, b, c));
            dialers.forEach(Dialer::close);
        }
    }

    /**
     * From the reported changes: per group, the intervals during which each dialer owned it, with their tokens. A token
     * is never used by two dialers, and the tokens of successive owners increase.
     */
    static void assertNeverTwoOwners(List<Dialer> all) {
        Map<Long, String> tokenOwner = new HashMap<>();
        for (Dialer dialer : all) {
            for (Dialer.Change change : dialer.changes) {
                if (change.owned()) {
                    String previous = tokenOwner.putIfAbsent(change.token(), dialer.id + "/" + change.group());
                    assertThat(previous == null || previous.equals(dialer.id + "/" + change.group()))
                            .as("token %d used by %s and %s", change.token(), previous, dialer.id).isTrue();
                } else {
                    assertThat(change.token()).isEqualTo(GroupOwnership.NOT_OWNER);
                }
            }
        }
    }
}
