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
 * {@link SendResult.Accepted} for every request of a link (one ReferenceID per link: nothing reads it here). A request
 * with a fencing token is answered alike: by default without the copy {@code Link}'s default {@code send(request, token)}
 * would build (as the tserver transport, which writes the token while encoding the request); built
 * {@linkplain #AcceptingTransport(boolean) to copy}, through that default, to measure what a transport that does not
 * override it costs. Records
 * nothing and never closes a link by itself. Not a test double for behaviour: {@code test-harness}'s
 * {@code InMemoryTransport} is, and it records every request, which a benchmark of millions of requests cannot keep.
 */
final class AcceptingTransport implements Transport {

    private final boolean copiesFencedRequests;

    /** Links that send a request with a fencing token without copying it. */
    AcceptingTransport() {
        this(false);
    }

    /** @param copiesFencedRequests whether a request with a fencing token goes through {@code Link}'s default (its copy) */
    AcceptingTransport(boolean copiesFencedRequests) {
        this.copiesFencedRequests = copiesFencedRequests;
    }

    @Override
    public CompletionStage<Link> connect(LinkTarget target, LinkListener listener) {
        return CompletableFuture.completedFuture(new AcceptingLink(target, listener, copiesFencedRequests));
    }

    @Override
    public void close() {
    }

    private static final class AcceptingLink implements Link {
        private final LinkTarget target;
        private final LinkListener listener;
        private final CompletableFuture<SendResult> accepted;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final boolean copiesFencedRequests;

        AcceptingLink(LinkTarget target, LinkListener listener, boolean copiesFencedRequests) {
            this.target = target;
            this.listener = listener;
            this.copiesFencedRequests = copiesFencedRequests;
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

        /**
         * As a transport that writes the token while it encodes: nothing copied, so nothing of the transport is
         * measured; or, if this link copies fenced requests, {@code Link}'s default.
         */
        @Override
        public CompletionStage<SendResult> send(DialRequest request, long fencingToken) {
            return copiesFencedRequests ? Link.super.send(request, fencingToken) : send(request);
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
