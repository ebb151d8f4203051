package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.LinkRole;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.dialbalance.harness.inmemory.InMemoryTransport.ReplyMode;
import org.junit.jupiter.api.Test;

/** Start and stop are explicit, and after stop no thread of ours is left. */
class LifecycleTest {

    @Test
    void afterStopNoThreadOfTheBalancerIsLeft() throws InterruptedException {
        InMemoryTransport transport = new InMemoryTransport();
        transport.setReachable(node(102), LinkRole.BACKUP, false); // a failed link keeps a reconnect timer pending
        transport.replyMode(node(101), ReplyMode.SILENT);          // a pending request keeps a timeout pending
        DialBalancer balancer = DialBalancer.builder(config(2).lbMode("round-robin").applicationName("lifecycle-test").build())
                .transport(transport).build();                      // the balancer's own scheduler thread

        assertThat(ourThreads()).as("nothing runs before start").isEmpty();
        balancer.start();
        CompletableFuture<DialOutcome> pending = balancer.dial(predictive(regular("g"), 1)).toCompletableFuture();
        assertThat(ourThreads()).extracting(Thread::getName).containsExactly("dialbalance-scheduler-lifecycle-test");

        balancer.stop();

        assertThat(pending).isCompleted();
        for (Thread thread : ourThreads()) {
            thread.join(5_000);
        }
        assertThat(ourThreads()).isEmpty();
        assertThat(balancer.state()).isEqualTo(DialBalancer.State.STOPPED);
    }

    @Test
    void aBalancerStartsOnceAndStopIsIdempotent() {
        InMemoryCluster cluster = InMemoryCluster.start(config(1));
        assertThatIllegalStateException().isThrownBy(cluster.balancer::start).withMessageContaining("RUNNING");
        cluster.close();
        cluster.close();
        assertThatIllegalStateException().isThrownBy(cluster.balancer::start).withMessageContaining("STOPPED");
    }

    @Test
    void stopClosesEveryLinkAndStopsReconnecting() {
        InMemoryCluster cluster = InMemoryCluster.start(config(2));
        cluster.down(102, LinkRole.PRIMARY);
        cluster.close();

        assertThat(cluster.transport.isConnected(node(101), LinkRole.PRIMARY)).isFalse();
        assertThat(cluster.transport.isConnected(node(102), LinkRole.BACKUP)).isFalse();
        int attempts = cluster.transport.connectAttempts().size();
        cluster.clock.advance(InMemoryCluster.RECONNECT.multipliedBy(5));
        assertThat(cluster.transport.connectAttempts()).hasSize(attempts);
    }

    private static List<Thread> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("dialbalance-")).toList();
    }
}
