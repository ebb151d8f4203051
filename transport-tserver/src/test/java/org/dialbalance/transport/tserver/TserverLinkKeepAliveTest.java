package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.dialbalance.api.transport.AddpTrace;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Keep-alive (PROTOCOL.md, "Keep-alive"): after {@code addp-timeout} without a frame the link pings, after another
 * {@code addp-timeout} it is declared down; the server's pings are answered; {@code addp-trace} says what is logged.
 *
 * <p>The silence is measured by Netty's {@link IdleStateHandler}, which the link puts before itself once registered.
 * In Netty 4.1 that handler reads {@link System#nanoTime()}, not the embedded event loop's clock, so these tests
 * check that it is there with {@code addp-timeout} as its reader-idle time, and fire the events it fires, from its
 * place in the pipeline. The real timing, over loopback, is covered in {@code acceptance-tests} ({@code TserverTransportTest}).
 */
class TserverLinkKeepAliveTest {

    private static final Message PING = Message.of(MessageType.KEEP_ALIVE_PING).build();
    private static final Message PONG = Message.of(MessageType.KEEP_ALIVE_PONG).build();

    @Test
    void onceRegisteredSilenceIsMeasuredOnReadsOnlyForAddpTimeout() {
        LinkHarness harness = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ofMillis(2_500), 10));
        assertThat(harness.channel.pipeline().get("keep-alive")).as("not before registration").isNull();

        harness.open();

        assertThat(harness.channel.pipeline().names()).containsSubsequence("keep-alive", "link");
        IdleStateHandler idle = (IdleStateHandler) harness.channel.pipeline().get("keep-alive");
        assertThat(idle.getReaderIdleTimeInMillis()).isEqualTo(2_500);
        assertThat(idle.getWriterIdleTimeInMillis()).as("our own writes do not count").isZero();
        assertThat(idle.getAllIdleTimeInMillis()).isZero();
    }

    @Test
    void withAddpTimeoutZeroThereIsNoKeepAlive() {
        LinkHarness harness = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ZERO, 10));

        harness.open();

        assertThat(harness.channel.pipeline().get(IdleStateHandler.class)).isNull();
    }

    @Test
    void theFirstSilencePingsTheServerAndTheSecondDeclaresTheLinkDownFailingWhatWasInFlight() {
        LinkHarness harness = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ofMillis(2_500), 10));
        harness.open();
        CompletableFuture<SendResult> dial = harness.dial("5550001");
        harness.sent();

        try (LogCapture log = new LogCapture()) {
            idle(harness, IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

            assertThat(harness.allSent()).containsExactly(PING);
            assertThat(harness.link.isOpen()).isTrue();
            assertThat(dial).isNotDone();

            idle(harness, IdleStateEvent.READER_IDLE_STATE_EVENT);

            String reason = "no reply to the keep-alive ping within 2500 ms (addp-timeout), after 2500 ms without traffic: "
                    + "link declared down";
            harness.assertClosed();
            assertThat(dial).isCompletedWithValue(new SendResult.LostAfterWrite(reason));
            assertThat(harness.closes).containsExactly(reason);
            assertThat(log.lines(Level.WARN)).containsExactly("Closing the link to " + LinkHarness.TARGET
                    + ": nothing received for 2500 ms (addp-timeout), then nothing for 2500 ms after a keep-alive ping");
        }
    }

    @Test
    void writerAndAllIdlenessAreNotSilence() {
        LinkHarness harness = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ofMillis(2_500), 10));
        harness.open();

        idle(harness, IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        idle(harness, IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        idle(harness, IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        idle(harness, IdleStateEvent.ALL_IDLE_STATE_EVENT);
        harness.channel.pipeline().fireUserEventTriggered("some other handler's event");

        assertThat(harness.allSent()).isEmpty();
        assertThat(harness.link.isOpen()).isTrue();
    }

    @Test
    void theServersPingIsAnsweredAndItsPongNeedsNoAnswer() {
        LinkHarness harness = new LinkHarness();
        harness.open();

        harness.receive(PING);
        harness.receive(PONG);

        assertThat(harness.allSent()).containsExactly(PONG);
        assertThat(harness.link.isOpen()).isTrue();
        assertThat(harness.events).as("keep-alive is not an event for the listener").isEmpty();
    }

    @Test
    void addpTraceLocalLogsThisSidesPingsAndTheServersPongs() {
        assertThat(traced(AddpTrace.LOCAL)).containsExactly(
                "keep-alive pong from " + LinkHarness.TARGET + " before registration",
                "keep-alive pong from " + LinkHarness.TARGET,
                "keep-alive ping to " + LinkHarness.TARGET);
    }

    @Test
    void addpTraceRemoteLogsTheServersPings() {
        assertThat(traced(AddpTrace.REMOTE)).containsExactly(
                "keep-alive ping from " + LinkHarness.TARGET + " before registration",
                "keep-alive ping from " + LinkHarness.TARGET);
    }

    @Test
    void addpTraceFullLogsBothAndOffNothing() {
        assertThat(traced(AddpTrace.FULL)).hasSize(5);
        assertThat(traced(AddpTrace.OFF)).isEmpty();
    }

    /** The INFO lines of one keep-alive exchange each way, before and after registration, with {@code addp-trace} at {@code trace}. */
    private static java.util.List<String> traced(AddpTrace trace) {
        LinkHarness harness = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ofSeconds(3), trace, 10));
        harness.sent();
        try (LogCapture log = new LogCapture()) {
            harness.receive(PING);
            harness.receive(PONG);
            harness.receive(LinkHarness.linkConnected(1));
            harness.receive(PING);
            harness.receive(PONG);
            idle(harness, IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
            assertThat(harness.allSent()).as("the exchange itself does not depend on the trace").containsExactly(PONG, PONG, PING);
            return log.lines(Level.INFO).stream().filter(line -> line.startsWith("keep-alive")).toList();
        }
    }

    /** Fires an idle event where the keep-alive handler fires it. */
    private static void idle(LinkHarness harness, IdleStateEvent event) {
        harness.channel.pipeline().context("keep-alive").fireUserEventTriggered(event);
        harness.channel.runPendingTasks();
    }
}
