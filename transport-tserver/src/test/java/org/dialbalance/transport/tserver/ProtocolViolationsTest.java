package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;
import org.junit.jupiter.api.Test;

/** What the client takes for a protocol violation of the server (PROTOCOL.md, "Protocol violations"); each closes the link. */
class ProtocolViolationsTest {

    @Test
    void wellFormedServerMessagesPass() {
        assertThat(TserverLink.violation(dialing("101A-1"), true)).isNull();
        assertThat(TserverLink.violation(dialing("é".repeat(32)), true)).as("64 bytes").isNull();
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7001").build(), true))
                .as("ConnID is optional in EventRinging").isNull();
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_RELEASED).text(Attribute.CONN_ID, "c").build(), true)).isNull();
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_ERROR).number(Attribute.ERROR_CODE, 56).build(), true)).isNull();
        assertThat(TserverLink.violation(Message.of(MessageType.KEEP_ALIVE_PING).build(), false)).isNull();
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_LINK_CONNECTED).number(Attribute.PROTOCOL_VERSION, 1).build(), false))
                .isNull();
    }

    @Test
    void aConnIdMustBeOneTo64Bytes() {
        assertThat(TserverLink.violation(dialing(""), true)).isEqualTo(
                "EventDialing for ReferenceID 7 without its required ConnID (a non-empty string)");
        assertThat(TserverLink.violation(dialing("é".repeat(33)), true)).as("33 chars, 66 bytes")
                .isEqualTo("EventDialing for ReferenceID 7 with a ConnID of 66 bytes, longer than the protocol's 64");
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7001")
                .text(Attribute.CONN_ID, "x".repeat(65)).build(), true)).contains("ConnID of at least 65 bytes");
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_ESTABLISHED).number(Attribute.CONN_ID, 5).build(), true))
                .as("of another value type").contains("without its required ConnID");
    }

    @Test
    void requiredAttributesAndDirectionAreChecked() {
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_DIALING).text(Attribute.CONN_ID, "c").build(), true))
                .isEqualTo("EventDialing without its required ReferenceID (an int64)");
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_REGISTERED).number(Attribute.REFERENCE_ID, 1).build(), true))
                .isEqualTo("EventRegistered without its required ThisDN (a string)");
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_ERROR).build(), true)).contains("ErrorCode");
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_LINK_CONNECTED).build(), false)).contains("ProtocolVersion");
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_LINK_CONNECTED).number(Attribute.PROTOCOL_VERSION, 1).build(), true))
                .isEqualTo("a second EventLinkConnected on a registered link");
        assertThat(TserverLink.violation(Message.of(MessageType.REQUEST_MAKE_PREDICTIVE_CALL).build(), true))
                .isEqualTo("RequestMakePredictiveCall is a client-to-server message");
    }

    @Test
    void aPeersTextPassedOnIsBounded() {
        assertThat(TserverLink.bounded("short")).isEqualTo("short");
        assertThat(TserverLink.bounded("e".repeat(60_000))).hasSize(TserverLink.MAX_PEER_TEXT + " ... (60000 characters)".length() - 1)
                .endsWith("... (60000 characters)");
    }

    @Test
    void aConnIdIsMeasuredInUtf8BytesUpToItsLastCharacter() {
        assertThat(TserverLink.violation(dialing("é".repeat(64)), true)).as("64 chars, 128 bytes")
                .isEqualTo("EventDialing for ReferenceID 7 with a ConnID of 128 bytes, longer than the protocol's 64");
        assertThat(TserverLink.violation(dialing("x".repeat(64)), true)).as("64 chars, 64 bytes").isNull();
    }

    @Test
    void eventRingingNeedsItsThisDnAndAnyConnIdItCarriesIsChecked() {
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_RINGING).text(Attribute.CONN_ID, "c1").build(), true))
                .isEqualTo("EventRinging without its required ThisDN (a string)");
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_RINGING).build(), true))
                .isEqualTo("EventRinging without its required ThisDN (a string)");
        assertThat(TserverLink.violation(Message.of(MessageType.EVENT_RINGING).text(Attribute.THIS_DN, "7001").text(Attribute.CONN_ID, "")
                .build(), true)).isEqualTo("EventRinging with a ConnID that is not a non-empty string");
    }

    @Test
    void aPeersTextOfExactlyTheBoundIsPassedOnWhole() {
        assertThat(TserverLink.bounded("e".repeat(TserverLink.MAX_PEER_TEXT))).isEqualTo("e".repeat(TserverLink.MAX_PEER_TEXT));
        assertThat(TserverLink.bounded("e".repeat(TserverLink.MAX_PEER_TEXT + 1)))
                .isEqualTo("e".repeat(TserverLink.MAX_PEER_TEXT) + "... (257 characters)");
    }

    private static Message dialing(String connId) {
        return Message.of(MessageType.EVENT_DIALING).number(Attribute.REFERENCE_ID, 7).text(Attribute.CONN_ID, connId).build();
    }
}
