/**
 * The coordination extension point, for several dialers that share one SIP cluster: which campaign groups this
 * dialer owns, with a fencing token per owned group. A {@link org.dialbalance.api.coordination.CoordinatorProvider}
 * selected by the {@code coordination} option creates a {@link org.dialbalance.api.coordination.Coordinator}; without
 * one, a balancer owns every campaign group and sends no token.
 */
package org.dialbalance.api.coordination;
