package org.dialbalance.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.TelephonyEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to the host application's listeners; one failing listener affects no other. */
final class ListenerBus {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);

    private final List<ClusterListener> listeners = new CopyOnWriteArrayList<>();

    void add(ClusterListener listener) {
        listeners.add(listener);
    }

    void remove(ClusterListener listener) {
        listeners.remove(listener);
    }

    void publish(ClusterEvent event) {
        LOG.debug("Cluster event {}", event);
        for (ClusterListener listener : listeners) {
            try {
                listener.onClusterEvent(event);
            } catch (RuntimeException e) {
                LOG.error("Listener {} failed on {}; other listeners and dialing go on", listener, event, e);
            }
        }
    }

    void publish(TelephonyEvent event) {
        for (ClusterListener listener : listeners) {
            try {
                listener.onTelephonyEvent(event);
            } catch (RuntimeException e) {
                LOG.error("Listener {} failed on {}; other listeners and dialing go on", listener, event, e);
            }
        }
    }
}
