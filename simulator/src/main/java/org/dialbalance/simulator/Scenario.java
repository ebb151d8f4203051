package org.dialbalance.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dialbalance.api.NodeId;
import org.dialbalance.api.NodeSpec;
import org.dialbalance.core.BalancerConfig;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;

/**
 * A simulation scenario, read from HOCON: the cluster to embed, the workload, the fault script, and the
 * production configuration to run ({@code dialbalance { ... }}, exactly as in production, except {@code nodes}: the
 * simulator fills in the endpoints of the nodes it starts, of all of them, or of those that {@code nodes = [101, 102]}
 * lists by DBID, so that a {@code reload} line can add one later).
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
 * @param dialers     {@code scenario.dialers}: several balancers configured alike ({@code coordination = zookeeper})
 *                    over the one cluster, run by {@link DialersRunner}; empty for the usual one balancer
 */
public record Scenario(String name, String description, long seed, int requests, int rate, List<SimulatedNode> nodes,
                       Map<String, Integer> mix, double engagingShare, List<Fault> faults, FaultMode faultMode,
                       Config production, java.time.Duration talkTime, List<Dialer> dialers) {

    /**
     * One dialer of a scenario with several.
     *
     * @param id              its {@code dialer-id}
     * @param preferredGroups its {@code preferred-groups}
     */
    public record Dialer(String id, List<String> preferredGroups) {
        /** Copies the list. */
        public Dialer {
            Objects.requireNonNull(id, "id");
            preferredGroups = List.copyOf(preferredGroups);
        }
    }

    /** A scenario with one balancer. */
    public Scenario(String name, String description, long seed, int requests, int rate, List<SimulatedNode> nodes,
                    Map<String, Integer> mix, double engagingShare, List<Fault> faults, FaultMode faultMode,
                    Config production, java.time.Duration talkTime) {
        this(name, description, seed, requests, rate, nodes, mix, engagingShare, faults, faultMode, production, talkTime, List.of());
    }

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
        dialers = List.copyOf(dialers);
    }

    /** The scenario that {@code ./dialbalance simulate} runs without arguments. */
    public static Scenario defaultScenario() {
        return parse(ConfigFactory.parseResources(Scenario.class, "/scenarios/default.conf").resolve(), "default.conf");
    }

    /** Reads a scenario file. */
    public static Scenario load(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        Config root;
        try {
            root = org.dialbalance.core.ConfigFiles.parse(file);    // regular file, at most 1 MiB, nested at most 64 levels
        } catch (org.dialbalance.core.ConfigException e) {
            throw new IllegalArgumentException("scenario " + e.problems().get(0).message(), e);
        }
        try {
            return parse(root, file.toString(), directory);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("scenario file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a parsed scenario whose {@code reload} files are relative to the working directory.
     *
     * @throws IllegalArgumentException naming every missing or bad scenario setting
     */
    public static Scenario parse(Config root, String source) {
        return parse(root, source, Path.of("").toAbsolutePath());
    }

    /**
     * Reads a parsed scenario; the files of its {@code reload} lines are resolved against {@code directory} and each is
     * checked before the run: it must be readable, hold a valid {@code dialbalance} block for the scenario's nodes, and
     * keep {@code sip-cluster-lb-mode} (the verdict judges one balancing mode per run).
     *
     * @throws IllegalArgumentException naming every missing or bad scenario setting
     */
    public static Scenario parse(Config root, String source, Path directory) {
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
        for (int i = 0; i < faults.size(); i++) {
            Fault fault = faults.get(i);
            if (fault.action() == Fault.Action.RELOAD) {
                Fault resolved = fault.withFile(directory.resolve(fault.file()));
                faults.set(i, resolved);
                problems.addAll(reloadProblems(resolved, root, nodes));
            } else if (fault.action() == Fault.Action.KILL_DIALER) {
                continue;    // checked with scenario.dialers below
            } else if (nodes.stream().noneMatch(node -> node.id().equals(fault.node()))) {
                problems.add("scenario.faults: '" + fault.text() + "' names node " + fault.node()
                        + ", which scenario.topology.nodes does not have");
            } else if (fault.action() == Fault.Action.DRAIN && root.hasPath("dialbalance.sip-cluster-prime-node")
                    && String.valueOf(fault.node().dbid()).equals(root.getValue("dialbalance.sip-cluster-prime-node").unwrapped().toString())) {
                problems.add("scenario.faults: '" + fault.text() + "' drains the prime node, which carries the DN-level events:"
                        + " a balancer refuses that (change the prime first)");
            }
        }
        List<Dialer> dialers = dialers(scenario, root, faults, problems);
        FaultMode faultMode = FaultMode.IN_STREAM;
        if (scenario.hasPath("fault-mode")) {
            try {
                faultMode = FaultMode.parse(scenario.getString("fault-mode"));
            } catch (IllegalArgumentException | ConfigException e) {
                problems.add("scenario.fault-mode: " + e.getMessage());
            }
        }
        if (!dialers.isEmpty() && faultMode != FaultMode.IN_STREAM) {
            problems.add("scenario.fault-mode: a scenario with several dialers plays its faults in the request stream;"
                    + " expected in-stream, got " + faultMode.optionName());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
        }
        return new Scenario(name, description, seed, requests, rate, nodes, mix, engagingShare, faults, faultMode,
                root.withOnlyPath("dialbalance"), talkTime, dialers);
    }

    /**
     * {@code scenario.dialers}: absent for one balancer; else 2 to 5 dialers, each {@code { id, preferred-groups }}, with
     * {@code dialbalance.coordination = zookeeper}; a {@code kill-dialer} line names one of them (by number) or a
     * configured campaign group ({@code owner-of}), and only {@code kill-dialer} lines are played with several dialers.
     */
    private static List<Dialer> dialers(Config scenario, Config root, List<Fault> faults, List<String> problems) {
        List<Dialer> dialers = new ArrayList<>();
        if (scenario.hasPath("dialers")) {
            try {
                for (Config dialer : scenario.getConfigList("dialers")) {
                    dialers.add(new Dialer(dialer.getString("id"), dialer.hasPath("preferred-groups")
                            ? dialer.getStringList("preferred-groups") : List.of()));
                }
            } catch (ConfigException e) {
                problems.add("scenario.dialers: expected a list such as [ { id = dialer-a, preferred-groups = [Sales] }, { id = dialer-b } ]: "
                        + e.getMessage());
                return List.of();
            }
            if (dialers.size() < 2 || dialers.size() > 5) {
                problems.add("scenario.dialers: expected 2 to 5 dialers (leave it out for one), got " + dialers.size());
            }
            if (dialers.stream().map(Dialer::id).distinct().count() < dialers.size()) {
                problems.add("scenario.dialers: expected each dialer's id its own, got " + dialers.stream().map(Dialer::id).toList());
            }
            Object coordination = root.hasPath("dialbalance.coordination") ? root.getValue("dialbalance.coordination").unwrapped() : null;
            if (!"zookeeper".equals(coordination)) {
                problems.add("scenario.dialers: several dialers need dialbalance.coordination = zookeeper, got "
                        + (coordination == null ? "none" : coordination));
            }
        }
        List<String> groups = new ArrayList<>();
        if (root.hasPath("dialbalance.campaign-groups")) {
            try {
                root.getConfigList("dialbalance.campaign-groups").forEach(group -> groups.add(group.getString("name")));
            } catch (ConfigException e) {
                // the balancer's own check names what is wrong with campaign-groups
            }
        }
        for (Fault fault : faults) {
            if (dialers.isEmpty() && fault.action() == Fault.Action.KILL_DIALER) {
                problems.add("scenario.faults: '" + fault.text() + "' kills a dialer, but the scenario has one balancer"
                        + " (add scenario.dialers)");
            } else if (!dialers.isEmpty() && fault.action() != Fault.Action.KILL_DIALER) {
                problems.add("scenario.faults: '" + fault.text() + "': a scenario with several dialers plays only kill-dialer lines");
            } else if (fault.action() == Fault.Action.KILL_DIALER && fault.dialer().startsWith("owner-of")) {
                String group = fault.dialer().substring("owner-of ".length());
                if (!groups.contains(group)) {
                    problems.add("scenario.faults: '" + fault.text() + "' names campaign group '" + group
                            + "', which dialbalance.campaign-groups does not define");
                }
            } else if (fault.action() == Fault.Action.KILL_DIALER) {
                int number = Integer.parseInt(fault.dialer());
                if (number < 1 || number > dialers.size()) {
                    problems.add("scenario.faults: '" + fault.text() + "' names dialer " + number + "; expected 1 to "
                            + dialers.size() + " (the dialers' order in scenario.dialers)");
                }
            }
        }
        return dialers;
    }

    /**
     * What is wrong with a reload line's file, each problem naming the line: unreadable, no {@code dialbalance} block, a
     * changed {@code sip-cluster-lb-mode}, or options a balancer would refuse (checked on the scenario's nodes).
     */
    private static List<String> reloadProblems(Fault fault, Config root, List<SimulatedNode> nodes) {
        String where = "scenario.faults: '" + fault.text() + "' (" + fault.file() + "): ";
        Config reload;
        try {
            reload = reloadConfig(fault.file());
        } catch (IllegalArgumentException e) {
            return List.of(where + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        String lbMode = "dialbalance.sip-cluster-lb-mode";
        Object before = root.hasPath(lbMode) ? root.getValue(lbMode).unwrapped() : null;
        Object after = reload.hasPath(lbMode) ? reload.getValue(lbMode).unwrapped() : null;
        if (!Objects.equals(before, after)) {
            problems.add(where + "changes sip-cluster-lb-mode from " + before + " to " + after
                    + "; expected the scenario's (the verdict judges one balancing mode per run)");
        }
        List<NodeSpec> placeholders = new ArrayList<>();
        int port = 1;    // placeholder endpoints, one port each: the cluster's are known only when it runs
        for (SimulatedNode node : nodes) {
            org.dialbalance.api.Endpoint primary = new org.dialbalance.api.Endpoint("127.0.0.1", port++,
                    org.dialbalance.api.PortKind.TC_PORT);
            placeholders.add(node.backup()
                    ? NodeSpec.of(node.id(), "n" + node.id(), primary, new org.dialbalance.api.Endpoint("127.0.0.1", port++,
                            org.dialbalance.api.PortKind.TC_PORT))
                    : NodeSpec.of(node.id(), "n" + node.id(), primary));
        }
        try {
            BalancerConfig.fromConfig(SimulationRunner.withNodes(reload, placeholders));
        } catch (org.dialbalance.core.ConfigException e) {
            e.problems().forEach(problem -> problems.add(where + problem.message()));
        } catch (IllegalArgumentException | ConfigException e) {
            problems.add(where + e.getMessage());
        }
        return problems;
    }

    /**
     * The {@code dialbalance} block of a reload line's file.
     *
     * @throws IllegalArgumentException if it cannot be read or has no such block
     */
    static Config reloadConfig(Path file) {
        Config reload;
        try {
            reload = org.dialbalance.core.ConfigFiles.parse(file);
        } catch (org.dialbalance.core.ConfigException e) {
            throw new IllegalArgumentException(e.problems().get(0).message(), e);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!reload.hasPath("dialbalance")) {
            throw new IllegalArgumentException("expected a top-level 'dialbalance { ... }' block with the new production options");
        }
        return reload.withOnlyPath("dialbalance");
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
        return new Scenario(name, description, seed, count, rate, nodes, mix, engagingShare, faults, faultMode, production, talkTime, dialers);
    }

    /** A copy with another rate. */
    public Scenario withRate(int perSecond) {
        return new Scenario(name, description, seed, requests, perSecond, nodes, mix, engagingShare, faults, faultMode, production, talkTime, dialers);
    }

    /** A copy with {@code sip-cluster-lb-mode} replaced. */
    public Scenario withLbMode(String lbMode) {
        Config changed = production.withValue("dialbalance.sip-cluster-lb-mode",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(lbMode));
        return new Scenario(name, description, seed, requests, rate, nodes, mix, engagingShare, faults, faultMode, changed, talkTime, dialers);
    }

    /** A copy without a fault script. */
    public Scenario withoutFaults() {
        return withFaults(List.of());
    }

    /** A copy with another fault script. */
    public Scenario withFaults(List<Fault> script) {
        return new Scenario(name, description, seed, requests, rate, nodes, mix, engagingShare, script, faultMode, production, talkTime, dialers);
    }

    /** A copy with another fault mode. */
    public Scenario withFaultMode(FaultMode mode) {
        return new Scenario(name, description, seed, requests, rate, nodes, mix, engagingShare, faults, mode, production, talkTime, dialers);
    }

    /** A copy with another seed. */
    public Scenario withSeed(long value) {
        return new Scenario(name, description, value, requests, rate, nodes, mix, engagingShare, faults, faultMode, production, talkTime, dialers);
    }
}
