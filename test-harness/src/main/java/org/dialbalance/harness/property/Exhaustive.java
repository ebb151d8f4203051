package org.dialbalance.harness.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dialbalance.api.LinkRole;

/**
 * Bounded model checking for small clusters: every sequence of a given length over an alphabet of actions,
 * except those with a no-op link action (a link going down that is already down, up that is already up, or
 * a backup on a node without one), which only repeat shorter sequences. A property that checks every step
 * is thereby checked on every prefix too.
 */
public final class Exhaustive {

    private Exhaustive() {
    }

    /**
     * Checks {@code property} on every sequence of length {@code depth} for {@code base}'s cluster.
     *
     * @return how many sequences were checked, or the first failure, shrunk
     */
    public static Result check(String name, ClusterCase base, List<Action> alphabet, int depth, PropertyRunner.Property property) {
        long[] checked = {0};
        Optional<Counterexample> failure = walk(base, alphabet, depth, new ArrayList<>(), linkState(base), property, checked, name);
        return new Result(checked[0], failure);
    }

    /**
     * @param sequences how many sequences were checked
     * @param failure   the first failure, if any
     */
    public record Result(long sequences, Optional<Counterexample> failure) {
    }

    private static Optional<Counterexample> walk(ClusterCase base, List<Action> alphabet, int depth, List<Action> prefix,
                                                 boolean[][] up, PropertyRunner.Property property, long[] checked, String name) {
        if (prefix.size() == depth) {
            checked[0]++;
            ClusterCase candidate = base.withActions(prefix);
            Optional<String> violation = property.test(candidate);
            if (violation.isPresent()) {
                ClusterCase shrunk = PropertyRunner.shrink(candidate, property);
                return Optional.of(new Counterexample(name, 0, -1, candidate, shrunk, property.test(shrunk).orElseThrow()));
            }
            return Optional.empty();
        }
        for (Action action : alphabet) {
            int node = -1;
            int role = -1;
            boolean target = false;
            if (action instanceof Action.Down down) {
                node = down.node();
                role = down.role() == LinkRole.PRIMARY ? 0 : 1;
                target = false;
            } else if (action instanceof Action.Up linkUp) {
                node = linkUp.node();
                role = linkUp.role() == LinkRole.PRIMARY ? 0 : 1;
                target = true;
            }
            if (node >= 0 && (up[node][role] == target || (role == 1 && !base.backups().get(node)))) {
                continue;   // a no-op: the same as a shorter sequence
            }
            if (node >= 0) {
                up[node][role] = target;
            }
            prefix.add(action);
            Optional<Counterexample> failure = walk(base, alphabet, depth, prefix, up, property, checked, name);
            prefix.remove(prefix.size() - 1);
            if (node >= 0) {
                up[node][role] = !target;
            }
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private static boolean[][] linkState(ClusterCase base) {
        boolean[][] up = new boolean[base.nodeCount()][2];
        for (int i = 0; i < base.nodeCount(); i++) {
            up[i][0] = true;
            up[i][1] = base.backups().get(i);
        }
        return up;
    }
}
