package org.dialbalance.acceptance.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.wire.WireCluster.WAIT;
import static org.dialbalance.acceptance.wire.WireCluster.predictive;
import static org.dialbalance.acceptance.wire.WireCluster.regular;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.ClusterEvent;
import org.dialbalance.api.ClusterListener;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.core.DialBalancer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * stop() called from a callback on one of the balancer's threads (over the real tserver transport, whose
 * I/O threads run the callbacks) returns at once and the threads end once the callback has returned.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireStopTest {

    /** Far below the 10 s the transport would wait for its own I/O threads if stop() waited on itself. */
    private static final long STOP_RETURNS_WITHIN_SECONDS = 5;

    @Test
    void stopFromADialOutcomeCallbackOnAnIoThreadDoesNotWaitForItself() throws Exception {
        try (WireCluster wire = WireCluster.start(2, config -> config.applicationName("stop-in-outcome"))) {
            wire.cluster.server(NodeId.of(101), LinkRole.PRIMARY).blackhole(true);   // the reply comes after the callback is set
            CompletableFuture<Thread> callbackThread = new CompletableFuture<>();
            CountDownLatch stopReturned = new CountDownLatch(1);
            wire.balancer.dial(predictive(regular(), "s1")).thenAccept(outcome -> {
                callbackThread.complete(Thread.currentThread());
                wire.balancer.stop();
                stopReturned.countDown();
            });
            wire.cluster.server(NodeId.of(101), LinkRole.PRIMARY).blackhole(false);

            Thread thread = callbackThread.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertStoppedWithoutWaitingOnItself(wire.balancer, thread, stopReturned);
        }
    }

    @Test
    void stopFromAClusterListenerOnAnIoThreadDoesNotWaitForItself() throws Exception {
        try (WireCluster wire = WireCluster.start(2, config -> config.applicationName("stop-in-listener"))) {
            CompletableFuture<Thread> callbackThread = new CompletableFuture<>();
            CountDownLatch stopReturned = new CountDownLatch(1);
            wire.balancer.addListener(new ClusterListener() {
                @Override
                public void onClusterEvent(ClusterEvent event) {
                    if (event instanceof ClusterEvent.LinkSwitched) {
                        callbackThread.complete(Thread.currentThread());
                        wire.balancer.stop();
                        stopReturned.countDown();
                    }
                }
            });
            wire.kill(102, LinkRole.PRIMARY);

            Thread thread = callbackThread.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertStoppedWithoutWaitingOnItself(wire.balancer, thread, stopReturned);
        }
    }

    private static void assertStoppedWithoutWaitingOnItself(DialBalancer balancer, Thread callbackThread,
                                                            CountDownLatch stopReturned) throws Exception {
        assertThat(callbackThread.getName()).as("the callback ran on an I/O thread of the transport").startsWith("dialbalance-tserver");
        assertThat(stopReturned.await(STOP_RETURNS_WITHIN_SECONDS, TimeUnit.SECONDS))
                .as("stop() in the callback returned without waiting for its own thread").isTrue();
        assertThat(balancer.state()).isEqualTo(DialBalancer.State.STOPPED);
        assertThat(balancer.dial(predictive(regular(), "after")).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> assertThat(failed.reason()).isEqualTo(FailureReason.NOT_RUNNING));

        balancer.terminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        callbackThread.join(WAIT.toMillis());
        assertThat(callbackThread.isAlive()).as("the I/O thread ended after the callback returned").isFalse();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("dialbalance-stop-") || thread.getName().startsWith("dialbalance-scheduler-stop-in-")) {
                thread.join(WAIT.toMillis());
                assertThat(thread.isAlive()).as("%s ended", thread.getName()).isFalse();
            }
        }
        balancer.stop();    // from the test thread: returns at once, everything has ended
    }
}
