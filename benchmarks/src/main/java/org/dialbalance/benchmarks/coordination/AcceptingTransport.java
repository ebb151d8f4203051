package org.dialbalance.benchmarks.coordination;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import org.dialbalance.api.DialRequest;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.RegisterResult;
import org.dialbalance.api.transport.SendResult;
import org.dialbalance.api.transport.Transport;

/**
 * A transport that costs nothing, so that a benchmark over it measures the balancer alone: every link opens at once,
 * and every request is answered at once, on the calling thread, with EventDialing — the same already completed
 * {@link SendResult.Accepted} for every request of a link (one ReferenceID per link: nothing reads it here). Records
 * nothing and never closes a link by itself. Not a test double for behaviour: {@code test-harness}'s
 * {@code InMemoryTransport} is, and it records every request, which a benchmark of millions of requests cannot keep.
 */
final class AcceptingTransport implements Transport {

    @Override
    public CompletionStage<Link> connect(LinkTarget target, LinkListener listener) {
        return CompletableFuture.completedFuture(new AcceptingLink(target, listener));
    }

    @Override
    public void close() {
    }

    private static final class AcceptingLink implements Link {
        private final LinkTarget target;
        private final LinkListener listener;
        private final CompletableFuture<SendResult> accepted;
        private final AtomicBoolean open = new AtomicBoolean(true);

        AcceptingLink(LinkTarget target, LinkListener listener) {
            this.target = target;
            this.listener = listener;
            this.accepted = CompletableFuture.completedFuture(new SendResult.Accepted(1, "conn-" + target.node().dbid()));
        }

        @Override
        public LinkTarget target() {
            return target;
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public CompletionStage<SendResult> send(DialRequest request) {
            return open.get() ? accepted : CompletableFuture.completedFuture(new SendResult.NotWritten("link closed"));
        }

        @Override
        public CompletionStage<RegisterResult> registerAddress(String dn) {
            boolean registered = open.get();
            return CompletableFuture.completedFuture(new RegisterResult(dn, registered, registered ? "" : "link closed"));
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                listener.onClosed("closed by the client");
            }
        }
    }
}
