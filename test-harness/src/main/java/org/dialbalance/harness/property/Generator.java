package org.dialbalance.harness.property;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.dialbalance.api.DialingMode;
import org.dialbalance.api.LinkRole;
import org.dialbalance.harness.model.TransportFault;

/**
 * Seeded generators of cluster cases: 1–8 nodes with or without backups and any prime, 1–4 campaign groups
 * (regular and seizing; dialer node valid, unset or unknown), and 1–{@code maxActions} actions weighted
 * towards what makes failover interesting: links going down and up, requests in between, the clock.
 */
public final class Generator {

    private static final DialingMode[] REGULAR = {DialingMode.PROGRESSIVE, DialingMode.PREDICTIVE, DialingMode.PROGRESSIVE_GVP,
        DialingMode.PREDICTIVE_GVP, DialingMode.POWER_GVP};
    private static final DialingMode[] SEIZING = {DialingMode.PROGRESSIVE_SEIZING, DialingMode.PREDICTIVE_SEIZING};

    private static final TransportFault[] FAULTS = TransportFault.values();

    private final boolean regularGroups;
    private final boolean seizingGroups;
    private final int maxActions;
    private final boolean transportFaults;
    private final boolean operations;

    /**
     * @param regularGroups whether to generate groups in regular modes
     * @param seizingGroups whether to generate groups in seizing modes
     * @param maxActions    the longest sequence
     */
    public Generator(boolean regularGroups, boolean seizingGroups, int maxActions) {
        this(regularGroups, seizingGroups, maxActions, false, false);
    }

    private Generator(boolean regularGroups, boolean seizingGroups, int maxActions, boolean transportFaults, boolean operations) {
        if (!regularGroups && !seizingGroups) {
            throw new IllegalArgumentException("generate at least one kind of group");
        }
        this.regularGroups = regularGroups;
        this.seizingGroups = seizingGroups;
        this.maxActions = maxActions;
        this.transportFaults = transportFaults;
        this.operations = operations;
    }

    /**
     * The same generator, but a third of the outbound calls meet a transport fault ({@link Action.Faulty}: not
     * written, not written twice, lost after the write, a late reply, no reply, a failing send stage) — for the
     * {@link CoreDriver}. Without it the random stream, hence every seed's cases, is unchanged.
     */
    public Generator withTransportFaults() {
        return new Generator(regularGroups, seizingGroups, maxActions, true, operations);
    }

    /**
     * The same generator, but about a third of the actions are an operator's or act on requests in flight — for the
     * {@link CoreDriver}: {@link Action.Drain} and {@link Action.Enable} of any node (the prime and the node only a
     * reload adds included: the balancer must refuse those), {@link Action.Reconfigure} with any {@link ConfigVariant}
     * the case has (valid or not), {@link Action.InFlight} requests, {@link Action.Answer} and {@link Action.Release}.
     * Without it the random stream, hence every seed's cases, is unchanged.
     */
    public Generator withOperations() {
        return new Generator(regularGroups, seizingGroups, maxActions, transportFaults, true);
    }

    /** One case, decided entirely by {@code random}. */
    public ClusterCase next(SplittableRandom random) {
        int nodes = 1 + random.nextInt(random.nextInt(4) == 0 ? 8 : 4);
        List<Boolean> backups = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            backups.add(random.nextBoolean());
        }
        int prime = random.nextInt(nodes);
        List<ClusterCase.GroupSpec> groups = new ArrayList<>();
        int groupCount = 1 + random.nextInt(4);
        for (int i = 0; i < groupCount; i++) {
            boolean seizing = regularGroups && seizingGroups ? random.nextInt(3) == 0 : seizingGroups;
            if (seizing) {
                ClusterCase.Dialer dialer = ClusterCase.Dialer.values()[random.nextInt(3)];
                groups.add(new ClusterCase.GroupSpec(SEIZING[random.nextInt(SEIZING.length)], dialer, random.nextInt(nodes)));
            } else {
                groups.add(new ClusterCase.GroupSpec(REGULAR[random.nextInt(REGULAR.length)], ClusterCase.Dialer.UNSET, 0));
            }
        }
        int length = 1 + random.nextInt(maxActions);
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            actions.add(operations && random.nextInt(100) < 35 ? operation(random, nodes, groups)
                    : action(random, nodes, groups, transportFaults));
        }
        return new ClusterCase(backups, prime, groups, actions);
    }

    private static Action operation(SplittableRandom random, int nodes, List<ClusterCase.GroupSpec> groups) {
        int roll = random.nextInt(100);
        int node = random.nextInt(nodes + 1);         // the node a reload may add included
        if (roll < 22) {
            return new Action.Drain(node);
        }
        if (roll < 34) {
            return new Action.Enable(node);
        }
        if (roll < 59) {
            List<ConfigVariant> variants = java.util.Arrays.stream(ConfigVariant.values()).filter(variant -> variant.appliesTo(nodes)).toList();
            return new Action.Reconfigure(variants.get(random.nextInt(variants.size())));
        }
        if (roll < 81) {
            return new Action.InFlight(random.nextInt(groups.size()));
        }
        if (roll < 89) {
            return new Action.Answer();
        }
        return new Action.Release(node);
    }

    private static Action action(SplittableRandom random, int nodes, List<ClusterCase.GroupSpec> groups, boolean faults) {
        int roll = random.nextInt(100);
        int group = random.nextInt(groups.size());
        if (roll < 45) {
            if (faults && random.nextInt(3) == 0) {
                return new Action.Faulty(group, FAULTS[random.nextInt(FAULTS.length)]);
            }
            return new Action.Dial(group);
        }
        if (roll < 55) {
            return groups.get(group).mode().isSeizing() ? new Action.Engage(group) : new Action.Dial(group);
        }
        LinkRole role = random.nextBoolean() ? LinkRole.PRIMARY : LinkRole.BACKUP;
        int node = random.nextInt(nodes);
        List<Integer> dialers = groups.stream().filter(spec -> spec.mode().isSeizing() && spec.dialer() == ClusterCase.Dialer.VALID)
                .map(ClusterCase.GroupSpec::dialerNode).toList();
        if (!dialers.isEmpty() && random.nextBoolean()) {
            node = dialers.get(random.nextInt(dialers.size()));    // dialer nodes going down is the ASM case that matters
        }
        if (roll < 77) {
            return new Action.Down(node, role);
        }
        if (roll < 97) {
            return new Action.Up(node, role);
        }
        return new Action.Tick();
    }
}
