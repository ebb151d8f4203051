package org.dialbalance.api.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLongArray;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.Experimental;

/**
 * Slow start for a rotating policy (Envoy's {@code slow_start_config}): a node that becomes active while the policy
 * is routing takes a small share of its turns at first and its full share once the window has passed, so that a
 * node that has just come back is not handed a full share of new calls at once.
 *
 * <p>Configured by the block {@code slow-start} of a policy's options:
 * <pre>
 * policy-options.weighted-round-robin { slow-start { window = 60s, min-weight-percent = 10, aggression = 1.0 } }
 * </pre>
 * {@code window} (required in the block: {@code 1ms} to {@code 1h}, written as a whole number with {@code ms},
 * {@code s} or {@code m}) is how long the ramp takes; {@code min-weight-percent} (1 to 100, default 10) is the share
 * a node starts with; {@code aggression} (0.1 to 10, default 1) shapes the ramp. At {@code t} since the node became
 * active, it takes the fraction {@code max(min-weight-percent / 100, (t / window)^(1 / aggression))} of its turns
 * (1 once {@code t ≥ window}); a turn it does not take goes to the next node in the policy's order.
 *
 * <p>Promises:
 * <ul>
 *   <li>a node counts as becoming active when a snapshot newer than the last one seen shows it active and that one
 *       did not; the nodes active in the first snapshot the policy sees do not ramp (the policy has just
 *       started);</li>
 *   <li>over any run of turns of a ramping node at one moment, it takes the fraction above of them, within one
 *       turn; never more than its full share;</li>
 *   <li>times come from {@link PolicyContext#nanoTime()}, so a manual clock drives the ramp in tests;</li>
 *   <li>a policy created by a reconfiguration starts afresh: ramps under way end at once (the nodes then active
 *       are the first snapshot it sees), and nodes that become active later ramp;</li>
 *   <li>{@link #admit} is lock-free and allocation-free; a newer snapshot takes a short lock once.</li>
 * </ul>
 */
@Experimental(reason = "new in 0.3 with load-aware balancing; options may grow")
public final class SlowStart {

    /** The name of the option block. */
    public static final String BLOCK = "slow-start";
    /** The keys of the block. */
    public static final Set<String> KEYS = Set.of("window", "min-weight-percent", "aggression");

    private static final long NOT_RAMPING = Long.MIN_VALUE;
    private static final long ONE_TURN = 1L << 20;
    private static final long MAX_WINDOW_NANOS = 3_600_000_000_000L;

    private final long windowNanos;
    private final double minFraction;
    private final double exponent;
    private final PolicyContext context;
    private final AtomicLongArray activeSince;
    private final AtomicLongArray credit;
    private final boolean[] wasActive;
    private volatile long seenVersion = -1;

    private SlowStart(long windowNanos, int minPercent, double aggression, PolicyContext context) {
        this.windowNanos = windowNanos;
        this.minFraction = minPercent / 100.0;
        this.exponent = 1.0 / aggression;
        this.context = context;
        int size = context.topology().size();
        this.activeSince = new AtomicLongArray(size);
        this.credit = new AtomicLongArray(size);
        this.wasActive = new boolean[size];
        for (int i = 0; i < size; i++) {
            activeSince.set(i, NOT_RAMPING);
        }
    }

    /**
     * Reads the options of a policy whose one option is the block {@code slow-start}: the problems of
     * {@link #of(String, PolicyContext)}, after one for every other top-level option
     * ({@link PolicyContext#unknownTopLevelOptions}).
     *
     * @param policyName the policy's name, for the problems' option paths
     * @param context    the policy's context
     * @return as {@link #of(String, PolicyContext)}, invalid also when another option is set
     */
    public static ConfigResult<Optional<SlowStart>> asOnlyOption(String policyName, PolicyContext context) {
        List<ConfigProblem> problems = new ArrayList<>(context.unknownTopLevelOptions(policyName, Set.of(BLOCK)));
        ConfigResult<Optional<SlowStart>> slowStart = of(policyName, context);
        if (slowStart instanceof ConfigResult.Invalid<Optional<SlowStart>> invalid) {
            problems.addAll(invalid.problems());
        }
        return problems.isEmpty() ? slowStart : new ConfigResult.Invalid<>(problems);
    }

    /**
     * Reads the block {@code slow-start} of a policy's options.
     *
     * @param policyName the policy's name, for the problems' option paths
     * @param context    the policy's context: its options, topology and clock
     * @return valid with empty when the block is absent (no slow start), valid with a slow start, or invalid naming
     *         each bad key ({@code policy-options.<policy>.slow-start.<key>})
     */
    public static ConfigResult<Optional<SlowStart>> of(String policyName, PolicyContext context) {
        PolicyOption option = context.optionTree().get(BLOCK);
        String path = "policy-options." + policyName + "." + BLOCK;
        if (option == null) {
            return ConfigResult.valid(Optional.empty());
        }
        if (!(option instanceof PolicyOption.Block block)) {
            return new ConfigResult.Invalid<>(List.of(new ConfigProblem(path, ((PolicyOption.Value) option).text(),
                    "a block { window = 60s, min-weight-percent = 10, aggression = 1.0 }")));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, PolicyOption> entries = block.entries();
        entries.keySet().stream().filter(key -> !KEYS.contains(key)).forEach(key -> problems.add(new ConfigProblem(
                path + "." + key, text(entries.get(key)), "one of the options of slow-start: " + String.join(", ", new TreeSet<>(KEYS)))));
        long window = -1;
        if (!entries.containsKey("window")) {
            problems.add(new ConfigProblem(path + ".window", "(missing)", "the ramp's length, 1ms to 1h (e.g. 60s)"));
        } else {
            window = windowNanos(text(entries.get("window")));
            if (window < 1_000_000 || window > MAX_WINDOW_NANOS) {
                problems.add(new ConfigProblem(path + ".window", text(entries.get("window")),
                        "a duration from 1ms to 1h, a whole number with ms, s or m (e.g. 60s)"));
            }
        }
        int minPercent = 10;
        if (entries.containsKey("min-weight-percent")) {
            minPercent = integer(text(entries.get("min-weight-percent")));
            if (minPercent < 1 || minPercent > 100) {
                problems.add(new ConfigProblem(path + ".min-weight-percent", text(entries.get("min-weight-percent")),
                        "a whole number from 1 to 100"));
            }
        }
        double aggression = 1.0;
        if (entries.containsKey("aggression")) {
            aggression = decimal(text(entries.get("aggression")));
            if (!(aggression >= 0.1 && aggression <= 10)) {
                problems.add(new ConfigProblem(path + ".aggression", text(entries.get("aggression")), "a number from 0.1 to 10"));
            }
        }
        if (!problems.isEmpty()) {
            return new ConfigResult.Invalid<>(problems);
        }
        return ConfigResult.valid(Optional.of(new SlowStart(window, minPercent, aggression, context)));
    }

    /** The ramp's length, in nanoseconds. */
    public long windowNanos() {
        return windowNanos;
    }

    /**
     * Whether the node takes this turn: always, unless it is ramping; a ramping node takes the fraction of its
     * turns described above, and a turn it does not take is the caller's to give to the next node. Notes nodes that
     * became active in {@code snapshot} first.
     *
     * @param snapshot  the snapshot being routed on (of the policy's topology)
     * @param nodeIndex the node whose turn it is
     */
    public boolean admit(ClusterSnapshot snapshot, int nodeIndex) {
        observe(snapshot);
        long since = activeSince.get(nodeIndex);
        if (since == NOT_RAMPING) {
            return true;
        }
        long elapsed = context.nanoTime() - since;
        if (elapsed >= windowNanos) {
            activeSince.compareAndSet(nodeIndex, since, NOT_RAMPING);
            return true;
        }
        long share = (long) (fraction(elapsed) * ONE_TURN);
        long now = credit.addAndGet(nodeIndex, share);
        if (now >= ONE_TURN) {
            credit.addAndGet(nodeIndex, -ONE_TURN);
            return true;
        }
        return false;
    }

    /**
     * The fraction of its turns a node takes at {@code elapsed} nanoseconds after it became active.
     *
     * @param elapsed nanoseconds since the node became active
     */
    public double fraction(long elapsed) {
        if (elapsed >= windowNanos) {
            return 1.0;
        }
        double ramp = elapsed <= 0 ? 0.0 : Math.pow((double) elapsed / windowNanos, exponent);
        return Math.max(minFraction, ramp);
    }

    /**
     * Whether the node is ramping now (became active less than a window ago).
     *
     * @param nodeIndex the node
     */
    public boolean ramping(int nodeIndex) {
        long since = activeSince.get(nodeIndex);
        return since != NOT_RAMPING && context.nanoTime() - since < windowNanos;
    }

    private void observe(ClusterSnapshot snapshot) {
        if (snapshot.version() <= seenVersion) {
            return;
        }
        synchronized (wasActive) {
            long version = snapshot.version();
            if (version <= seenVersion) {
                return;
            }
            boolean first = seenVersion < 0;
            long now = context.nanoTime();
            int size = Math.min(wasActive.length, snapshot.nodeCount());
            for (int i = 0; i < size; i++) {
                boolean active = snapshot.isActive(i);
                if (active && !wasActive[i] && !first) {
                    credit.set(i, 0);
                    activeSince.set(i, now);
                }
                wasActive[i] = active;
            }
            seenVersion = version;
        }
    }

    private static String text(PolicyOption option) {
        return option instanceof PolicyOption.Value value ? value.text() : "{ ... }";
    }

    private static long windowNanos(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        int unit = 0;
        while (unit < trimmed.length() && Character.isDigit(trimmed.charAt(unit))) {
            unit++;
        }
        if (unit == 0 || unit > 10) {
            return -1;
        }
        long amount = Long.parseLong(trimmed.substring(0, unit));
        switch (trimmed.substring(unit).trim()) {
            case "ms":
                return amount * 1_000_000L;
            case "s":
                return amount * 1_000_000_000L;
            case "m":
                return amount * 60_000_000_000L;
            default:
                return -1;
        }
    }

    private static int integer(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double decimal(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
