package org.dialbalance.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.coordination.CoordinationHost;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;

/**
 * A cluster configuration shared by several dialers ({@link CoordinationHost#applySharedConfiguration}), merged with
 * this dialer's own options into the whole configuration it would run.
 *
 * <p>The shared text holds the cluster options only ({@link CoordinationHost#SHARED_OPTIONS}: the nodes, the prime,
 * {@code sip-cluster-lb-mode}, {@code asm-policy}, {@code policy-options}, agent groups and campaign groups); a
 * cluster option it leaves out takes its default, not this dialer's value, so that the text alone says what every
 * dialer runs. Every other option is the dialer's own and is taken from its running configuration; the shared text
 * naming one is a problem, since it would be silently different from what runs. The text is then checked as a file is.
 */
final class SharedConfiguration {

    private SharedConfiguration() {
    }

    /**
     * The configuration this dialer would run with the shared text: the text's cluster options and the running
     * configuration's own options.
     *
     * @param hocon   the shared configuration's text
     * @param running the configuration this dialer runs now
     * @return the merged configuration, or every problem of the text
     */
    static ConfigResult<BalancerConfig> merge(String hocon, BalancerConfig running) {
        Config root;
        try {
            root = HoconConfigReader.parseText(hocon);
        } catch (ConfigException e) {
            return new ConfigResult.Invalid<>(e.problems());
        }
        List<ConfigProblem> problems = new ArrayList<>();
        if (root.hasPath(HoconConfigReader.ROOT) && root.getValue(HoconConfigReader.ROOT).valueType() == ConfigValueType.OBJECT) {
            ConfigObject block = root.getObject(HoconConfigReader.ROOT);
            for (String key : new TreeSet<>(block.keySet())) {
                if (HoconConfigReader.TOP_LEVEL_OPTIONS.contains(key) && !CoordinationHost.SHARED_OPTIONS.contains(key)) {
                    problems.add(new ConfigProblem(key, HoconConfigReader.shown(block.get(key)), "only cluster options in a"
                            + " shared configuration (" + String.join(", ", CoordinationHost.SHARED_OPTIONS) + "); " + key
                            + " is each dialer's own: set it in the dialer's configuration file"));
                }
            }
        }
        HoconConfigReader.Result read = HoconConfigReader.from(root);
        problems.addAll(read.problems());
        if (!problems.isEmpty()) {
            return new ConfigResult.Invalid<>(problems);
        }
        BalancerConfig.Builder builder = read.builder().reconnectTimeout(running.reconnectTimeout())
                .addpTimeout(running.addpTimeout()).addpRemoteTimeout(running.addpRemoteTimeout()).addpTrace(running.addpTrace())
                .requestTimeout(running.requestTimeout()).connectTimeout(running.connectTimeout())
                .maxPendingRequests(running.maxPendingRequests()).maxCallsInProgress(running.maxCallsInProgress())
                .applicationName(running.applicationName()).transport(running.transport()).nodeRegistry(running.nodeRegistry());
        running.monitoredDns().forEach(builder::monitorDn);
        running.allTransportOptions().forEach((transport, options) -> options.forEach((key, value) ->
                builder.transportOption(transport, key, value)));
        running.coordination().ifPresent(builder::coordination);
        running.allCoordinationOptions().forEach((coordinator, options) -> options.forEach((key, value) ->
                builder.coordinationOption(coordinator, key, value)));
        try {
            return ConfigResult.valid(builder.build());
        } catch (ConfigException e) {
            return new ConfigResult.Invalid<>(e.problems());
        }
    }
}
