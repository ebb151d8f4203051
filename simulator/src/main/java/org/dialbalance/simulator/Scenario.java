package org.dialbalance.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dialbalance.api.NodeId;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;

/**
 * A simulation scenario, read from HOCON: the cluster to embed, the workload, the fault script, and the
 * production configuration to run ({@code dialbalance { ... }}, exactly as in production, without
 * {@code nodes}: the simulator fills in the endpoints of the nodes it starts).
 *
 * @param name        a name for the report
 * @param description one sentence for people
 * @param seed        seeds the workload mix and the simulated servers' call outcomes
 * @param requests    how many dial requests to issue
 * @param rate        how many per second, steady
 * @param nodes       the nodes to start, in configured order
 * @param mix         campaign group name → weight in the workload
 * @param engagingShare of the requests of seizing groups, the share that are engaging calls (TMakeCall)
 * @param faults      the fault script, in firing order
 * @param faultMode   how the script is played: placed in the request stream (reproducible, the default) or at
 *                    wall-clock times
 * @param production  the {@code dialbalance} block, as parsed
 * @param talkTime    how long an answered outbound call lasts before its server releases it
 *                    ({@code workload.talk-time}); zero: answered calls are never released
 */
public record Scenario(String name, String description, long seed, int requests, int rate, List<SimulatedNode> nodes,
                       Map<String, Integer> mix, double engagingShare, List<Fault> faults, FaultMode faultMode,
                       Config production, java.time.Duration talkTime) {

    /**
     * A node to simulate.
     *
     * @param id       DBID of its primary
     * @param backup   whether it has a backup application
     * @param weight   its {@code weight} in the balancer's configuration, or 0 when not given
     * @param maxCalls its {@code max-calls} in the balancer's configuration, or 0 when not given
     */
    public record SimulatedNode(NodeId id, boolean backup, int weight, int maxCalls) {
        /** A node without weight or max-calls. */
        public SimulatedNode(NodeId id, boolean backup) {
            this(id, backup, 0, 0);
        }
    }

    /** A scenario whose answered calls are never released (no talk time). */
    public Scenario(String name, String description, long seed, int requests, int rate, List<SimulatedNode> nodes,
                    Map<String, Integer> mix, double engagingShare, List<Fault> faults, FaultMode faultMode, Config production) {
        this(name, description, seed, requests, rate, nodes, mix, engagingShare, faults, faultMode, production,
                java.time.Duration.ZERO);
    }

    /** Requires every field; sorts the faults by when they fire. */
    public Scenario {
        Objects.requireNonNull(name, "name");
        nodes = List.copyOf(nodes);
        mix = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mix));
        List<Fault> sorted = new ArrayList<>(faults);
        sorted.sort(Comparator.comparingDouble(Fault::atPercent));
        faults = List.copyOf(sorted);
        Objects.requireNonNull(faultMode, "faultMode");
        Objects.requireNonNull(production, "production");
        Objects.requireNonNull(talkTime, "talkTime");
    }

    /** The scenario that {@code ./dialbalance simulate} runs without arguments. */
    public static Scenario defaultScenario() {
        return parse(ConfigFactory.parseResources(Scenario.class, "/scenarios/default.conf").resolve(), "default.conf");
    }

    /** Reads a scenario file. */
    public static Scenario load(Path file) {
        Config root;
        try {
            root = org.dialbalance.core.ConfigFiles.parse(file);    // regular file, at most 1 MiB, nested at most 64 levels
        } catch (org.dialbalance.core.ConfigException e) {
            throw new IllegalArgumentException("scenario " + e.problems().get(0).message(), e);
        }
        try {
            return parse(root, file.toString());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("scenario file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a parsed scenario.
     *
     * @throws IllegalArgumentException naming every missing or bad scenario setting
     */
    public static Scenario parse(Config root, String source) {
        List<String> problems = new ArrayList<>();
        if (!root.hasPath("scenario")) {
            throw new IllegalArgumentException(source + ": expected a top-level 'scenario { ... }' block");
        }
        if (!root.hasPath("dialbalance")) {
            throw new IllegalArgumentException(source + ": expected a top-level 'dialbalance { ... }' block with the production options");
        }
        Config scenario = root.getConfig("scenario");
        String name = scenario.hasPath("name") ? scenario.getString("name") : source;
        String description = scenario.hasPath("description") ? scenario.getString("description") : "";
        long seed = get(problems, () -> scenario.hasPath("seed") ? scenario.getLong("seed") : 42L, "scenario.seed", 42L);
        int requests = get(problems, () -> scenario.getInt("requests"), "scenario.requests", 0);
        int rate = get(problems, () -> scenario.getInt("rate"), "scenario.rate", 0);
        if (requests <= 0) {
            problems.add("scenario.requests: expected a positive number of requests");
        }
        if (rate <= 0) {
            problems.add("scenario.rate: expected a positive number of requests per second");
        }
        List<SimulatedNode> nodes = new ArrayList<>();
        if (!scenario.hasPath("topology.nodes")) {
            problems.add("scenario.topology.nodes: expected a list such as [ { dbid = 101, backup = true } ]");
        } else {
            for (Config node : scenario.getConfigList("topology.nodes")) {
                try {
                    nodes.add(new SimulatedNode(NodeId.of(node.getInt("dbid")), !node.hasPath("backup") || node.getBoolean("backup"),
                            node.hasPath("weight") ? node.getInt("weight") : 0, node.hasPath("max-calls") ? node.getInt("max-calls") : 0));
                } catch (ConfigException | IllegalArgumentException e) {
                    problems.add("scenario.topology.nodes: " + e.getMessage());
                }
            }
        }
        Map<String, Integer> mix = new LinkedHashMap<>();
        if (scenario.hasPath("workload.mix")) {
            ConfigObject object = scenario.getObject("workload.mix");
            for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
                Object weight = entry.getValue().unwrapped();
                if (weight instanceof Number number && number.intValue() > 0) {
                    mix.put(entry.getKey(), number.intValue());
                } else {
                    problems.add("scenario.workload.mix." + entry.getKey() + ": expected a positive weight, got " + weight);
                }
            }
        }
        double engagingShare = get(problems, () -> scenario.hasPath("workload.engaging-share")
                ? scenario.getDouble("workload.engaging-share") : 0.25, "scenario.workload.engaging-share", 0.25);
        java.time.Duration talkTime = get(problems, () -> scenario.hasPath("workload.talk-time")
                ? scenario.getDuration("workload.talk-time") : java.time.Duration.ZERO, "scenario.workload.talk-time",
                java.time.Duration.ZERO);
        if (talkTime.isNegative() || talkTime.compareTo(java.time.Duration.ofHours(1)) > 0) {
            problems.add("scenario.workload.talk-time: expected a duration from 0 to 1 h, got " + talkTime);
        }
        List<Fault> faults = new ArrayList<>();
        if (scenario.hasPath("faults")) {
            for (String line : scenario.getStringList("faults")) {
                try {
                    faults.add(Fault.parse(line));
                } catch (IllegalArgumentException e) {
                    problems.add("scenario.faults: " + e.getMessage());
                }
            }
        }
        for (Fault fault : faults) {
            if (nodes.stream().noneMatch(node -> node.id().equals(fault.node()))) {
                problems.add("scenario.faults: '" + fault.text() + "' names node " + fault.node()
                        + ", which scenario.topology.nodes does not have");
            } else if (fault.action() == Fault.Action.DRAIN && root.hasPath("dialbalance.sip-cluster-prime-node")
                    && String.valueOf(fault.node().dbid()).equals(root.getValue("dialbalance.sip-cluster-prime-node").unwrapped().toString())) {
                problems.add("scenario.faults: '" + fault.text() + "' drains the prime node, which carries the DN-level events:"
                        + " a balancer refuses that (change the prime first)");
            }
        }
        FaultMode faultMode = FaultMode.IN_STREAM;
        if (scenario.hasPath("fault-mode")) {
            try {
                faultMode = FaultMode.parse(scenario.getString("fault-mode"));
            } catch (IllegalArgumentException | ConfigException e) {
                problems.add("scenario.fault-mode: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
        }
        return new Scenario(name, description, seed, requests, rate, nodes, mix, engagingShare, faults, faultMode,
                root.withOnlyPath("dialbalance"), talkTime);
    }

    private interface Read<T> {
        T get();
    }

    private static <T> T get(List<String> problems, Read<T> read, String path, T fallback) {
        try {
            return read.get();
        } catch (ConfigException e) {
            problems.add(path + ": " + e.getMessage());
            return fallback;
        }
    }

    /** A copy with another request count (for quick runs). */
    public Scenario withRequests(int count) {
        return new Scenario(name, description, seed, count, rate, nodes, mix, engagingShare, faults, faultMode, production, talkTime);
    }

    /** A copy with another rate. */
    public Scenario withRate(int perSecond) {
        return new Scenario(name, description, seed, requests, perSecond, nodes, mix, engagingShare, faults, faultMode, production, talkTime);
    }

    /** A copy with {@code sip-cluster-lb-mode} replaced. */
    public Scenario withLbMode(String lbMode) {
        Config changed = production.withValue("dialbalance.sip-cluster-lb-mode",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(lbMode));
        return new Scenario(name, description, seed, requests, rate, nodes, mix, engagingShare, faults, faultMode, changed, talkTime);
    }

    /** A copy without a fault script. */
    public Scenario withoutFaults() {
        return withFaults(List.of());
    }

    /** A copy with another fault script. */
    public Scenario withFaults(List<Fault> script) {
        return new Scenario(name, description, seed, requests, rate, nodes, mix, engagingShare, script, faultMode, production, talkTime);
    }

    /** A copy with another fault mode. */
    public Scenario withFaultMode(FaultMode mode) {
        return new Scenario(name, description, seed, requests, rate, nodes, mix, engagingShare, faults, mode, production, talkTime);
    }

    /** A copy with another seed. */
    public Scenario withSeed(long value) {
        return new Scenario(name, description, value, requests, rate, nodes, mix, engagingShare, faults, faultMode, production, talkTime);
    }
}
