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
import org.dialbalance.transport.tserver.protocol.Message;

/**
 * The hostile server's script for one connection, whatever client is on the other end: a handshake (mostly
 * valid, sometimes refused, wrong, garbage, closed or silent), then a seeded mix of frames (replies to what the
 * client sent, call and DN events, keep-alives, floods, slowloris, meaningless and malformed frames, closes),
 * then the checks of how the client ended the link. Counts every frame written.
 */
final class FuzzCampaign {

    static final Duration MARGIN = Duration.ofSeconds(5);

    /** What the fuzzer needs from the client under test. */
    interface Client {
        void dial();

        void register();

        /** After a valid handshake: true when the client reports the link open within the timeout. */
        boolean awaitOpened(Duration timeout) throws Exception;

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
            findings.violation("no RequestRegisterClient after connecting", where);
            return;
        }
        int handshake = random.nextInt(1000);
        if (handshake < 930) {
            Frame connected = Frames.valid(Frames.linkConnected(1));
            if (random.nextInt(20) == 0) {
                count("handshake slowloris", 1);
                session.writeSlowly(connected.bytes());
            } else {
                count("handshake", 1);
                session.write(connected.bytes());
            }
            if (!client.awaitOpened(connectTimeout.plus(MARGIN))) {
                findings.violation("a valid EventLinkConnected did not open the link", where);
                return;
            }
        } else {
            refusedHandshakes++;
            String kind;
            if (handshake < 950) {
                kind = "handshake EventError";
                session.write(Frames.frame(Frames.error(-1, random), Expect.VALID, kind).bytes());
            } else if (handshake < 965) {
                kind = "handshake wrong version";
                session.write(Frames.valid(Frames.linkConnected(2 + random.nextInt(1000))).bytes());
            } else if (handshake < 980) {
                kind = "handshake event first";
                session.write(Frames.valid(Frames.ringing(random)).bytes());
            } else if (handshake < 990) {
                kind = "handshake malformed first";
                Frame malformed;
                do {                        // a mutation can leave a valid EventLinkConnected (a flipped bit in its name)
                    malformed = Frames.mutated(random, Frames.linkConnected(1));
                } while (malformed.expect() != Expect.VIOLATION && malformed.expect() != Expect.TOO_LARGE);
                session.write(malformed.bytes());
            } else if (handshake < 997) {
                kind = "handshake server closes";
                session.close();
            } else {
                kind = "handshake silent";
            }
            count(kind, kind.endsWith("closes") || kind.endsWith("silent") ? 0 : 1);
            Boolean refused = client.refused(connectTimeout.plus(MARGIN));
            if (refused != null && !refused) {
                findings.violation("the link opened after a hostile handshake", where + ": " + kind);
            }
            if (!session.awaitEnd(connectTimeout.plus(MARGIN))) {
                findings.violation("a refused link was left open", where + ": " + kind);
            }
            session.close();
            client.connectionEnded(where);
            return;
        }

        List<String> connIds = new ArrayList<>();
        int budget = 1 + random.nextInt(160);
        boolean sentBad = false;           // anything but well-formed frames
        boolean garbageSent = false;       // decodable but meaningless frames, which the client may close on
        Frame terminal = null;
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
                    sentBad = true;
                    garbageSent = true;
                    Frame garbage = Frames.garbage(random, session.takeDialReference());
                    send(session, garbage);
                } else if (draw < 800) {
                    Frame mutated = Frames.mutated(random, validSample(random, connIds));
                    sentBad |= mutated.expect() != Expect.VALID;
                    garbageSent |= mutated.expect() == Expect.GARBAGE;
                    send(session, mutated);
                    if (mutated.expect() == Expect.VIOLATION || mutated.expect() == Expect.TOO_LARGE || mutated.expect() == Expect.DISCONNECT) {
                        terminal = mutated;
                    }
                } else if (draw < 803) {
                    terminal = Frames.valid(Frames.disconnected());
                    send(session, terminal);
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
                    terminal = Frames.valid(Frames.disconnected());
                    send(session, terminal);
                } else {
                    ending = "server closed";
                    session.close();
                }
            }
        } catch (IOException e) {
            ending = "client closed first (" + e.getMessage() + ")";
        }

        String reason = client.awaitClosed(MARGIN);
        String expected = terminal == null ? ending : terminal.kind();
        if (reason == null) {
            findings.violation("the link was not closed within " + MARGIN.toSeconds() + " s", where + " after " + expected
                    + (terminal == null ? "" : ": " + terminal));
        } else if (client.seesReasons()) {
            closeReasons.merge(reasonClass(reason), 1L, Long::sum);
            if (reason.isBlank()) {
                findings.violation("a link closed without a reason", where);
            }
            if (terminal != null && terminal.expect() == Expect.VIOLATION && !reason.contains("protocol violation") && !garbageSent) {
                findings.violation("a malformed frame closed the link without naming the violation", where + ": " + reason + " after " + terminal);
            }
            if (terminal != null && terminal.expect() == Expect.DISCONNECT && !reason.contains("EventLinkDisconnected") && !garbageSent) {
                findings.violation("EventLinkDisconnected closed the link without naming it", where + ": " + reason);
            }
            if (terminal != null && terminal.expect() == Expect.TOO_LARGE && !reason.contains("frame larger than max-frame-size")
                    && !garbageSent) {
                findings.violation("an oversized frame closed the link without naming it", where + ": " + reason + " after " + terminal);
            }
            if (reason.contains("protocol violation") && !sentBad) {
                findings.violation("a well-formed stream was called a protocol violation", where + ": " + reason);
            }
            // a socket closed with unread bytes in its receive buffer sends a reset (TCP), so a server close may read as one
            boolean serverEnded = "server reset".equals(ending) || "server closed".equals(ending);
            if (reason.startsWith("I/O error") && !(serverEnded && reason.contains("Connection reset"))) {
                findings.violation("the link closed on an unexpected error", where + ": " + reason + " after " + expected);
            }
        }
        if (!session.awaitEnd(MARGIN)) {
            findings.violation("the client kept its socket open after closing the link", where + " after " + expected);
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

    /** The checks every client applies to what reached its host: PROTOCOL.md's events, well-formed. */
    static void checkEvent(TelephonyEvent event, Findings findings, String where) {
        switch (event.name()) {
            case "EventRinging" -> {
                if (event.thisDn().isEmpty()) {
                    findings.violation(KnownDefect.EVENT_WITHOUT_THISDN_DELIVERED, where + ": " + event);
                }
            }
            case "EventEstablished", "EventReleased" -> {
                if (event.connId().isEmpty()) {
                    findings.violation(KnownDefect.EVENT_WITHOUT_CONNID_DELIVERED, where + ": " + event);
                }
            }
            default -> findings.violation(event.name().startsWith("Request") ? KnownDefect.WRONG_DIRECTION_EVENT_DELIVERED
                    : KnownDefect.NON_EVENT_DELIVERED, where + ": " + event);
        }
    }
}
