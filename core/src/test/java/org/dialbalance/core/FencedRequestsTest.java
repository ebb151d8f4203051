package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.coordination.GroupOwnership;
import org.junit.jupiter.api.Test;

/**
 * The request an owner sends: the host's request with the two fencing extensions, the map of a request without
 * extensions of its own kept per group and token — and never the map of another token or group.
 */
class FencedRequestsTest {

    private static final CampaignGroup SALES = CampaignGroup.of("Sales", DialingMode.PREDICTIVE, "AG_Sales");
    private static final CampaignGroup RETENTION = CampaignGroup.of("Retention", DialingMode.PREDICTIVE, "AG_Retention");
    private static final CampaignGroup SEIZING = CampaignGroup.of("Seizing", DialingMode.PREDICTIVE_SEIZING, "AG_Seizing");

    private static DialRequest.PredictiveCall call(CampaignGroup group, Map<String, String> extensions) {
        return new DialRequest.PredictiveCall(group, "7000", "5551234", Duration.ofSeconds(25), Map.of("GSW_RECORD_HANDLE", "12"),
                extensions);
    }

    private static Map<String, String> fencing(long token, String group) {
        return Map.of(GroupOwnership.FENCING_TOKEN_KEY, Long.toString(token), GroupOwnership.CAMPAIGN_GROUP_KEY, group);
    }

    @Test
    void aRequestWithoutExtensionsGetsExactlyTheTokenAndTheGroupAndKeepsTheRest() {
        DialRequest.PredictiveCall request = call(SALES, Map.of());

        DialRequest sent = new FencedRequests().fenced(request, 4294967338L);

        assertThat(sent).isInstanceOf(DialRequest.PredictiveCall.class);
        assertThat(sent.extensions()).isEqualTo(fencing(4294967338L, "Sales"));
        DialRequest.PredictiveCall call = (DialRequest.PredictiveCall) sent;
        assertThat(call.group()).isSameAs(SALES);
        assertThat(call.originDn()).isEqualTo(request.originDn());
        assertThat(call.destination()).isEqualTo(request.destination());
        assertThat(call.ringTimeout()).isEqualTo(request.ringTimeout());
        assertThat(call.userData()).isEqualTo(request.userData());
        assertThat(request.extensions()).as("the host's request is left as it was").isEmpty();
    }

    @Test
    void theSameTokenReusesTheMapAndANewTokenBuildsANewOne() {
        FencedRequests fenced = new FencedRequests();

        Map<String, String> first = fenced.fenced(call(SALES, Map.of()), 7).extensions();
        Map<String, String> again = fenced.fenced(call(SALES, Map.of()), 7).extensions();
        Map<String, String> moved = fenced.fenced(call(SALES, Map.of()), 8).extensions();
        Map<String, String> back = fenced.fenced(call(SALES, Map.of()), 7).extensions();

        assertThat(again).as("same group, same token: the kept map").isSameAs(first);
        assertThat(moved).as("a new token: a new map").isNotSameAs(first).isEqualTo(fencing(8, "Sales"));
        assertThat(first).as("the old map is not changed").isEqualTo(fencing(7, "Sales"));
        assertThat(back).isEqualTo(fencing(7, "Sales"));
    }

    @Test
    void eachGroupHasItsOwnMap() {
        FencedRequests fenced = new FencedRequests();

        Map<String, String> sales = fenced.fenced(call(SALES, Map.of()), 7).extensions();
        Map<String, String> retention = fenced.fenced(call(RETENTION, Map.of()), 7).extensions();

        assertThat(sales).isEqualTo(fencing(7, "Sales"));
        assertThat(retention).isEqualTo(fencing(7, "Retention"));
        assertThat(fenced.fenced(call(SALES, Map.of()), 7).extensions()).isSameAs(sales);
    }

    @Test
    void aRequestsOwnExtensionsAreKeptAndTheFencingEntriesWin() {
        FencedRequests fenced = new FencedRequests();
        fenced.fenced(call(SALES, Map.of()), 7);

        DialRequest sent = fenced.fenced(call(SALES, Map.of("x-trace", "abc", GroupOwnership.FENCING_TOKEN_KEY, "1")), 7);

        assertThat(sent.extensions()).isEqualTo(Map.of("x-trace", "abc", GroupOwnership.FENCING_TOKEN_KEY, "7",
                GroupOwnership.CAMPAIGN_GROUP_KEY, "Sales"));
        assertThat(fenced.fenced(call(SALES, Map.of()), 7).extensions())
                .as("a request with extensions of its own leaves the kept map alone").isEqualTo(fencing(7, "Sales"));
    }

    @Test
    void anEngagingCallStaysAnEngagingCall() {
        DialRequest.EngagingCall request = new DialRequest.EngagingCall(SEIZING, "8000", "AG_Seizing_Queue",
                Map.of("k", "v"), Map.of());

        DialRequest sent = new FencedRequests().fenced(request, 9);

        assertThat(sent).isInstanceOf(DialRequest.EngagingCall.class);
        DialRequest.EngagingCall call = (DialRequest.EngagingCall) sent;
        assertThat(call.trunkGroupDn()).isEqualTo("8000");
        assertThat(call.voiceTransferDestination()).isEqualTo("AG_Seizing_Queue");
        assertThat(call.userData()).isEqualTo(Map.of("k", "v"));
        assertThat(call.extensions()).isEqualTo(fencing(9, "Seizing"));
    }

    @Test
    void forgettingBuildsTheMapAnew() {
        FencedRequests fenced = new FencedRequests();
        Map<String, String> before = fenced.fenced(call(SALES, Map.of()), 7).extensions();

        fenced.forget();

        Map<String, String> after = fenced.fenced(call(SALES, Map.of()), 7).extensions();
        assertThat(after).isNotSameAs(before).isEqualTo(before);
    }
}
