package org.dialbalance.benchmarks.failover;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.coordination.GroupOwnership;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.RegisterResult;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.api.transport.Transport;

/**
 * Wraps a real transport to time link loss as the core sees it: for each node (by position in
 * configured order) the {@code System.nanoTime()} at which its link's {@code onClosed} began and at which
 * the core returned from it (its new snapshot is published by then), cleared when a new link to the node
 * opens. Also counts sends issued on a link after it closed.
 */
final class ObservedTransport implements Transport {

    private final Transport delegate;
    private final int firstDbid;
    private final AtomicLongArray closedAt;
    private final AtomicLongArray handledAt;
    private final LongAdder sendsAfterClose = new LongAdder();

    ObservedTransport(Transport delegate, int firstDbid, int nodes) {
        this.delegate = delegate;
        this.firstDbid = firstDbid;
        this.closedAt = new AtomicLongArray(nodes);
        this.handledAt = new AtomicLongArray(nodes);
    }

    /** When the node's last link began closing, or 0 while it has an open link. */
    long closedAt(int dbid) {
        return closedAt.get(dbid - firstDbid);
    }

    /** When the core finished handling that close, or 0. */
    long handledAt(int dbid) {
        return handledAt.get(dbid - firstDbid);
    }

    /** Sends issued on links that had already closed. */
    long sendsAfterClose() {
        return sendsAfterClose.sum();
    }

    @Override
    public CompletionStage<Link> connect(LinkTarget target, LinkListener listener) {
        int node = target.node().dbid() - firstDbid;
        ObservedLink[] opened = new ObservedLink[1];
        LinkListener observing = new LinkListener() {
            @Override
            public void onEvent(TelephonyEvent event) {
                listener.onEvent(event);
            }

            @Override
            public void onClosed(String reason) {
                if (opened[0] != null) {
                    opened[0].closed = true;
                }
                closedAt.set(node, System.nanoTime());
                listener.onClosed(reason);
                handledAt.set(node, System.nanoTime());
            }
        };
        return delegate.connect(target, observing).thenApply(link -> {
            ObservedLink observed = new ObservedLink(link);
            opened[0] = observed;
            closedAt.set(node, 0);
            handledAt.set(node, 0);
            return observed;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }

    private final class ObservedLink implements Link {
        private final Link link;
        volatile boolean closed;

        ObservedLink(Link link) {
            this.link = link;
        }

        @Override
        public LinkTarget target() {
            return link.target();
        }

        @Override
        public boolean isOpen() {
            return link.isOpen();
        }

        @Override
        public CompletionStage<SendResult> send(DialRequest request) {
            return send(request, GroupOwnership.UNFENCED);
        }

        /** Counts as {@link #send(DialRequest)} does and hands the token on, so the wrapped link sends it as it would. */
        @Override
        public CompletionStage<SendResult> send(DialRequest request, long fencingToken) {
            if (closed) {
                sendsAfterClose.increment();
            }
            return link.send(request, fencingToken);
        }

        @Override
        public CompletionStage<RegisterResult> registerAddress(String dn) {
            return link.registerAddress(dn);
        }

        @Override
        public void close() {
            link.close();
        }
    }
}
