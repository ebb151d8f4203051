package org.dialbalance.coordination.zookeeper;

import static org.dialbalance.coordination.zookeeper.Dialer.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.dialbalance.simcluster.LoopbackRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Take-over time after the owner of every group is cut off (as after a crash), by session timeout: from the cut to
 * the standby owning every group. A measurement, not a check, so it runs only on request:
 * {@code mvn -pl coordination-zookeeper -am verify -Ddialbalance.benchmark=true -Dtest=TakeOverTimeBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtests.quiet=false}; results in BENCHMARKS.md.
 */
@EnabledIfSystemProperty(named = "dialbalance.benchmark", matches = "true")
class TakeOverTimeBenchmark {

    private static final List<String> GROUPS = List.of("G1", "G2", "G3", "G4");
    private static final int REPETITIONS = 3;

    @Test
    void takeOverTimeBySessionTimeout() throws Exception {
        // tickTime 500 ms: ZooKeeper grants sessions of 1 to 10 s
        try (TestingServer server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, 1, 500, -1), true)) {
            StringBuilder table = new StringBuilder("| session timeout | owner gave up after (median) | standby owned every group after"
                    + " (min / median / max) |\n|---|---|---|\n");
            int run = 0;
            for (int seconds : new int[] {2, 4, 8}) {
                List<Long> gaveUp = new ArrayList<>();
                List<Long> takenOver = new ArrayList<>();
                for (int i = 0; i < REPETITIONS; i++) {
                    long[] times = once(server, Duration.ofSeconds(seconds), "run-" + run++);
                    gaveUp.add(times[0]);
                    takenOver.add(times[1]);
                }
                Collections.sort(gaveUp);
                Collections.sort(takenOver);
                table.append("| ").append(seconds).append(" s | ").append(gaveUp.get(REPETITIONS / 2)).append(" ms | ")
                        .append(takenOver.get(0)).append(" / ").append(takenOver.get(REPETITIONS / 2)).append(" / ")
                        .append(takenOver.get(REPETITIONS - 1)).append(" ms |\n");
            }
            System.out.println(table);
        }
    }

    private static long[] once(TestingServer server, Duration session, String namespace) throws Exception {
        try (LoopbackRelay link = new LoopbackRelay(server.getPort());
             Dialer standby = new Dialer(server.getConnectString(), namespace, session, "standby", GROUPS, List.of()).start();
             Dialer active = new Dialer(link.connectString(), namespace, session, "active", GROUPS, GROUPS).start()) {
            await("the active dialer owns every group", () -> active.owned(GROUPS).containsAll(GROUPS));
            long cut = System.nanoTime();
            link.cut();
            await("the owner gives up", () -> active.owned(GROUPS).isEmpty());
            long gaveUp = System.nanoTime();
            await("the standby owns every group", () -> standby.owned(GROUPS).containsAll(GROUPS));
            long takenOver = System.nanoTime();
            return new long[] {(gaveUp - cut) / 1_000_000, (takenOver - cut) / 1_000_000};
        }
    }
}
