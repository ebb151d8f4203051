/**
 * The node registry extension point: where the current cluster snapshot lives.
 */
package org.dialbalance.api.registry;
