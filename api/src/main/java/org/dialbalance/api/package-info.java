/**
 * The value types of dialbalance: nodes, snapshots of the cluster, campaign groups, dial requests,
 * routes and outcomes, and the events a host application listens to.
 *
 * <p>This package and its sub-packages depend on the JDK only. Extension points live in
 * {@link org.dialbalance.api.policy}, {@link org.dialbalance.api.transport} and
 * {@link org.dialbalance.api.registry}; each is found with {@link java.util.ServiceLoader}.
 */
package org.dialbalance.api;
