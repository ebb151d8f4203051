package org.dialbalance.api.coordination;

import java.util.List;

import org.dialbalance.api.ClusterHealth;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.Experimental;

/**
 * What a {@link Coordinator} may ask of the balancer it runs in, given to
 * {@link Coordinator#start(OwnershipListener, CoordinationHost)}: the balancer's links, to publish this dialer's view of
 * them to the other dialers, and a way to apply a cluster configuration shared by the dialers.
 *
 * <p>Every method is thread-safe and may be called from the coordinator's own threads, but never while the coordinator
 * holds a lock that its {@link Coordinator#status()} or {@link Coordinator#campaignGroupsChanged} takes: the balancer
 * calls those from inside {@link #health()} and {@link #applySharedConfiguration}.
 */
@Experimental(reason = "new in 0.4: the shared cluster configuration and link views; methods may be added")
public interface CoordinationHost {

    /** The options a shared cluster configuration may hold; every other option is each dialer's own. */
    List<String> SHARED_OPTIONS = List.of("nodes", "sip-cluster-prime-node", "sip-cluster-lb-mode", "asm-policy",
            "policy-options", "agent-groups", "campaign-groups");

    /** The balancer's health now: every node's links, as {@code DialBalancer.health()} returns it. Never blocks on I/O. */
    ClusterHealth health();

    /** Adds a listener for the balancer's cluster events (link changes among them); see {@link ClusterListener}. */
    void addListener(ClusterListener listener);

    /** Removes a listener added with {@link #addListener}. */
    void removeListener(ClusterListener listener);

    /** The version of the configuration the balancer runs with: 1 as built, one more per applied reconfiguration. */
    long configurationVersion();

    /**
     * Reconfigures the balancer with a cluster configuration shared by the dialers: HOCON text with a
     * {@code dialbalance { ... }} block that holds the cluster options only ({@link #SHARED_OPTIONS}); the balancer's
     * other options (timeouts, transport, coordination, monitored DNs, ...) stay as they are. The result is the whole
     * configuration checked as a file is, then applied through the balancer's reconfiguration, all or nothing.
     *
     * @param hocon the shared configuration's text
     * @return applied (perhaps with no change), refused with every problem (the running configuration stays), or too
     *         soon after the last applied reconfiguration (at most one per second): try again after the time it names
     */
    SharedConfigurationResult applySharedConfiguration(String hocon);
}
