package org.dialbalance.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A task that spins the manual clock fails the test fast, with a message, instead of hanging it. */
class ManualSchedulerBoundTest {

    /** A retry loop with a zero delay: each run schedules the next at the same instant. */
    private static void retryWithZeroDelay(ManualScheduler clock, AtomicLong runs) {
        clock.schedule(Duration.ZERO, () -> {
            runs.incrementAndGet();
            retryWithZeroDelay(clock, runs);
        });
    }

    @Test
    void aZeroDelayRescheduleFailsTheAdvanceWithAClearMessage() {
        ManualScheduler clock = new ManualScheduler();
        AtomicLong runs = new AtomicLong();
        retryWithZeroDelay(clock, runs);

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ManualScheduler.DEFAULT_MAX_TASKS_PER_ADVANCE + " tasks ran in one advance")
                .hasMessageContaining("at this same instant").hasMessageContaining("zero retry delay");
        assertThat(runs.get()).isEqualTo(ManualScheduler.DEFAULT_MAX_TASKS_PER_ADVANCE);
        assertThat(clock.now()).isZero();
    }

    @Test
    void theLimitIsConfigurableAndALegitimateBusyAdvanceStaysUnderTheDefault() {
        ManualScheduler small = new ManualScheduler(10);
        AtomicLong runs = new AtomicLong();
        retryWithZeroDelay(small, runs);
        assertThatThrownBy(() -> small.advance(Duration.ofMillis(1))).hasMessageContaining("10 tasks ran in one advance");

        // a 1 ms periodic tick over 10 minutes: 600,000 tasks, legitimate
        ManualScheduler clock = new ManualScheduler();
        AtomicLong ticks = new AtomicLong();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ticks.incrementAndGet();
            clock.schedule(Duration.ofMillis(1), tick[0]);
        };
        clock.schedule(Duration.ofMillis(1), tick[0]);
        clock.advance(Duration.ofMinutes(10));
        assertThat(ticks.get()).isEqualTo(600_000);
    }
}
