package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.junit.jupiter.api.Test;

/**
 * The load view the balancer gives policies reports every change of a bound node's counts to its watchers, with the
 * node's index in that configuration and the new count already readable, and every node once when it binds; a
 * configuration's successor takes the reports of the nodes it keeps over.
 */
class PolicyHostTest {

    private static final NodeId A = NodeId.of(101);
    private static final NodeId B = NodeId.of(102);
    private static final DialRequest CALL = DialRequest.PredictiveCall.of(CampaignGroup.of("Sales", DialingMode.PREDICTIVE,
            "AG_Sales"), "7000", "5551234", Duration.ofSeconds(25));

    /** What a watcher heard: each node index with the load it read there. */
    private static final class Heard {
        final List<String> changes = new ArrayList<>();

        void watch(PolicyHost host) {
            assertThat(host.watch(node -> changes.add(node + "=" + host.load(node)))).isTrue();
        }

        List<String> take() {
            List<String> taken = List.copyOf(changes);
            changes.clear();
            return taken;
        }
    }

    @Test
    void watchersHearEveryChangeOfABoundNodesCounts() {
        PolicyHost host = new PolicyHost();
        Heard heard = new Heard();
        heard.watch(host);
        NodeLoad a = new NodeLoad(A, 10);
        NodeLoad b = new NodeLoad(B, 10);
        assertThat(a.sent()).isEqualTo(NodeLoad.Admission.SENT);            // before binding: no host to tell
        assertThat(heard.take()).isEmpty();

        host.bindLoads(new NodeLoad[] {a, b});
        assertThat(heard.take()).as("binding reports every node, busy or not").containsExactly("0=1", "1=0");

        b.sent();
        assertThat(heard.take()).containsExactly("1=1");
        b.ended(new DialOutcome.Dialed(CALL, B, LinkRole.PRIMARY, 7, "conn-1", 1));
        assertThat(heard.take()).as("awaiting became a call in progress").containsExactly("1=1");
        assertThat(b.released("no-such-call")).isFalse();
        assertThat(heard.take()).isEmpty();
        b.released("conn-1");
        assertThat(heard.take()).containsExactly("1=0");
        a.ended(new DialOutcome.Failed(CALL, FailureReason.TIMEOUT, "no reply", Optional.of(A)));
        assertThat(heard.take()).containsExactly("0=0");

        b.sent();
        b.ended(new DialOutcome.Dialed(CALL, B, LinkRole.BACKUP, 8, "conn-2", 1));
        heard.take();
        assertThat(b.forgetCalls()).isEqualTo(1);
        assertThat(heard.take()).as("calls forgotten when both links went down").containsExactly("1=0");
        assertThat(b.forgetCalls()).isZero();
        assertThat(heard.take()).isEmpty();
    }

    @Test
    void aNullWatcherIsRefusedAtOnceNotOnEveryChange() {
        PolicyHost host = new PolicyHost();
        assertThatNullPointerException().isThrownBy(() -> host.watch(null))
                .withMessage("watcher");
    }

    @Test
    void theNextConfigurationsHostTakesTheReportsOverByItsOwnIndexes() {
        PolicyHost first = new PolicyHost();
        Heard old = new Heard();
        old.watch(first);
        NodeLoad a = new NodeLoad(A, 10);
        NodeLoad b = new NodeLoad(B, 10);
        first.bindLoads(new NodeLoad[] {a, b});
        old.take();

        PolicyHost next = first.successor();
        Heard heard = new Heard();
        heard.watch(next);
        next.bindLoads(new NodeLoad[] {b});                                   // 101 removed: 102 is index 0 now
        assertThat(heard.take()).containsExactly("0=0");
        b.sent();
        a.sent();
        assertThat(heard.take()).containsExactly("0=1");
        assertThat(old.take()).as("102 reports to the new configuration only; 101, which left, to the one it left")
                .containsExactly("0=1");
    }
}
