/**
 * The transport extension point: a {@link org.dialbalance.api.transport.Transport} opens
 * {@link org.dialbalance.api.transport.Link}s, one per server application, and carries dial requests
 * and DN registrations over them.
 */
package org.dialbalance.api.transport;
