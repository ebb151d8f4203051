package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.dialbalance.api.transport.RegisterResult;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.junit.jupiter.api.Test;

/** Registration of a link (PROTOCOL.md, "Registration"), driven over an embedded channel. */
class TserverLinkHandshakeTest {

    @Test
    void onConnectTheLinkRegistersWithItsNameVersionAndKeepAliveIntervals() {
        LinkHarness harness = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ofMillis(2_500), 10));

        assertThat(harness.allSent()).containsExactly(Message.of(MessageType.REQUEST_REGISTER_CLIENT)
                .text(Attribute.APPLICATION_NAME, "outbound-a").number(Attribute.PROTOCOL_VERSION, 1)
                .number(Attribute.ADDP_TIMEOUT, 2_500).number(Attribute.ADDP_REMOTE_TIMEOUT, 7_000).build());
        assertThat(harness.opened).isNotDone();
        assertThat(harness.link.isOpen()).isFalse();
        assertThat(harness.link.target()).isEqualTo(LinkHarness.TARGET);
    }

    @Test
    void eventLinkConnectedOpensTheLinkAndRegistersItWithTheTransport() {
        LinkHarness harness = new LinkHarness();

        assertThat(harness.open()).isSameAs(harness.link);
        assertThat(harness.link.isOpen()).isTrue();
        assertThat(harness.registry).containsExactly(harness.link);
        assertThat(harness.allSent()).as("nothing more is written").isEmpty();
        assertThat(harness.closes).isEmpty();
    }

    @Test
    void beforeRegistrationNothingIsSentAndNothingWaits() {
        LinkHarness harness = new LinkHarness();
        harness.sent();

        assertThat(harness.dial("5550001")).isCompletedWithValue(new SendResult.NotWritten("link to " + LinkHarness.TARGET + " is closed"));
        assertThat(harness.link.registerAddress("7001").toCompletableFuture())
                .isCompletedWithValue(new RegisterResult("7001", false, "link to " + LinkHarness.TARGET + " is closed"));
        assertThat(harness.allSent()).isEmpty();
    }

    @Test
    void aServerOfAnotherProtocolVersionFailsTheConnectAndNoListenerIsCalled() {
        LinkHarness harness = new LinkHarness();
        harness.sent();

        harness.receive(LinkHarness.linkConnected(2));

        assertThat(harness.opened).isCompletedExceptionally();
        assertThat(harness.opened.handle((link, failure) -> failure).join()).isInstanceOf(ConnectException.class)
                .hasMessage("link to " + LinkHarness.TARGET + " closed before registration: server speaks protocol version 2, "
                        + "this client 1");
        harness.assertClosed();
        assertThat(harness.closes).as("onClosed is for links that opened").isEmpty();
    }

    @Test
    void aRefusedRegistrationFailsTheConnectWithTheServersErrorBounded() {
        LinkHarness harness = new LinkHarness();
        harness.sent();

        harness.receive(Message.of(MessageType.EVENT_ERROR).number(Attribute.ERROR_CODE, 71).text(Attribute.ERROR_MESSAGE, "x".repeat(300))
                .build());

        assertThat(failure(harness)).hasMessage("link to " + LinkHarness.TARGET + " closed before registration: registration refused: "
                + "EventError 71 " + TserverLink.bounded("x".repeat(300)));
        harness.assertClosed();
    }

    @Test
    void anEventBeforeEventLinkConnectedIsAProtocolViolation() {
        LinkHarness harness = new LinkHarness();
        harness.sent();

        harness.receive(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7001").build());

        assertThat(failure(harness)).hasMessageEndingWith("closed before registration: protocol violation: EVENT_RINGING before "
                + "EventLinkConnected");
        harness.assertClosed();
    }

    @Test
    void keepAliveBeforeRegistrationIsAnsweredWithoutOpeningTheLink() {
        LinkHarness harness = new LinkHarness();
        harness.sent();

        harness.receive(Message.of(MessageType.KEEP_ALIVE_PING).build());
        harness.receive(Message.of(MessageType.KEEP_ALIVE_PONG).build());

        assertThat(harness.allSent()).as("one pong for the ping, nothing for the pong")
                .containsExactly(Message.of(MessageType.KEEP_ALIVE_PONG).build());
        assertThat(harness.link.isOpen()).isFalse();
        assertThat(harness.channel.isOpen()).isTrue();
        assertThat(harness.opened).isNotDone();
        harness.receive(LinkHarness.linkConnected(1));
        assertThat(harness.link.isOpen()).isTrue();
    }

    @Test
    void aRegistrationThatComesAfterTheConnectTimeoutClosesTheLink() {
        LinkHarness harness = new LinkHarness();
        harness.sent();
        harness.opened.completeExceptionally(new TimeoutException("no registration within 5000 ms"));

        harness.receive(LinkHarness.linkConnected(1));

        harness.assertClosed();
        assertThat(harness.closes).containsExactly("registration came after the connect timeout");
    }

    @Test
    void aClosedConnectionBeforeRegistrationFailsTheConnect() {
        LinkHarness harness = new LinkHarness();
        harness.sent();

        harness.channel.close();

        assertThat(failure(harness)).isInstanceOf(ConnectException.class).hasMessageEndingWith("connection closed by the server");
        harness.assertClosed();
        assertThat(harness.closes).isEmpty();
    }

    private static Throwable failure(LinkHarness harness) {
        assertThat(harness.opened).isCompletedExceptionally();
        return harness.opened.handle((link, failure) -> failure).join();
    }
}
