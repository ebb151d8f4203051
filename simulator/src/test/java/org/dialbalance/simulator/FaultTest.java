package org.dialbalance.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;

import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.junit.jupiter.api.Test;

class FaultTest {

    @Test
    void parsesEveryAction() {
        assertThat(Fault.parse("at 20%: kill 102 primary")).satisfies(fault -> {
            assertThat(fault.atPercent()).isEqualTo(20.0);
            assertThat(fault.action()).isEqualTo(Fault.Action.KILL);
            assertThat(fault.node()).isEqualTo(NodeId.of(102));
            assertThat(fault.roles()).containsExactly(LinkRole.PRIMARY);
            assertThat(fault.atRequest(30_000)).isEqualTo(6_000);
        });
        assertThat(Fault.parse("AT 7.5%: Restart 101").roles()).containsExactly(LinkRole.PRIMARY, LinkRole.BACKUP);
        assertThat(Fault.parse("at 80%: latency 101 both 20ms").latency()).isEqualTo(Duration.ofMillis(20));
        for (String action : List.of("blackhole", "heal", "reject", "accept")) {
            assertThat(Fault.parse("at 1%: " + action + " 5 backup").roles()).containsExactly(LinkRole.BACKUP);
        }
    }

    @Test
    void aBadLineIsRefusedWithTheExpectedShape() {
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.parse("at 20%: explode 102"))
                .withMessageContaining("unknown action 'explode'").withMessageContaining("at 20%: kill 102 primary");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.parse("kill 102 at noon")).withMessageContaining("expected");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.parse("at 120%: kill 1")).withMessageContaining("0 to 100");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.parse("at 10%: latency 1")).withMessageContaining("needs a delay");
    }

    @Test
    void drainAndEnableAreOperatorActionsThatTakeOnlyANode() {
        assertThat(Fault.parse("at 40%: drain 103")).satisfies(fault -> {
            assertThat(fault.action()).isEqualTo(Fault.Action.DRAIN);
            assertThat(fault.action().onBalancer()).isTrue();
            assertThat(fault.node()).isEqualTo(NodeId.of(103));
            assertThat(fault.stateText()).isEqualTo("103 draining");
        });
        assertThat(Fault.parse("at 60%: enable 103").stateText()).isEqualTo("103 enabled");
        assertThat(Fault.Action.KILL.onBalancer()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.parse("at 40%: drain 103 primary"))
                .withMessageContaining("drain acts on the balancer and takes only a node");
    }

    @Test
    void reloadIsAnOperatorActionThatTakesAFileAndNoNode() {
        assertThat(Fault.parse("at 80%: reload reloads/v2.conf")).satisfies(fault -> {
            assertThat(fault.action()).isEqualTo(Fault.Action.RELOAD);
            assertThat(fault.action().onBalancer()).isTrue();
            assertThat(fault.node()).isNull();
            assertThat(fault.file()).isEqualTo(java.nio.file.Path.of("reloads/v2.conf"));
            assertThat(fault.stateText()).isEqualTo("reloaded v2.conf");
        });
        assertThat(Fault.parse("at 1%: kill 102").file()).isNull();
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.parse("at 80%: reload 102 primary"))
                .withMessageContaining("reload takes a configuration file, not a node");
        assertThatIllegalArgumentException().isThrownBy(() -> Fault.parse("at 80%: reload"))
                .withMessageContaining("'at <percent>%: reload <file>'");
    }
}
