package org.dialbalance.policy.loadaware;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.NodeLoadView;
import org.dialbalance.api.policy.PolicyContext;

/**
 * The nodes' {@code max-calls} and loads as one policy sees them, read once at creation (caps) and live on every
 * route (loads). A node is <em>full</em> when its load (calls in progress plus requests awaiting replies) has
 * reached its {@code max-calls}; a full node gets nothing new from these policies. This is the policies' half of
 * capacity caps: it keeps full nodes out of the choice. The balancer's dispatcher enforces the cap itself, counted
 * atomically with each send, so calls in progress never exceed {@code max-calls} even when two routes race.
 */
final class Capacity {

    static final HoldReason UNSUPPORTED_MODE = HoldReason.of("UNSUPPORTED_MODE");

    private final NodeLoadView load;
    private final int[] weights;
    private final int[] caps;
    private final boolean anyCap;

    Capacity(PolicyContext context) {
        int size = context.topology().size();
        this.load = context.nodeLoad();
        this.weights = new int[size];
        this.caps = new int[size];
        boolean capped = false;
        for (int i = 0; i < size; i++) {
            weights[i] = context.nodeOptions(i).weight();
            caps[i] = context.nodeOptions(i).maxCalls();
            capped |= context.nodeOptions(i).capped();
        }
        this.anyCap = capped;
    }

    /** Whether some node has a cap (if none, nothing is ever full and loads need not be read). */
    boolean anyCap() {
        return anyCap;
    }

    int weight(int index) {
        return weights[index];
    }

    int load(int index) {
        return load.load(index);
    }

    /** Whether the node has its max-calls in progress. */
    boolean full(int index) {
        return anyCap && load.load(index) >= caps[index];
    }

    /** Whether the node would be full with this load. */
    boolean fullAt(int index, int nodeLoad) {
        return anyCap && nodeLoad >= caps[index];
    }

    /** The view the loads are read from. */
    NodeLoadView view() {
        return load;
    }

    /** The hold when every active node is full. */
    static Route atCapacity(ClusterSnapshot snapshot) {
        return Route.hold(HoldReason.CLUSTER_AT_CAPACITY, "every one of the " + snapshot.activeCount()
                + " active nodes has its max-calls in progress; nothing was sent, retry when calls have ended");
    }

    /** The hold for a seizing group's request, or {@code null} for a regular one. */
    static Route unsupported(DialRequest request, String policy) {
        if (!request.group().mode().isSeizing()) {
            return null;
        }
        return Route.hold(UNSUPPORTED_MODE, "campaign group '" + request.group().name() + "' dials in seizing mode "
                + request.group().mode().configName() + "; " + policy + " balances regular modes only");
    }
}
