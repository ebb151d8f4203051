package org.dialbalance.core;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.TelephonyEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the host application's listeners, never under the cluster lock.
 *
 * <p>Events are queued with {@link #enqueue} while the cluster lock is held, so the queue order is the order
 * of the changes (snapshot-version order for cluster events). {@link #deliver()} is called after the lock is
 * released: the calling thread delivers everything queued unless another thread is delivering already, in
 * which case that thread delivers the new events too. So listeners are called one event at a time, in queue
 * order, and a listener that blocks delays only later deliveries (and the thread it runs on), never a state
 * change: other threads queue their events and return. A listener that throws is logged and skipped; the
 * other listeners and later events are still delivered.
 */
final class ListenerBus {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);

    private final List<ClusterListener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();

    void add(ClusterListener listener) {
        listeners.add(listener);
    }

    void remove(ClusterListener listener) {
        listeners.remove(listener);
    }

    /** Queues a cluster event; call under the cluster lock, then {@link #deliver()} after releasing it. */
    void enqueue(ClusterEvent event) {
        LOG.debug("Cluster event {}", event);
        queue.add(event);
    }

    /** Queues a telephony event; call under the cluster lock, then {@link #deliver()} after releasing it. */
    void enqueue(TelephonyEvent event) {
        queue.add(event);
    }

    /**
     * Delivers the queued events on this thread, unless another thread is delivering (it then delivers them).
     * Must not be called while holding the cluster lock. Reentrant calls from a listener return at once; the
     * outer delivery goes on with the next event after the listener returns.
     */
    void deliver() {
        while (!queue.isEmpty() && delivering.compareAndSet(false, true)) {
            try {
                LibraryThreads.enter();
                try {
                    Object event;
                    while ((event = queue.poll()) != null) {
                        dispatch(event);
                    }
                } finally {
                    LibraryThreads.exit();
                }
            } finally {
                delivering.set(false);
            }
            // an event queued after the last poll, by a thread that saw delivering == true, is taken by the loop
        }
    }

    private void dispatch(Object event) {
        for (ClusterListener listener : listeners) {
            try {
                if (event instanceof ClusterEvent clusterEvent) {
                    listener.onClusterEvent(clusterEvent);
                } else {
                    listener.onTelephonyEvent((TelephonyEvent) event);
                }
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.error("Listener {} failed on {}; other listeners, later events and dialing go on", listener, event, e);
            }
        }
    }
}
