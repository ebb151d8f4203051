package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.Map;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.TelephonyEvent.Scope;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;

/**
 * Unsolicited events: each reaches the listener with its DN, ConnID and attributes, as a call-level event when its
 * ConnID is a call dialed through the node (on either of its links) and not yet released, otherwise as a DN-level one.
 */
class TserverLinkEventsTest {

    private final LinkHarness harness = new LinkHarness();

    @Test
    void aDnEventReachesTheListenerWithItsAttributes() {
        harness.open();

        harness.receive(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7001").text(Attribute.CONN_ID, "00F0")
                .number(Attribute.CALL_STATE, 4).list(Attribute.USER_DATA, Map.of("customer", "42")).build());
        harness.receive(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7002").build());

        assertThat(harness.events).containsExactly(
                new TelephonyEvent(NodeId.of(101), LinkRole.PRIMARY, Scope.DN, "EventRinging", "7001", "00F0",
                        Map.of("customer", "42", "CallState", "4")),
                new TelephonyEvent(NodeId.of(101), LinkRole.PRIMARY, Scope.DN, "EventRinging", "7002", "", Map.of()));
    }

    @Test
    void eventsOfACallDialedThroughTheNodeAreCallLevelUntilItsRelease() {
        harness.open();
        harness.dial("5550001");
        harness.receive(LinkHarness.dialing(1, "00A1"));

        harness.receive(established("00A1"));
        harness.receive(established("00B2"));
        harness.receive(Message.of(MessageType.EVENT_RELEASED).text(Attribute.CONN_ID, "00A1").number(Attribute.CALL_STATE, 0).build());
        harness.receive(established("00A1"));

        assertThat(harness.events).extracting(TelephonyEvent::name, TelephonyEvent::connId, TelephonyEvent::scope).containsExactly(
                tuple("EventEstablished", "00A1", Scope.CALL),
                tuple("EventEstablished", "00B2", Scope.DN),
                tuple("EventReleased", "00A1", Scope.CALL),
                tuple("EventEstablished", "00A1", Scope.DN));
        assertThat(harness.events.get(2).attributes()).isEqualTo(Map.of("CallState", "0"));
        assertThat(harness.calls.contains("00A1")).isFalse();
    }

    @Test
    void aCallDialedThroughTheNodesOtherLinkIsCallLevelHereToo() {
        DialedCalls nodeCalls = new DialedCalls(100);
        nodeCalls.add("00C3");
        LinkHarness backup = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ZERO, 10), nodeCalls,
                FrameCodec.DEFAULT_MAX_FRAME_SIZE);
        backup.open();

        backup.receive(established("00C3"));

        assertThat(backup.events).singleElement().extracting(TelephonyEvent::scope).isEqualTo(Scope.CALL);
    }

    @Test
    void pastMaxTrackedCallsTheOldestCallIsForgottenOnceWithAWarning() {
        LinkHarness small = new LinkHarness(LinkHarness.settings(Duration.ofSeconds(1), Duration.ZERO, 10), new DialedCalls(2),
                FrameCodec.DEFAULT_MAX_FRAME_SIZE);
        small.open();
        try (LogCapture log = new LogCapture()) {
            for (int call = 1; call <= 4; call++) {
                small.dial("555000" + call);
                small.receive(LinkHarness.dialing(call, "c" + call));
            }

            assertThat(log.lines(Level.WARN)).as("one warning, at the first call forgotten").containsExactly("Node 101 has 2 dialed calls "
                    + "without their EventReleased; forgetting the oldest from now on, whose later events will be treated as DN-level "
                    + "(raise transport-options.tserver.max-tracked-calls if calls really last that long)");
        }
        small.receive(established("c2"));
        small.receive(established("c3"));
        assertThat(small.events).extracting(TelephonyEvent::scope).containsExactly(Scope.DN, Scope.CALL);
    }

    @Test
    void aListenerThatThrowsDoesNotCloseTheLinkNorLoseTheNextEvent() {
        harness.open();
        harness.onEvent = event -> {
            if (event.thisDn().equals("7001")) {
                throw new IllegalStateException("listener bug");
            }
        };

        try (LogCapture log = new LogCapture()) {
            harness.receive(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7001").build());
            harness.receive(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7002").build());

            assertThat(log.lines(Level.ERROR)).singleElement().asString().startsWith("The link listener failed on TelephonyEvent[");
        }
        assertThat(harness.events).extracting(TelephonyEvent::thisDn).containsExactly("7002");
        assertThat(harness.link.isOpen()).isTrue();
    }

    private static Message established(String connId) {
        return Message.of(MessageType.EVENT_ESTABLISHED).text(Attribute.THIS_DN, "8001").text(Attribute.CONN_ID, connId).build();
    }
}
