package org.dialbalance.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dialbalance.api.DialOutcome;
import org.dialbalance.core.BalancerConfig;

/**
 * Everything a run with several dialers ({@link DialersRunner}) recorded.
 *
 * @param scenario       what ran
 * @param config         the first dialer's configuration (every dialer's is the same but for its ZooKeeper options)
 * @param dialers        the dialers' ids, in the scenario's order
 * @param sessionTimeout the ZooKeeper session timeout the dialers asked for
 * @param requests       every request issued, by id, each to one dialer
 * @param received       what the servers received, in arrival order over the cluster
 * @param ownership      every ownership change the dialers reported, in the order reported
 * @param kills          the {@code kill-dialer} lines played, in order
 * @param durationNanos  how long the workload ran
 * @param interrupted    whether the run was stopped early (Ctrl-C)
 */
record DialersResult(Scenario scenario, BalancerConfig config, List<String> dialers, Duration sessionTimeout,
                     List<RequestRecord> requests, List<ClusterUnderTest.ServerRecord> received, List<OwnershipChange> ownership,
                     List<Kill> kills, long durationNanos, boolean interrupted) {

    /** Copies the lists. */
    DialersResult {
        dialers = List.copyOf(dialers);
        requests = List.copyOf(requests);
        received = List.copyOf(received);
        ownership = List.copyOf(ownership);
        kills = List.copyOf(kills);
    }

    /**
     * One change of a dialer's ownership of a campaign group ({@code ClusterEvent.OwnershipChanged}).
     *
     * @param nanos  when, since the workload started (negative: before it, while the dialers settled)
     * @param dialer the dialer
     * @param group  the campaign group
     * @param owned  taken ({@code true}) or given up
     * @param token  the fencing token when taken
     * @param detail why, as the coordinator said
     */
    record OwnershipChange(long nanos, String dialer, String group, boolean owned, long token, String detail) {
    }

    /**
     * One {@code kill-dialer} line as played.
     *
     * @param fault         the line
     * @param beforeRequest the workload request before which it was played
     * @param nanos         when the dialer was cut off, since the workload started
     * @param dialer        the dialer killed, or empty when the line was not applied
     * @param owned         the campaign groups it owned when it was killed
     * @param refusal       why the line was not applied (no live dialer owned the group, say), or {@code null}
     */
    record Kill(Fault fault, int beforeRequest, long nanos, String dialer, List<String> owned, String refusal) {
        /** Copies the list. */
        Kill {
            owned = List.copyOf(owned);
        }
    }

    /**
     * How long each campaign group of a killed dialer went undialed: from the kill until another dialer was issued the
     * first request of the group that it dialed.
     *
     * @param kill  the kill
     * @param group a group the killed dialer owned
     * @param by    the dialer that dialed it next, or empty if none did before the run ended
     * @param nanos the take-over time, or -1 if none took it over
     */
    record TakeOver(Kill kill, String group, String by, long nanos) {
    }

    /** The take-over of every group of every applied kill, in the order of the kills and of the groups. */
    List<TakeOver> takeOvers() {
        List<TakeOver> all = new ArrayList<>();
        for (Kill kill : kills) {
            if (kill.refusal() != null) {
                continue;
            }
            for (String group : kill.owned()) {
                Optional<RequestRecord> first = requests.stream()
                        .filter(request -> request.group.name().equals(group) && !request.dialer.equals(kill.dialer())
                                && request.issuedNanos >= kill.nanos() && request.outcome() instanceof DialOutcome.Dialed)
                        .findFirst();
                all.add(first.map(request -> new TakeOver(kill, group, request.dialer, request.issuedNanos - kill.nanos()))
                        .orElseGet(() -> new TakeOver(kill, group, "", -1)));
            }
        }
        return all;
    }
}
