package org.dialbalance.reliability;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.reliability.Frames.Expect;
import org.dialbalance.reliability.Frames.Frame;
import org.dialbalance.transport.tserver.protocol.Attribute;
import org.dialbalance.transport.tserver.protocol.FrameCodec;
import org.dialbalance.transport.tserver.protocol.Message;
import org.dialbalance.transport.tserver.protocol.MessageType;

/**
 * The hostile server's script for one connection, whatever client is on the other end: a handshake (mostly
 * valid, sometimes after keep-alive pings, sometimes refused, wrong, garbage, closed or silent), then a seeded mix of
 * frames (replies to what the client sent, call and DN events, keep-alives, floods, slowloris, protocol violations,
 * malformed frames, closes), then the checks of how the client ended the link. Counts every frame written.
 *
 * <p>The client may close the connection at any moment (that is what a violation asks of it, and what it does when
 * its connect timeout runs out), so a write that finds the socket closed or reset is an outcome of the attack, never
 * an error of the test: the script stops writing and checks how the client ended the link.
 */
final class FuzzCampaign {

    static final Duration MARGIN = Duration.ofSeconds(5);

    /** How a client took a valid EventLinkConnected. */
    enum Opened {
        /** The link opened. */
        OPENED,
        /** The client had given the connection up before the handshake reached it (its connect-timeout ran out first). */
        GAVE_UP,
        /** Neither: a finding was recorded. */
        FAILED
    }

    /** What the fuzzer needs from the client under test. */
    interface Client {
        void dial();

        void register();

        /**
         * After a valid handshake whose write ended at {@code handshakeWritten} ({@link System#nanoTime()}): whether
         * the client opened the link within the timeout, or had given the connection up before the handshake could
         * reach it; any other end is recorded as a finding.
         */
        Opened awaitOpened(HostileSession session, long handshakeWritten, Duration timeout) throws Exception;

        /** After a hostile handshake: whether the client refused the link (null: it cannot tell, as for a balancer). */
        Boolean refused(Duration timeout) throws Exception;

        /** The reason the client gave for closing the link, or null if it did not within the timeout. */
        String awaitClosed(Duration timeout) throws Exception;

        /** Whether close reasons are visible to this client (a balancer keeps them in its logs). */
        boolean seesReasons();

        /** Checks after the connection ended: every request completed, no garbage passed on. */
        void connectionEnded(String where) throws Exception;
    }

    private final Findings findings;
    private final Duration connectTimeout;
    long frames;
    long connections;
    long refusedHandshakes;
    long gaveUp;
    long peerClosedFirst;
    final Map<String, Long> kinds = new TreeMap<>();
    final Map<String, Long> closeReasons = new TreeMap<>();

    FuzzCampaign(Findings findings, Duration connectTimeout) {
        this.findings = findings;
        this.connectTimeout = connectTimeout;
    }

    /** Plays one connection; returns when the client has closed it (or the checks gave up on it). */
    void play(HostileSession session, SplittableRandom random, Client client, String where) throws Exception {
        connections++;
        if (!session.awaitRegistration(connectTimeout.plus(MARGIN))) {
            if (session.ended()) {
                gaveUp++;                         // the client ended the connection before it could be read
            } else {
                findings.violation("no RequestRegisterClient after connecting", where);
            }
            end(session, client, where, MARGIN, "without registering");
            return;
        }
        int handshake = random.nextInt(1000);
        if (handshake < 930) {
            Frame connected = Frames.valid(Frames.linkConnected(1));
            int pings = handshake >= 880 ? 1 + random.nextInt(3) : 0;
            try {
                if (pings > 0) {                  // PROTOCOL.md: keep-alives may come before registration, and are answered
                    count("handshake after pings", 1 + pings);
                    for (int i = 0; i < pings; i++) {
                        session.write(Frames.valid(Frames.ping()).bytes());
                    }
                    session.write(connected.bytes());
                } else if (random.nextInt(20) == 0) {
                    count("handshake slowloris", 1);
                    session.writeSlowly(connected.bytes());
                } else {
                    count("handshake", 1);
                    session.write(connected.bytes());
                }
            } catch (IOException e) {
                peerClosedFirst++;                // the client gave the connection up first: awaitOpened tells why
            }
            Opened opened = client.awaitOpened(session, System.nanoTime(), connectTimeout.plus(MARGIN));
            if (opened == Opened.GAVE_UP) {
                gaveUp++;
            }
            if (opened != Opened.OPENED) {
                end(session, client, where, MARGIN, "a valid handshake that did not open the link");
                return;
            }
            if (pings > 0 && !Jvm.await(() -> session.pongs.get() >= pings, MARGIN)) {
                findings.violation("a KeepAlivePing before registration was not answered", where + ": " + session.pongs.get() + " KeepAlivePongs for "
                        + pings + " pings");
            }
        } else {
            hostileHandshake(session, random, client, where, handshake);
            return;
        }
        openLink(session, random, client, where);
    }

    private void hostileHandshake(HostileSession session, SplittableRandom random, Client client, String where, int handshake) throws Exception {
        refusedHandshakes++;
        String kind;
        int written = 1;
        try {
            if (handshake < 950) {
                kind = "handshake EventError";
                session.write(Frames.frame(Frames.error(-1, random), Expect.VALID, kind).bytes());
            } else if (handshake < 960) {
                kind = "handshake wrong version";
                session.write(Frames.valid(Frames.linkConnected(2 + random.nextInt(1000))).bytes());
            } else if (handshake < 965) {
                kind = "handshake without ProtocolVersion";
                session.write(Frames.frame(Message.of(MessageType.EVENT_LINK_CONNECTED).text(Attribute.APPLICATION_NAME, "hostile").build(),
                        Expect.VIOLATION, kind).bytes());
            } else if (handshake < 980) {
                kind = "handshake event first";
                if (random.nextBoolean()) {       // a ping before it is allowed, and changes nothing
                    session.write(Frames.valid(Frames.ping()).bytes());
                    written++;
                }
                session.write(Frames.valid(Frames.ringing(random)).bytes());
            } else if (handshake < 990) {
                kind = "handshake malformed first";
                Frame malformed;
                do {                        // a mutation can leave a decodable EventLinkConnected (a flipped bit in its name)
                    malformed = Frames.mutated(random, Frames.linkConnected(1));
                } while (Frames.decodes(malformed));
                session.write(malformed.bytes());
            } else if (handshake < 999) {              // silence costs a whole connect-timeout: kept rare
                kind = "handshake server closes";
                written = 0;
                session.close();
            } else {
                kind = "handshake silent";
                written = 0;
            }
        } catch (IOException e) {
            kind = "handshake (the client closed first)";
            peerClosedFirst++;
        }
        count(kind, written);
        Boolean refused = client.refused(connectTimeout.plus(MARGIN));
        if (refused != null && !refused) {
            findings.violation("the link opened after a hostile handshake", where + ": " + kind);
        }
        end(session, client, where, connectTimeout.plus(MARGIN), kind);
    }

    private void openLink(HostileSession session, SplittableRandom random, Client client, String where) throws Exception {
        List<String> connIds = new ArrayList<>();
        int budget = 1 + random.nextInt(160);
        boolean unspecified = false;       // a frame PROTOCOL.md leaves open (the client may close on it as a violation)
        Frame terminal = null;             // the frame the client must close on: a violation, too large, EventLinkDisconnected
        String ending = null;
        try {
            for (int step = 0; step < budget && terminal == null && ending == null; step++) {
                if (random.nextInt(100) < 35) {
                    client.dial();
                }
                if (random.nextInt(100) < 3) {
                    client.register();
                }
                int draw = random.nextInt(1000);
                if (draw < 200) {
                    long reference = session.takeDialReference();
                    if (reference < 0) {
                        send(session, Frames.valid(Frames.ping()));
                    } else {
                        Message reply;
                        if (random.nextInt(5) > 0) {
                            String connId = "F" + connections + "-" + connIds.size();
                            connIds.add(connId);
                            reply = Frames.dialing(reference, connId, random);
                        } else {
                            reply = Frames.error(reference, random);
                        }
                        send(session, Frames.valid(reply));
                        if (random.nextInt(20) == 0) {
                            send(session, Frames.frame(reply, Expect.VALID, "duplicate reply"));
                        }
                    }
                } else if (draw < 260) {
                    long reference = session.takeRegisterReference();
                    send(session, Frames.valid(reference < 0 ? Frames.pong()
                            : random.nextBoolean() ? Frames.registered(reference, random) : Frames.error(reference, random)));
                } else if (draw < 420) {
                    String connId = !connIds.isEmpty() && random.nextInt(4) > 0 ? connIds.get(random.nextInt(connIds.size()))
                            : Frames.connId(random);
                    send(session, Frames.valid(Frames.callEvent(random, connId)));
                } else if (draw < 520) {
                    send(session, Frames.valid(Frames.ringing(random)));
                } else if (draw < 600) {
                    send(session, Frames.valid(Frames.ping()));
                } else if (draw < 640) {
                    send(session, Frames.valid(Frames.pong()));
                } else if (draw < 690) {
                    long stranger = random.nextLong();
                    send(session, Frames.frame(random.nextBoolean() ? Frames.dialing(stranger, Frames.connId(random), random)
                            : Frames.error(stranger, random), Expect.VALID, "reply to no pending request"));
                } else if (draw < 692) {
                    flood(session, random);
                } else if (draw < 720) {
                    Frame slow = Frames.valid(random.nextBoolean() ? Frames.ringing(random) : Frames.callEvent(random, Frames.connId(random)));
                    count("slowloris " + slow.kind(), 1);
                    session.writeSlowly(slow.bytes());
                } else if (draw < 770) {
                    Frame violation = Frames.violation(random, session.takeDialReference());
                    send(session, violation);
                    terminal = violation;
                } else if (draw < 800) {
                    Frame mutated = Frames.mutated(random, validSample(random, connIds));
                    send(session, mutated);
                    if (mutated.expect() == Expect.UNSPECIFIED) {
                        unspecified = true;
                    } else if (mutated.expect() != Expect.VALID) {
                        terminal = mutated;
                    }
                } else if (draw < 803) {
                    Frame disconnected = Frames.valid(Frames.disconnected());
                    send(session, disconnected);
                    terminal = disconnected;
                } else if (draw < 806) {
                    ending = "server closed";
                    session.close();
                } else if (draw < 808) {
                    ending = "server reset";
                    session.reset();
                } else {
                    send(session, Frames.valid(Frames.pong()));
                }
            }
            if (terminal == null && ending == null) {
                if (random.nextInt(10) < 3) {
                    Frame disconnected = Frames.valid(Frames.disconnected());
                    send(session, disconnected);
                    terminal = disconnected;
                } else {
                    ending = "server closed";
                    session.close();
                }
            }
        } catch (IOException e) {
            // the client closed (or reset) the connection before the script was done: an outcome, judged below
            peerClosedFirst++;
            ending = "client closed first (" + e.getMessage() + ")";
        }

        String reason = client.awaitClosed(MARGIN);
        String expected = terminal == null ? ending : terminal.kind();
        if (reason == null) {
            findings.violation("the link was not closed within " + MARGIN.toSeconds() + " s", where + " after " + expected
                    + (terminal == null ? "" : ": " + terminal));
        } else {
            if (terminal == null && !unspecified && ending.startsWith("client closed first")) {
                findings.violation("the client closed a well-formed stream", where + ": " + reason);
            }
            if (client.seesReasons()) {
                checkReason(reason, terminal, ending, unspecified, where);
            }
        }
        end(session, client, where, MARGIN, expected);
    }

    /** The close reason a client gave, against what the server sent last. */
    private void checkReason(String reason, Frame terminal, String ending, boolean unspecified, String where) {
        closeReasons.merge(reasonClass(reason), 1L, Long::sum);
        String expected = terminal == null ? ending : terminal.kind();
        boolean violation = reason.startsWith("protocol violation: ");
        // a frame PROTOCOL.md leaves open, sent before the last one, may have closed the link as a violation first
        boolean earlierViolation = unspecified && violation;
        if (reason.isBlank()) {
            findings.violation("a link closed without a reason", where);
        }
        if (terminal != null && terminal.expect() == Expect.VIOLATION && !violation) {
            findings.violation("a protocol violation closed the link without naming it", where + ": " + reason + " after " + terminal);
        }
        if (terminal != null && terminal.expect() == Expect.DISCONNECT && !reason.contains("EventLinkDisconnected") && !earlierViolation) {
            findings.violation("EventLinkDisconnected closed the link without naming it", where + ": " + reason);
        }
        if (terminal != null && terminal.expect() == Expect.TOO_LARGE && !reason.contains("frame larger than max-frame-size") && !earlierViolation) {
            findings.violation("an oversized frame closed the link without naming it", where + ": " + reason + " after " + terminal);
        }
        boolean violationSent = terminal != null && (terminal.expect() == Expect.VIOLATION || terminal.expect() == Expect.TOO_LARGE);
        if (violation && !violationSent && !unspecified) {
            findings.violation("a well-formed stream was called a protocol violation", where + ": " + reason + " after " + expected);
        }
        // a socket closed with unread bytes in its receive buffer sends a reset (TCP), so a server close may read as one
        boolean serverEnded = "server reset".equals(ending) || "server closed".equals(ending);
        if (reason.startsWith("I/O error") && !(serverEnded && reason.contains("Connection reset"))) {
            findings.violation("the link closed on an unexpected error", where + ": " + reason + " after " + expected);
        }
    }

    /** The end of every connection: the client must close its socket (within {@code timeout}); then the client's own checks. */
    private void end(HostileSession session, Client client, String where, Duration timeout, String after) throws Exception {
        if (!session.awaitEnd(timeout)) {
            findings.violation("the client kept its socket open", where + " after " + after);
        }
        session.close();
        client.connectionEnded(where);
    }

    private Message validSample(SplittableRandom random, List<String> connIds) {
        return switch (random.nextInt(5)) {
            case 0 -> Frames.ringing(random);
            case 1 -> Frames.callEvent(random, connIds.isEmpty() ? Frames.connId(random) : connIds.get(0));
            case 2 -> Frames.dialing(random.nextLong(), Frames.connId(random), random);
            case 3 -> Frames.error(random.nextLong(), random);
            default -> Frames.registered(random.nextLong(), random);
        };
    }

    private void flood(HostileSession session, SplittableRandom random) throws IOException {
        int count = 100 + random.nextInt(901);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            Message message = switch (random.nextInt(3)) {
                case 0 -> Frames.ping();
                case 1 -> Frames.pong();
                default -> Frames.ringing(random);
            };
            bytes.writeBytes(Frames.valid(message).bytes());
        }
        count("flood", count);
        session.write(bytes.toByteArray());
    }

    private void send(HostileSession session, Frame frame) throws IOException {
        count(frame.expect() + " " + shortKind(frame.kind()), 1);
        session.write(frame.bytes());
    }

    private void count(String kind, int frames) {
        this.frames += frames;
        kinds.merge(kind, (long) frames, Long::sum);
    }

    /** The kind without its numbers, so that the summary groups "wrong length 12 for 40" with the others. */
    private static String shortKind(String kind) {
        return kind.replaceAll("-?[0-9]+", "N");
    }

    private static String reasonClass(String reason) {
        int colon = reason.indexOf(':');
        String head = colon < 0 ? reason : reason.substring(0, colon);
        return head.length() > 60 ? head.substring(0, 60) : head;
    }

    /**
     * The checks every client applies to what reached its host: PROTOCOL.md's events, with what they require. None of
     * the protocol violations may get through: no other message type, no event without its required attribute, no
     * ConnID empty or over 64 bytes.
     */
    static void checkEvent(TelephonyEvent event, Findings findings, String where) {
        switch (event.name()) {
            case "EventRinging" -> {
                if (event.thisDn().isEmpty()) {
                    findings.violation("an EventRinging without ThisDN reached the host", where + ": " + event);
                }
                if (!event.connId().isEmpty() && !connIdOk(event.connId())) {
                    findings.violation("an event with a ConnID over 64 bytes reached the host", where + ": " + event);
                }
            }
            case "EventEstablished", "EventReleased" -> {
                if (event.connId().isEmpty()) {
                    findings.violation("a call event without ConnID reached the host", where + ": " + event);
                } else if (!connIdOk(event.connId())) {
                    findings.violation("an event with a ConnID over 64 bytes reached the host", where + ": " + event);
                }
            }
            default -> findings.violation("a " + event.name() + " reached the host as an event", where + ": " + event);
        }
    }

    /** A ConnID as PROTOCOL.md allows it: 1 to 64 bytes. */
    static boolean connIdOk(String connId) {
        return !connId.isEmpty() && Frames.utf8(connId).length <= FrameCodec.MAX_CONN_ID_BYTES;
    }
}
