package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.FailureReason;
import org.junit.jupiter.api.Test;

class RequestDeadlinesTest {

    private static final DialRequest REQUEST = DialRequest.PredictiveCall.of(CampaignGroup.of("g", DialingMode.PREDICTIVE, "ag"),
            "7000", "555", Duration.ofSeconds(20));

    /** A scheduler driven by hand: tasks run when {@link #advance} passes their due time. */
    private static final class HandScheduler implements Scheduler {
        private long now;
        private final List<long[]> due = new ArrayList<>();
        private final List<Runnable> tasks = new ArrayList<>();

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            due.add(new long[] {now + delay.toNanos()});
            tasks.add(task);
            return () -> { };
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void close() {
        }

        void advance(Duration duration) {
            long target = now + duration.toNanos();
            while (true) {
                int next = -1;
                for (int i = 0; i < due.size(); i++) {
                    if (due.get(i)[0] <= target && (next < 0 || due.get(i)[0] < due.get(next)[0])) {
                        next = i;
                    }
                }
                if (next < 0) {
                    now = target;
                    return;
                }
                now = due.remove(next)[0];
                tasks.remove(next).run();
            }
        }
    }

    @Test
    void aRequestWithoutReplyExpiresWithinOneTickOfItsDeadlineAndOnlyThen() {
        HandScheduler scheduler = new HandScheduler();
        RequestDeadlines deadlines = new RequestDeadlines(scheduler, Duration.ofSeconds(2));
        deadlines.start();
        CompletableFuture<DialOutcome> outcome = new CompletableFuture<>();
        deadlines.watch(outcome, RequestDeadlinesTest::timedOut);

        scheduler.advance(Duration.ofMillis(1999));
        assertThat(outcome).isNotDone();
        scheduler.advance(deadlines.tick());
        assertThat(outcome.join()).isInstanceOfSatisfying(DialOutcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT));
    }

    @Test
    void requestsThatCompletedInTimeAreDroppedAndNeverChanged() {
        HandScheduler scheduler = new HandScheduler();
        RequestDeadlines deadlines = new RequestDeadlines(scheduler, Duration.ofSeconds(2));
        deadlines.start();
        DialOutcome held = new DialOutcome.Held(REQUEST, org.dialbalance.api.HoldReason.NO_ACTIVE_NODE, "x");
        List<CompletableFuture<DialOutcome>> done = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            CompletableFuture<DialOutcome> outcome = new CompletableFuture<>();
            deadlines.watch(outcome, RequestDeadlinesTest::timedOut);
            outcome.complete(held);
            done.add(outcome);
        }
        assertThat(deadlines.watched()).isEqualTo(1000);

        scheduler.advance(deadlines.tick());

        assertThat(deadlines.watched()).as("completed requests leave at the next sweep").isZero();
        assertThat(done).allSatisfy(outcome -> assertThat(outcome.join()).isSameAs(held));
    }

    @Test
    void aRequestExpiresAtTheSweepThatReachesItsDeadlineExactly() {
        HandScheduler scheduler = new HandScheduler();
        RequestDeadlines deadlines = new RequestDeadlines(scheduler, Duration.ofSeconds(2));   // tick 100 ms
        deadlines.start();
        CompletableFuture<DialOutcome> outcome = new CompletableFuture<>();
        deadlines.watch(outcome, RequestDeadlinesTest::timedOut);

        scheduler.advance(Duration.ofMillis(1900));
        assertThat(outcome).isNotDone();
        assertThat(deadlines.watched()).isEqualTo(1);
        scheduler.advance(Duration.ofMillis(100));      // the sweep at 2000 ms: the deadline is now, not later

        assertThat(outcome).isDone();
        assertThat(deadlines.watched()).isZero();
    }

    @Test
    void theSweepGoesOnWhileNothingIsWatchedAndStillExpiresARequestWatchedAfterwards() {
        HandScheduler scheduler = new HandScheduler();
        RequestDeadlines deadlines = new RequestDeadlines(scheduler, Duration.ofSeconds(1));   // tick 50 ms
        deadlines.start();

        scheduler.advance(Duration.ofSeconds(30));       // 600 sweeps over an empty queue
        assertThat(scheduler.due).as("exactly one sweep stays scheduled").hasSize(1);
        CompletableFuture<DialOutcome> outcome = new CompletableFuture<>();
        deadlines.watch(outcome, RequestDeadlinesTest::timedOut);
        scheduler.advance(Duration.ofMillis(999));
        assertThat(outcome).isNotDone();
        scheduler.advance(deadlines.tick());

        assertThat(outcome.join()).isInstanceOfSatisfying(DialOutcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT));
    }

    @Test
    void aLaterRequestWaitsBehindAnEarlierOneAndEachExpiresAtItsOwnDeadline() {
        HandScheduler scheduler = new HandScheduler();
        RequestDeadlines deadlines = new RequestDeadlines(scheduler, Duration.ofSeconds(2));
        deadlines.start();
        CompletableFuture<DialOutcome> first = new CompletableFuture<>();
        deadlines.watch(first, RequestDeadlinesTest::timedOut);
        scheduler.advance(Duration.ofMillis(1000));
        CompletableFuture<DialOutcome> second = new CompletableFuture<>();
        deadlines.watch(second, RequestDeadlinesTest::timedOut);

        scheduler.advance(Duration.ofMillis(1000));
        assertThat(first).isDone();
        assertThat(second).isNotDone();
        assertThat(deadlines.watched()).isEqualTo(1);
        scheduler.advance(Duration.ofMillis(1000));
        assertThat(second).isDone();
    }

    @Test
    void afterStopNoSweepIsScheduledAgain() {
        HandScheduler scheduler = new HandScheduler();
        RequestDeadlines deadlines = new RequestDeadlines(scheduler, Duration.ofSeconds(2));
        deadlines.start();
        scheduler.advance(Duration.ofMillis(250));
        assertThat(scheduler.due).hasSize(1);

        deadlines.stop();
        scheduler.advance(deadlines.tick());

        assertThat(scheduler.due).as("the sweep that ran after stop() did not schedule another").isEmpty();
    }

    @Test
    void theTickIsATwentiethOfTheTimeoutBetweenOneAndOneHundredMilliseconds() {
        HandScheduler scheduler = new HandScheduler();
        assertThat(new RequestDeadlines(scheduler, Duration.ofSeconds(1)).tick()).isEqualTo(Duration.ofMillis(50));
        assertThat(new RequestDeadlines(scheduler, Duration.ofSeconds(2)).tick()).isEqualTo(Duration.ofMillis(100));
        assertThat(new RequestDeadlines(scheduler, Duration.ofSeconds(60)).tick()).isEqualTo(Duration.ofMillis(100));
        assertThat(new RequestDeadlines(scheduler, Duration.ofMillis(20)).tick()).isEqualTo(Duration.ofMillis(1));
        assertThat(new RequestDeadlines(scheduler, Duration.ofMillis(10)).tick()).isEqualTo(Duration.ofMillis(1));
    }

    private static DialOutcome timedOut() {
        return new DialOutcome.Failed(REQUEST, FailureReason.TIMEOUT, "timed out", Optional.empty());
    }
}
