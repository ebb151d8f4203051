package org.dialbalance.harness.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.HoldReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.harness.property.ClusterCase;
import org.dialbalance.harness.property.ConfigVariant;
import org.junit.jupiter.api.Test;

/**
 * The reference model's operator rules on hand-made sequences, so that what the model check compares the core with is
 * itself pinned: a drain waits for requests in flight and calls, a request-timeout or a release can finish it, a
 * removed node drains, a refused reload changes nothing, reloads are rate-limited, the rotation goes on by node.
 */
class ReferenceModelOperationsTest {

    private static final Duration RECONNECT = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Three nodes, #0 the prime; a regular group and a seizing group on #2. */
    private static final ClusterCase CASE = new ClusterCase(List.of(true, false, true), 0, List.of(
            new ClusterCase.GroupSpec(DialingMode.PREDICTIVE, ClusterCase.Dialer.UNSET, 0),
            new ClusterCase.GroupSpec(DialingMode.PREDICTIVE_SEIZING, ClusterCase.Dialer.VALID, 2)), List.of());

    private final ReferenceModel model = new ReferenceModel(CASE.universeBackups(), true, CASE.universe(),
            CASE.configuration(ConfigVariant.BASE, RECONNECT), TIMEOUT);

    private CampaignGroup regular() {
        return model.configuration().groups().get(0);
    }

    private CampaignGroup seizing() {
        return model.configuration().groups().get(1);
    }

    private static NodeId dbid(int position) {
        return ClusterCase.dbid(position);
    }

    @Test
    void aDrainWaitsForTheRequestInFlightAndItsTimeoutFinishesIt() {
        model.dial(regular());                                                  // #0
        ReferenceModel.Expectation inFlight = model.dialInFlight(1, regular());  // #1
        assertThat(inFlight.node()).isEqualTo(1);

        assertThat(model.drain(1)).isNull();
        assertThat(model.takeEvents()).containsExactly("DrainStarted " + dbid(1));
        assertThat(model.dial(regular()).node()).as("a draining node is skipped").isEqualTo(2);

        model.advance(TIMEOUT.minusSeconds(1));
        assertThat(model.takeCompletions()).isEmpty();
        model.advance(Duration.ofSeconds(1));
        assertThat(model.takeCompletions()).containsExactly(new ReferenceModel.Completion(1, "failed TIMEOUT on node #1"));
        assertThat(model.takeEvents()).containsExactly("DrainFinished " + dbid(1));
        assertThat(model.isDrained(1)).isTrue();
    }

    @Test
    void anAnsweredRequestIsACallThatKeepsTheDrainOpenUntilItIsReleased() {
        model.dial(regular());
        model.dialInFlight(7, regular());                                       // on #1
        model.drain(1);
        model.answerAll();
        assertThat(model.takeCompletions()).containsExactly(new ReferenceModel.Completion(7, "dialed on node #1 via PRIMARY"));
        assertThat(model.callsInProgress(1)).containsExactly(7);
        model.takeEvents();

        assertThat(model.release(1)).containsExactly(7);
        assertThat(model.takeEvents()).containsExactly("DrainFinished " + dbid(1));

        assertThat(model.enable(1)).isNull();
        assertThat(model.takeEvents()).containsExactly("NodeEnabled " + dbid(1));
        assertThat(model.isActive(1)).isTrue();
    }

    @Test
    void drainingThePrimeOrANodeNotConfiguredIsRefusedAndADrainedDialerHoldsItsGroup() {
        assertThat(model.drain(0)).isEqualTo("the prime node");
        assertThat(model.drain(3)).isEqualTo("not a configured node");
        model.drain(2);
        assertThat(model.dial(seizing()).hold()).isEqualTo(HoldReason.DIALER_NODE_DOWN);
    }

    @Test
    void aRemovedNodeDrainsItsRequestInFlightAndItsLinkGoingDownEndsIt() {
        model.dial(regular());
        model.dial(regular());
        model.dialInFlight(3, regular());                                       // on #2, the node before the prime
        ReferenceModel.Reload reload = model.reconfigure(CASE.configuration(ConfigVariant.REMOVE_NODE, RECONNECT));

        assertThat(reload.applied()).isTrue();
        assertThat(reload.version()).isEqualTo(2);
        assertThat(model.takeEvents()).containsExactly("DrainStarted " + dbid(2), "ConfigurationApplied v2");
        assertThat(model.isConfigured(2)).isFalse();
        assertThat(model.isInFlight(3)).as("a reload cancels nothing").isTrue();
        assertThat(model.dial(regular()).node()).as("after #2 (gone), on after #1").isEqualTo(0);
        assertThat(model.dial(seizing()).node()).as("its dialer node left: the prime dials").isEqualTo(0);

        model.down(2, LinkRole.PRIMARY);
        assertThat(model.takeCompletions()).containsExactly(new ReferenceModel.Completion(3, "failed LINK_LOST_AFTER_WRITE on node #2"));
        assertThat(model.takeEvents()).containsExactly("DrainFinished " + dbid(2));
        model.up(2, LinkRole.PRIMARY);
        assertThat(model.isUp(2, LinkRole.PRIMARY)).as("a removed node never reconnects").isFalse();
    }

    @Test
    void aRefusedReloadChangesNothingAndReloadsAreOnePerSecond() {
        ReferenceModel.Reload invalid = model.reconfigure(CASE.configuration(ConfigVariant.INVALID_POLICY, RECONNECT));
        assertThat(invalid.applied()).isFalse();
        assertThat(invalid.refusedFor()).containsExactly("sip-cluster-lb-mode");
        assertThat(model.version()).isEqualTo(1);
        assertThat(model.isConfigured(3)).isFalse();
        assertThat(model.takeEvents()).isEmpty();

        assertThat(model.reconfigure(CASE.configuration(ConfigVariant.ADD_NODE, RECONNECT)).applied()).isTrue();
        assertThat(model.isActive(3)).as("an added node connects at once").isTrue();
        ReferenceModel.Reload tooSoon = model.reconfigure(CASE.configuration(ConfigVariant.CHANGE_PRIME, RECONNECT));
        assertThat(tooSoon.refusedFor()).containsExactly("reconfigure");
        assertThat(model.reconfigure(CASE.configuration(ConfigVariant.ADD_NODE, RECONNECT)))
                .as("the running configuration again: applied, nothing changes, not rate-limited")
                .isEqualTo(new ReferenceModel.Reload(true, 2, false, java.util.Set.of()));

        model.advance(RECONNECT);
        model.drain(1);
        ReferenceModel.Reload drainingPrime = model.reconfigure(CASE.configuration(ConfigVariant.CHANGE_PRIME, RECONNECT));
        assertThat(drainingPrime.refusedFor()).containsExactly("sip-cluster-prime-node");
    }

    @Test
    void aPrimeChangeLetsTheOldPrimeBeDrained() {
        assertThat(model.reconfigure(CASE.configuration(ConfigVariant.CHANGE_PRIME, RECONNECT)).applied()).isTrue();
        assertThat(model.prime()).isEqualTo(1);
        assertThat(model.drain(0)).isNull();
    }
}
