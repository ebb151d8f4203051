package org.dialbalance.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ValueTypesTest {

    private static final Endpoint A = new Endpoint("a", 5000, PortKind.TC_PORT);
    private static final ClusterTopology TOPOLOGY = new ClusterTopology(List.of(
            NodeSpec.of(NodeId.of(101), "n1", A, A), NodeSpec.of(NodeId.of(102), "n2", A), NodeSpec.of(NodeId.of(103), "n3", A)),
            NodeId.of(102));

    @Test
    void invalidValuesAreRefusedWithAClearMessage() {
        assertThatIllegalArgumentException().isThrownBy(() -> NodeId.of(0)).withMessageContaining("positive");
        assertThatIllegalArgumentException().isThrownBy(() -> new Endpoint("a", 0, PortKind.TC_PORT)).withMessageContaining("1..65535");
        assertThatIllegalArgumentException().isThrownBy(() -> new ClusterTopology(List.of(NodeSpec.of(NodeId.of(1), "x", A)), NodeId.of(2)))
                .withMessageContaining("prime node 2");
        assertThatIllegalArgumentException().isThrownBy(() -> new NodeStatus(NodeId.of(1), true, false, Optional.of(LinkRole.BACKUP)))
                .withMessageContaining("not up");
        assertThatIllegalArgumentException().isThrownBy(() -> HoldReason.of("no capacity"));
    }

    @Test
    void aSnapshotChangeMakesANewVersionAndLeavesTheOldOneAlone() {
        ClusterSnapshot initial = ClusterSnapshot.initial(TOPOLOGY);
        ClusterSnapshot next = initial.with(new NodeStatus(NodeId.of(103), true, false, Optional.of(LinkRole.PRIMARY)));

        assertThat(initial.activeCount()).isZero();
        assertThat(initial.isPrimeActive()).isFalse();
        assertThat(next.version()).isEqualTo(1);
        assertThat(next.activeNodes()).containsExactly(NodeId.of(103));
        assertThat(next.activeIndex(0)).isEqualTo(2);
        assertThat(next.with(next.status(NodeId.of(103)))).as("no change, same snapshot").isSameAs(next);
        assertThatIllegalArgumentException().isThrownBy(() -> next.with(new NodeStatus(NodeId.of(102), false, true,
                Optional.of(LinkRole.BACKUP)))).withMessageContaining("no backup");
    }

    @Test
    void modesAndPortKindsParseTheOutboundServersSpellings() {
        assertThat(DialingMode.fromConfigName("Predictive with Seizing")).contains(DialingMode.PREDICTIVE_SEIZING);
        assertThat(DialingMode.fromConfigName("POWER_GVP")).contains(DialingMode.POWER_GVP);
        assertThat(DialingMode.fromConfigName("turbo")).isEmpty();
        assertThat(java.util.Arrays.stream(DialingMode.values()).filter(DialingMode::isSeizing))
                .containsExactly(DialingMode.PROGRESSIVE_SEIZING, DialingMode.PREDICTIVE_SEIZING);
        assertThat(PortKind.fromConfigName("smartproxy")).contains(PortKind.SMART_PROXY);
        assertThat(PortKind.fromConfigName("TCport")).contains(PortKind.TC_PORT);
    }
}
