package org.dialbalance.coordination.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.curator.test.TestingServer;
import org.dialbalance.harness.property.PropertyRunner;
import org.dialbalance.harness.property.ReportedRun;
import org.dialbalance.simcluster.LoopbackRelay;
import org.junit.jupiter.api.Test;

/**
 * A model-based property on a real ZooKeeper: seeded random sequences of dialers joining, stopping, crashing (cut off
 * for good), being partitioned and healed, while every participating dialer tries to dial every group over and over.
 *
 * <ul>
 *   <li><b>Never two owners.</b> Each check reads every participating dialer's token for a group twice, all first reads
 *       before all second reads; a dialer whose token is the same, positive, in both reads owned the group throughout,
 *       so any other dialer read as owner in between (its first read after that dialer's first, or its second read
 *       before that dialer's second) owned it at the same time. No false alarms, whatever the scheduling.</li>
 *   <li><b>Fencing never needed.</b> The attempts of owners go through a fencing ledger like the simulated cluster's;
 *       a refusal would mean a former owner still dialed after a newer owner had: the coordinator must have given up
 *       first.</li>
 *   <li><b>Exactly one outcome</b> per attempt: dialed (admitted), held (not owner) or refused (stale).</li>
 *   <li><b>Liveness.</b> After the sequence, with every partition healed, each group has exactly one owner.</li>
 * </ul>
 * A crashed dialer takes no part in the checks (its process is gone). Modest counts keep the build fast; {@code
 * -Ddialbalance.soak=N} multiplies them, {@code -Ddialbalance.seed=S} replays a run.
 */
class OwnershipModelTest {

    private static final List<String> GROUPS = List.of("G1", "G2", "G3", "G4");
    private static final int SLOTS = 3;
    private static final int STEPS = 8;
    private static final Duration SESSION = Duration.ofSeconds(2);

    enum State { NONE, RUNNING, PARTITIONED, CRASHED }

    /** Counts over the whole run. */
    private static final class Totals {
        long attempts;
        long dialed;
        long held;
        long refused;
        long checks;
        final Map<String, Integer> actions = new HashMap<>();
    }

    @Test
    void neverTwoOwnersOfAGroupAndEveryAttemptHasOneOutcome() throws Exception {
        long seed = PropertyRunner.seed();
        int cases = PropertyRunner.cases(3);
        Totals totals = new Totals();
        try (TestingServer server = new TestingServer(ZooKeeperCoordinatorTest.fastTicks(1), true)) {
            ReportedRun.run("zookeeper ownership: never two owners of a group, a former owner never dials after a newer one,"
                    + " one outcome per attempt, one owner per group after healing", seed, () -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int c = 0; c < cases; c++) {
                    runCase(server, "case-" + c, random.split(), totals, seed);
                }
                return cases + " cases of " + STEPS + " steps, actions " + new java.util.TreeMap<>(totals.actions) + ", "
                        + totals.checks + " checks, " + totals.attempts + " attempts (" + totals.dialed + " dialed, "
                        + totals.held + " held, " + totals.refused + " refused)";
            });
        }
    }

    private static void runCase(TestingServer server, String namespace, SplittableRandom random, Totals totals, long seed) {
        List<String> trace = new ArrayList<>();
        LoopbackRelay[] links = new LoopbackRelay[SLOTS];
        Dialer[] dialers = new Dialer[SLOTS];
        State[] states = new State[SLOTS];
        Checker checker = new Checker(totals);
        try {
            for (int i = 0; i < SLOTS; i++) {
                links[i] = new LoopbackRelay(server.getPort());
                states[i] = State.NONE;
            }
            checker.start();
            int generation = 0;
            for (int step = 0; step < STEPS; step++) {
                int slot = random.nextInt(SLOTS);
                String action;
                switch (states[slot]) {
                    case NONE, CRASHED -> {
                        action = "join";
                        if (dialers[slot] != null) {
                            dialers[slot].close();
                        }
                        links[slot].heal();
                        List<String> preferred = GROUPS.stream().filter(group -> random.nextInt(3) == 0).toList();
                        dialers[slot] = new Dialer(links[slot].connectString(), namespace, SESSION, "d" + slot + "-" + generation++,
                                GROUPS, preferred).start();
                        states[slot] = State.RUNNING;
                        action += " " + dialers[slot].id + " preferring " + preferred;
                    }
                    case RUNNING -> {
                        int choice = random.nextInt(3);
                        if (choice == 0) {
                            action = "stop " + dialers[slot].id;
                            dialers[slot].close();
                            states[slot] = State.NONE;
                        } else if (choice == 1) {
                            action = "crash " + dialers[slot].id;
                            links[slot].cut();
                            states[slot] = State.CRASHED;
                        } else {
                            action = "partition " + dialers[slot].id;
                            links[slot].cut();
                            states[slot] = State.PARTITIONED;
                        }
                    }
                    default -> {
                        action = "heal " + dialers[slot].id;
                        links[slot].heal();
                        states[slot] = State.RUNNING;
                    }
                }
                totals.actions.merge(action.substring(0, action.indexOf(' ')), 1, Integer::sum);
                trace.add(action);
                checker.participants(participants(dialers, states));
                // the schedule: the next action comes 0 to 3 s later, before or after the previous one has settled
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(3000)));
                checker.assertNoViolation(seed, namespace, trace);
            }
            for (int i = 0; i < SLOTS; i++) {
                if (states[i] == State.PARTITIONED) {
                    links[i].heal();
                    states[i] = State.RUNNING;
                    trace.add("heal " + dialers[i].id);
                }
            }
            if (participants(dialers, states).isEmpty()) {
                links[0].heal();
                if (dialers[0] != null) {
                    dialers[0].close();
                }
                dialers[0] = new Dialer(links[0].connectString(), namespace, SESSION, "d0-last", GROUPS, List.of()).start();
                states[0] = State.RUNNING;
                trace.add("join d0-last");
            }
            List<Dialer> live = participants(dialers, states);
            checker.participants(live);
            Dialer.await("one owner per group among " + live + " after " + trace + " (seed " + seed + ")", () -> GROUPS.stream()
                    .allMatch(group -> live.stream().filter(dialer -> dialer.owns(group)).count() == 1));
            checker.assertNoViolation(seed, namespace, trace);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            checker.stop();
            for (Dialer dialer : dialers) {
                if (dialer != null) {
                    dialer.close();
                }
            }
            for (LoopbackRelay link : links) {
                if (link != null) {
                    link.close();
                }
            }
        }
        assertThat(totals.attempts).isEqualTo(totals.dialed + totals.held + totals.refused);
    }

    private static List<Dialer> participants(Dialer[] dialers, State[] states) {
        List<Dialer> result = new ArrayList<>();
        for (int i = 0; i < dialers.length; i++) {
            if (states[i] == State.RUNNING || states[i] == State.PARTITIONED) {
                result.add(dialers[i]);
            }
        }
        return List.copyOf(result);
    }

    /** Checks and dials in a loop on its own thread, until stopped. */
    private static final class Checker {
        private final Totals totals;
        private final Map<String, Long> highest = new HashMap<>();
        private volatile List<Dialer> participants = List.of();
        private volatile boolean running;
        private volatile String violation;
        private Thread thread;

        Checker(Totals totals) {
            this.totals = totals;
        }

        void participants(List<Dialer> value) {
            participants = value;
        }

        void start() {
            running = true;
            thread = new Thread(this::loop, "ownership-checker");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void assertNoViolation(long seed, String namespace, List<String> trace) {
            String found = violation;
            assertThat(found).as("%s after %s (seed %d)", namespace, trace, seed).isNull();
        }

        private void loop() {
            while (running && violation == null) {
                List<Dialer> now = participants;
                for (String group : GROUPS) {
                    check(group, now);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }

        private synchronized void check(String group, List<Dialer> dialers) {
            int n = dialers.size();
            long[] first = new long[n];
            long[] second = new long[n];
            for (int i = 0; i < n; i++) {
                first[i] = dialers.get(i).coordinator.fencingToken(group);
            }
            for (int i = 0; i < n; i++) {
                second[i] = dialers.get(i).coordinator.fencingToken(group);
            }
            totals.checks++;
            for (int p = 0; p < n; p++) {
                if (first[p] <= 0 || first[p] != second[p]) {
                    continue;       // p did not own the group throughout
                }
                for (int q = 0; q < n; q++) {
                    boolean between = q > p ? first[q] > 0 : q < p && second[q] > 0;
                    if (between) {
                        violation = "two owners of " + group + ": " + dialers.get(p).id + " (token " + first[p] + ") and "
                                + dialers.get(q).id + " (token " + (q > p ? first[q] : second[q]) + ")";
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                totals.attempts++;
                long token = second[i];
                if (token <= 0) {
                    totals.held++;
                    continue;
                }
                Long top = highest.get(group);
                if (top != null && token < top) {
                    totals.refused++;
                    violation = dialers.get(i).id + " dialed " + group + " with token " + token + " after a newer owner had dialed"
                            + " with " + top;
                } else {
                    totals.dialed++;
                    highest.put(group, token);
                }
            }
        }
    }
}
