package org.dialbalance.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ClusterTopology;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.policy.NodeOptions;
import org.dialbalance.core.BalancerConfig;

/**
 * The load-aware guarantees of a run, judged beside {@link Verdict}'s, each PASS, FAIL or SKIP with why. Each is a
 * verdict line only for a scenario it concerns (L1 when a node has {@code max-calls}, L2 when the policy is
 * {@code weighted-round-robin}), so other scenarios' verdicts are unchanged:
 * <ul>
 *   <li><b>L1</b>, whenever some node has {@code max-calls}: at every load sample ({@link LoadSample}, about 400 per
 *       run from the balancer's {@code health()}), no node's calls in progress plus requests awaiting replies exceed its
 *       {@code max-calls}. A sample is a moment, not every moment: the check cannot see a breach between two samples;
 *       the dispatcher's own atomic check and {@code LoadAwareRuleTest} cover those.</li>
 *   <li><b>L2</b>, for {@code weighted-round-robin} without caps: within each run of consecutive regular-mode decisions
 *       made on one active set, each node's count is within one of its weighted share ({@code n × weight / total}).
 *       A second attempt is routed on a transport thread and may be reported a little out of order: each second
 *       attempt within a run allows that run one more.</li>
 * </ul>
 */
final class LoadVerdict {

    static final String WEIGHTED = "weighted-round-robin";

    private LoadVerdict() {
    }

    static List<Verdict.Result> judge(SimulationResult run) {
        List<Verdict.Result> results = new ArrayList<>();
        if (anyCap(run.config())) {
            results.add(capacity(run));
        }
        if (WEIGHTED.equals(run.config().lbMode().orElse(""))) {
            results.add(weightedShares(run));
        }
        return results;
    }

    private static boolean anyCap(BalancerConfig config) {
        for (int i = 0; i < config.topology().size(); i++) {
            if (config.nodeOptions(i).capped()) {
                return true;
            }
        }
        return false;
    }

    /** L1. */
    private static Verdict.Result capacity(SimulationResult run) {
        String name = "L1. max-calls: calls in progress plus requests awaiting replies never above a node's max-calls";
        BalancerConfig config = run.config();
        if (!anyCap(config)) {
            return new Verdict.Result(name, Verdict.Status.SKIP, 0, "no node has max-calls");
        }
        if (run.loadSamples().isEmpty()) {
            return new Verdict.Result(name, Verdict.Status.SKIP, 0, "no load sample was taken");
        }
        ClusterTopology topology = config.topology();
        long checked = 0;
        for (LoadSample sample : run.loadSamples()) {
            for (int i = 0; i < topology.size(); i++) {
                NodeOptions options = config.nodeOptions(i);
                if (!options.capped()) {
                    continue;
                }
                checked++;
                if (sample.load(i) > options.maxCalls()) {
                    return new Verdict.Result(name, Verdict.Status.FAIL, checked, String.format(Locale.ROOT,
                            "at %.3f s node %s had %d calls in progress and %d requests awaiting replies, above its max-calls %d",
                            sample.atNanos() / 1e9, topology.node(i).id(), sample.callsInProgress()[i],
                            sample.requestsAwaitingReply()[i], options.maxCalls()));
                }
            }
        }
        return new Verdict.Result(name, Verdict.Status.PASS, checked, "");
    }

    /** L2. */
    private static Verdict.Result weightedShares(SimulationResult run) {
        String name = "L2. weighted-round-robin: each node within one of its weighted share on an unchanged active set";
        BalancerConfig config = run.config();
        if (!WEIGHTED.equals(config.lbMode().orElse(""))) {
            return new Verdict.Result(name, Verdict.Status.SKIP, 0, "sip-cluster-lb-mode is not " + WEIGHTED);
        }
        if (anyCap(config)) {
            return new Verdict.Result(name, Verdict.Status.SKIP, 0, "a node has max-calls: full nodes are passed over, which"
                    + " bends the shares on purpose");
        }
        int size = config.topology().size();
        int[] counts = new int[size];
        List<NodeId> windowSet = null;
        int requests = 0;
        int retries = 0;
        long checked = 0;
        for (Decision decision : run.decisions()) {
            if (decision.node().isEmpty() || run.requests().get(decision.requestId()).group.mode().isSeizing()) {
                continue;
            }
            ClusterSnapshot snapshot = decision.snapshot();
            if (!snapshot.activeNodes().equals(windowSet)) {
                windowSet = snapshot.activeNodes();
                java.util.Arrays.fill(counts, 0);
                requests = 0;
                retries = 0;
            }
            int chosen = snapshot.topology().indexOf(decision.node().get());
            counts[chosen]++;
            requests++;
            retries += decision.attempt() > 1 ? 1 : 0;
            checked++;
            long total = 0;
            for (int n = 0; n < snapshot.activeCount(); n++) {
                total += config.nodeOptions(snapshot.activeIndex(n)).weight();
            }
            for (int n = 0; n < snapshot.activeCount(); n++) {
                int node = snapshot.activeIndex(n);
                int weight = config.nodeOptions(node).weight();
                long scaled = counts[node] * total - (long) requests * weight;
                if (Math.abs(scaled) > total * (1L + retries)) {
                    return new Verdict.Result(name, Verdict.Status.FAIL, checked, String.format(Locale.ROOT,
                            "node %s (weight %d) had %d of %d decisions on active set %s (total weight %d, %d second attempts):"
                                    + " more than %d away from its share %.2f", snapshot.topology().node(node).id(), weight,
                            counts[node], requests, windowSet, total, retries, 1 + retries, (double) requests * weight / total));
                }
            }
        }
        return checked == 0 ? new Verdict.Result(name, Verdict.Status.SKIP, 0, "no regular-mode request was routed to a node")
                : new Verdict.Result(name, Verdict.Status.PASS, checked, "");
    }

    /** The peak calls in progress per node over the samples, in configured order (for the summary). */
    static List<String> peaks(SimulationResult run) {
        List<String> lines = new ArrayList<>();
        ClusterTopology topology = run.config().topology();
        for (int i = 0; i < topology.size(); i++) {
            int peak = 0;
            for (LoadSample sample : run.loadSamples()) {
                peak = Math.max(peak, sample.load(i));
            }
            NodeOptions options = run.config().nodeOptions(i);
            lines.add("node " + topology.node(i).id() + ": peak " + peak + (options.capped() ? " of max-calls " + options.maxCalls() : ""));
        }
        return lines;
    }
}
