package org.dialbalance.policy.brokenfixture;

import org.dialbalance.api.ClusterSnapshot;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.Route;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.core.BalancerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy that breaks the architecture rules on purpose, so a test can show the rules catch it: it
 * reaches into core, takes a field injection, prints to standard out and has a public mutable logger.
 * It is test code and never runs.
 */
public final class PolicyThatBreaksTheRules implements BalancingPolicy {

    /** Not private static final. */
    public Logger logger = LoggerFactory.getLogger(PolicyThatBreaksTheRules.class);

    @jakarta.inject.Inject
    BalancerConfig config;

    @Override
    public Route route(DialRequest request, ClusterSnapshot snapshot) {
        System.out.println("routing " + request + " with " + config);
        return snapshot.topology().routeTo(0);
    }
}
