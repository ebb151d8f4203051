package org.dialbalance.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.HoldReason;

/**
 * The guarantees of a run with several dialers ({@link DialersRunner}), judged on the simulated servers' records, the
 * fencing tokens the requests carried, and every request's outcome:
 * <ul>
 *   <li><b>0</b>: every {@code kill-dialer} line was applied (a dialer that owned the named group was alive);</li>
 *   <li><b>5</b>: every request issued to a dialer ends with exactly one outcome; one held {@code NOT_OWNER} (a copy
 *       for a dialer that does not own the group) is an outcome like any other, never a failure; a request held or
 *       failed before writing reaches no server, and a dialed one reached the node it names, once;</li>
 *   <li><b>8</b>: never two owners dialing one group — per campaign group, the requests the cluster admitted, in the
 *       order the servers received them, carry non-decreasing fencing tokens, each token is one dialer's, and every
 *       dialed request carries a token. A request the cluster refused for a stale token (ErrorCode 57) counts as
 *       fenced, not as a violation: refusing it is what fencing is for;</li>
 *   <li><b>9</b>: take-over — every group of a killed dialer was dialed again by another dialer before the run ended;
 *       the line names the take-over times (from the kill to the first request of the group another dialer was
 *       issued and dialed), which are measured, not judged.</li>
 * </ul>
 * A run with one balancer has line 8 only, as SKIP ({@link #oneDialer()}).
 */
final class OwnershipVerdict {

    static final String NEVER_TWO_OWNERS = "8. never two owners dialing one group (server records, tokens)";

    private OwnershipVerdict() {
    }

    /** The line a run with one balancer shows. */
    static Verdict.Result oneDialer() {
        return new Verdict.Result(NEVER_TWO_OWNERS, Verdict.Status.SKIP, 0, "the scenario has one dialer");
    }

    static List<Verdict.Result> judge(DialersResult run) {
        List<Verdict.Result> results = new ArrayList<>();
        results.add(kills(run));
        results.add(exactlyOnce(run));
        results.add(neverTwoOwners(run.received()));
        results.add(takeOver(run));
        return results;
    }

    /** 0. */
    private static Verdict.Result kills(DialersResult run) {
        String name = "0. the fault script ran: every kill-dialer applied";
        if (run.scenario().faults().isEmpty()) {
            return new Verdict.Result(name, Verdict.Status.SKIP, 0, "the scenario has no faults");
        }
        long checked = 0;
        for (Fault fault : run.scenario().faults()) {
            checked++;
            DialersResult.Kill kill = run.kills().stream().filter(candidate -> candidate.fault() == fault).findFirst().orElse(null);
            if (kill == null) {
                return run.interrupted() ? new Verdict.Result(name, Verdict.Status.SKIP, checked, "the run was stopped before fault '"
                        + fault.text() + "'") : new Verdict.Result(name, Verdict.Status.FAIL, checked, "fault '" + fault.text()
                        + "' was never applied (the workload ended first)");
            }
            if (kill.refusal() != null) {
                return new Verdict.Result(name, Verdict.Status.FAIL, checked, "fault '" + fault.text() + "' before request #"
                        + kill.beforeRequest() + " was not applied: " + kill.refusal());
            }
        }
        return new Verdict.Result(name, Verdict.Status.PASS, checked, "");
    }

    /** 5. */
    private static Verdict.Result exactlyOnce(DialersResult run) {
        String name = "5. exactly one outcome per request, none lost, none sent twice";
        Map<String, List<ClusterUnderTest.ServerRecord>> received = new HashMap<>();
        run.received().forEach(record -> received.computeIfAbsent(record.requestId(), ignored -> new ArrayList<>()).add(record));
        long checked = 0;
        for (RequestRecord request : run.requests()) {
            checked++;
            List<ClusterUnderTest.ServerRecord> copies = received.getOrDefault(Integer.toString(request.id), List.of());
            DialOutcome outcome = request.outcome();
            String problem = null;
            if (outcome == null) {
                problem = "no outcome at all";
            } else if (request.completions() != 1) {
                problem = request.completions() + " outcomes";
            } else if (copies.size() > 1) {
                problem = "sent twice: received by " + copies;
            } else if (outcome instanceof DialOutcome.Dialed dialed
                    && (copies.isEmpty() || !copies.get(0).node().equals(dialed.node()) || copies.get(0).role() != dialed.via())) {
                problem = "reported dialed on node " + dialed.node() + " " + dialed.via() + " but the servers received " + copies;
            } else if ((outcome instanceof DialOutcome.Held || outcome instanceof DialOutcome.Failed failed && !failed.reason().written())
                    && !copies.isEmpty()) {
                problem = "ended " + Verdict.describe(outcome) + " (never written), yet received by " + copies;
            } else if (!copies.isEmpty() && !copies.get(0).dialer().equals(request.dialer)) {
                problem = "issued to dialer " + request.dialer + " but received as sent by " + copies.get(0).dialer();
            }
            if (problem != null) {
                return new Verdict.Result(name, Verdict.Status.FAIL, checked, describe(request) + problem);
            }
        }
        return checked == 0 ? new Verdict.Result(name, Verdict.Status.SKIP, 0, "no request was issued")
                : new Verdict.Result(name, Verdict.Status.PASS, checked, "");
    }

    /**
     * 8. Judged on the servers' records alone, in arrival order over the cluster (the simulated cluster admits or fences
     * each request in that order): per campaign group, the admitted requests' tokens never decrease and each token is
     * one dialer's; every request a dialer sent carries a token; fenced ones are counted.
     */
    static Verdict.Result neverTwoOwners(List<ClusterUnderTest.ServerRecord> received) {
        long checked = 0;
        long fenced = 0;
        Map<String, Long> highest = new HashMap<>();
        Map<String, String> lastDialer = new HashMap<>();
        Map<String, String> tokenOwner = new HashMap<>();
        for (int i = 0; i < received.size(); i++) {
            ClusterUnderTest.ServerRecord record = received.get(i);
            if (record.dialer().isEmpty()) {
                continue;    // not sent by a dialer of the workload
            }
            checked++;
            String where = "the request #" + record.requestId() + " received " + ordinal(i + 1) + " (by node " + record.node() + " "
                    + record.role() + ") from dialer " + record.dialer();
            ClusterUnderTest.Fencing fencing = record.fencing();
            if (fencing == null) {
                return new Verdict.Result(NEVER_TWO_OWNERS, Verdict.Status.FAIL, checked, where + " carried no fencing token");
            }
            if (fencing.fenced()) {
                fenced++;
                continue;
            }
            String group = fencing.campaignGroup();
            Long before = highest.get(group);
            if (before != null && fencing.token() < before) {
                return new Verdict.Result(NEVER_TWO_OWNERS, Verdict.Status.FAIL, checked, where + " was admitted for group '" + group
                        + "' with token " + fencing.token() + " after dialer " + lastDialer.get(group) + " dialed it with token " + before
                        + ": two owners dialed the group at once");
            }
            String owner = tokenOwner.putIfAbsent(group + "\u0000" + fencing.token(), record.dialer());
            if (owner != null && !owner.equals(record.dialer())) {
                return new Verdict.Result(NEVER_TWO_OWNERS, Verdict.Status.FAIL, checked, where + " dialed group '" + group
                        + "' with token " + fencing.token() + ", which dialer " + owner + " dialed it with too: two owners of one token");
            }
            highest.put(group, fencing.token());
            lastDialer.put(group, record.dialer());
        }
        if (checked == 0) {
            return new Verdict.Result(NEVER_TWO_OWNERS, Verdict.Status.SKIP, 0, "no server received a request of a dialer");
        }
        return new Verdict.Result(NEVER_TWO_OWNERS, Verdict.Status.PASS, checked, fenced == 0 ? ""
                : fenced + " request(s) of a former owner refused by the cluster (fenced, as they should be)");
    }

    /** 9. */
    private static Verdict.Result takeOver(DialersResult run) {
        String name = "9. take-over: each group of a killed dialer dialed by another";
        List<DialersResult.TakeOver> takeOvers = run.takeOvers();
        if (takeOvers.isEmpty()) {
            return new Verdict.Result(name, Verdict.Status.SKIP, 0, run.kills().isEmpty() ? "no dialer was killed"
                    : "the killed dialers owned no group");
        }
        long checked = 0;
        List<String> times = new ArrayList<>();
        for (DialersResult.TakeOver takeOver : takeOvers) {
            checked++;
            if (takeOver.nanos() < 0) {
                return new Verdict.Result(name, run.interrupted() ? Verdict.Status.SKIP : Verdict.Status.FAIL, checked, "group '"
                        + takeOver.group() + "' of dialer " + takeOver.kill().dialer() + " was dialed by no other dialer after '"
                        + takeOver.kill().fault().text() + "' (session timeout " + run.sessionTimeout().toMillis() + " ms)");
            }
            times.add(takeOver.group() + " " + seconds(takeOver.nanos()) + " by " + takeOver.by());
        }
        return new Verdict.Result(name, Verdict.Status.PASS, checked, "take-over times (session timeout "
                + seconds(run.sessionTimeout().toNanos()) + "): " + String.join(", ", times));
    }

    /** How many requests a dialer held because another owned their group: the expected share of a run with several. */
    static long notOwnerHolds(List<RequestRecord> requests) {
        return requests.stream().filter(request -> request.outcome() instanceof DialOutcome.Held held
                && held.reason().equals(HoldReason.NOT_OWNER)).count();
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    private static String ordinal(int n) {
        return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        });
    }

    private static String describe(RequestRecord request) {
        return "request #" + request.id + " (group '" + request.group.name() + "', dialer " + request.dialer + ", issued at "
                + seconds(request.issuedNanos) + "): ";
    }
}
