package org.dialbalance.api.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.coordination.GroupOwnership;
import org.junit.jupiter.api.Test;

/**
 * {@link Link#send(DialRequest, long)}'s default, what a transport that does not override it sends: the host's request
 * with the two fencing extensions for a positive token (winning over the request's own of the same keys), and the
 * request itself for none.
 */
class LinkFencedSendTest {

    private static final CampaignGroup SALES = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");
    private static final CampaignGroup SEIZING = CampaignGroup.of("Seizing", DialingMode.PREDICTIVE_SEIZING, "AG_Seizing");

    /** A link that keeps what {@link #send(DialRequest)} was given. */
    private static final class RecordingLink implements Link {
        final List<DialRequest> sent = new ArrayList<>();
        final SendResult result = new SendResult.Accepted(1, "c1");

        @Override
        public LinkTarget target() {
            return new LinkTarget(NodeId.of(101), LinkRole.PRIMARY, new Endpoint("tserver-a", 7000, PortKind.TC_PORT));
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public CompletionStage<SendResult> send(DialRequest request) {
            sent.add(request);
            return CompletableFuture.completedFuture(result);
        }

        @Override
        public CompletionStage<RegisterResult> registerAddress(String dn) {
            return CompletableFuture.completedFuture(new RegisterResult(dn, true, ""));
        }

        @Override
        public void close() {
        }
    }

    private final RecordingLink link = new RecordingLink();

    private static DialRequest.PredictiveCall call(Map<String, String> extensions) {
        return new DialRequest.PredictiveCall(SALES, "7000", "5551234", Duration.ofSeconds(25), Map.of("GSW_RECORD_HANDLE", "12"),
                extensions);
    }

    private static Map<String, String> fencing(long token, String group) {
        return Map.of(GroupOwnership.FENCING_TOKEN_KEY, Long.toString(token), GroupOwnership.CAMPAIGN_GROUP_KEY, group);
    }

    @Test
    void aRequestWithoutExtensionsIsSentWithExactlyTheTokenAndTheGroupAndEverythingElseAsItWas() {
        DialRequest.PredictiveCall request = call(Map.of());

        SendResult result = link.send(request, 4294967338L).toCompletableFuture().join();

        assertThat(result).as("the stage of send(request)").isSameAs(link.result);
        assertThat(link.sent).singleElement().isInstanceOfSatisfying(DialRequest.PredictiveCall.class, sent -> {
            assertThat(sent.extensions()).isEqualTo(fencing(4294967338L, "Sales"));
            assertThat(sent.group()).isSameAs(SALES);
            assertThat(sent.originDn()).isEqualTo(request.originDn());
            assertThat(sent.destination()).isEqualTo(request.destination());
            assertThat(sent.ringTimeout()).isEqualTo(request.ringTimeout());
            assertThat(sent.userData()).isEqualTo(request.userData());
        });
        assertThat(request.extensions()).as("the host's request is left as it was").isEmpty();
    }

    @Test
    void aRequestsOwnExtensionsAreKeptAndTheFencingEntriesWinOverItsOwnOfTheSameKeys() {
        link.send(call(Map.of("x-trace", "abc", GroupOwnership.FENCING_TOKEN_KEY, "1", GroupOwnership.CAMPAIGN_GROUP_KEY, "Other")), 7);

        assertThat(link.sent).singleElement().extracting(DialRequest::extensions)
                .isEqualTo(Map.of("x-trace", "abc", GroupOwnership.FENCING_TOKEN_KEY, "7", GroupOwnership.CAMPAIGN_GROUP_KEY, "Sales"));
    }

    @Test
    void anEngagingCallStaysAnEngagingCall() {
        DialRequest.EngagingCall request = new DialRequest.EngagingCall(SEIZING, "8000", "AG_Seizing_Queue", Map.of("k", "v"), Map.of());

        link.send(request, 9);

        assertThat(link.sent).singleElement().isInstanceOfSatisfying(DialRequest.EngagingCall.class, sent -> {
            assertThat(sent.trunkGroupDn()).isEqualTo("8000");
            assertThat(sent.voiceTransferDestination()).isEqualTo("AG_Seizing_Queue");
            assertThat(sent.userData()).isEqualTo(Map.of("k", "v"));
            assertThat(sent.extensions()).isEqualTo(fencing(9, "Seizing"));
        });
    }

    @Test
    void withoutATokenTheRequestItselfIsSent() {
        DialRequest.PredictiveCall unfenced = call(Map.of("x-trace", "abc"));
        DialRequest.PredictiveCall negative = call(Map.of());

        link.send(unfenced, GroupOwnership.UNFENCED);
        link.send(negative, -3);

        assertThat(link.sent).as("token 0 and a negative token: sent as they are, not copied").hasSize(2);
        assertThat(link.sent.get(0)).isSameAs(unfenced);
        assertThat(link.sent.get(1)).isSameAs(negative);
    }
}
