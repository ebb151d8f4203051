package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dialbalance.acceptance.InMemoryCluster.REQUEST_TIMEOUT;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.node;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.dialbalance.api.CampaignGroup;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.DialOutcome;
import org.dialbalance.api.DialRequest;
import org.dialbalance.api.DialingMode;
import org.dialbalance.api.FailureReason;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.policy.BalancingPolicy;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.policy.PolicyContext;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.harness.inmemory.InMemoryTransport.ReplyMode;
import org.dialbalance.harness.inmemory.InMemoryTransport.SentRequest;
import org.junit.jupiter.api.Test;

/** Rule 8: exactly one outcome per request, and a written request is never sent again. */
class OutcomeRuleTest {

    @Test
    void aRequestWrittenBeforeItsLinkDiesFailsAndIsNeverSentAgain() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin"))) {
            cluster.transport.replyMode(node(102), ReplyMode.SILENT);
            cluster.dialNow(predictive(regular("g"), 0));
            DialRequest request = predictive(regular("g"), 1);
            CompletableFuture<DialOutcome> outcome = cluster.balancer.dial(request).toCompletableFuture();
            assertThat(outcome).isNotDone();

            cluster.down(102, LinkRole.PRIMARY);

            assertThat(outcome).isCompletedWithValueMatching(result -> result instanceof DialOutcome.Failed failed
                    && failed.reason() == FailureReason.LINK_LOST_AFTER_WRITE && failed.reason().written()
                    && failed.node().equals(java.util.Optional.of(node(102))), "failed after write on 102");
            cluster.clock.advance(REQUEST_TIMEOUT.multipliedBy(2));
            assertThat(cluster.transport.sent()).filteredOn(sent -> sent.request().equals(request)).hasSize(1);
        }
    }

    @Test
    void aRequestWhoseLinkWasGoneBeforeTheWriteIsReroutedOnce() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin"))) {
            cluster.transport.replyMode(node(101), ReplyMode.NOT_WRITTEN);

            DialOutcome outcome = cluster.dialNow(predictive(regular("g"), 1));

            assertThat(outcome).isInstanceOfSatisfying(DialOutcome.Dialed.class, dialed -> {
                assertThat(dialed.node()).isEqualTo(node(102));
                assertThat(dialed.routeAttempts()).isEqualTo(2);
            });
            assertThat(cluster.transport.sent()).extracting(SentRequest::node).containsExactly(node(102));
            assertThat(cluster.dialNow(predictive(regular("g"), 2))).isInstanceOfSatisfying(DialOutcome.Dialed.class,
                    dialed -> assertThat(dialed.routeAttempts()).isEqualTo(1));
        }
    }

    @Test
    void aRequestThatCannotBeWrittenTwiceFailsAsNotSent() {
        CampaignGroup pinned = CampaignGroup.of("pinned", DialingMode.PREDICTIVE_SEIZING, "AG", NodeId.of(102));
        try (InMemoryCluster cluster = InMemoryCluster.start(config(3).lbMode("round-robin").campaignGroup(pinned))) {
            cluster.transport.replyMode(node(102), ReplyMode.NOT_WRITTEN);

            DialOutcome outcome = cluster.dialNow(predictive(pinned, 1));

            assertThat(outcome).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.NOT_SENT);
                assertThat(failed.reason().written()).isFalse();
            });
            assertThat(cluster.transport.sent()).isEmpty();
        }
    }

    @Test
    void aReplyThatNeverComesEndsAsATimeoutAndNothingChangesItAfterwards() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(1).lbMode("round-robin"))) {
            cluster.transport.replyMode(node(101), ReplyMode.SILENT);
            AtomicInteger completions = new AtomicInteger();
            CompletableFuture<DialOutcome> outcome = cluster.balancer.dial(predictive(regular("g"), 1)).toCompletableFuture();
            outcome.whenComplete((result, error) -> completions.incrementAndGet());

            cluster.clock.advance(REQUEST_TIMEOUT.minus(Duration.ofMillis(1)));
            assertThat(outcome).isNotDone();
            cluster.clock.advance(REQUEST_TIMEOUT.dividedBy(20));   // the deadline sweep runs every timeout/20
            assertThat(outcome.join()).isInstanceOfSatisfying(DialOutcome.Failed.class,
                    failed -> assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT));

            cluster.down(101, LinkRole.PRIMARY);
            assertThat(outcome.join()).isInstanceOfSatisfying(DialOutcome.Failed.class,
                    failed -> assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT));
            assertThat(completions).hasValue(1);
        }
    }

    @Test
    void anErrorReplyFailsTheRequestAsRejected() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(1).lbMode("round-robin"))) {
            cluster.transport.replyMode(node(101), ReplyMode.REJECT);
            assertThat(cluster.dialNow(predictive(regular("g"), 1))).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.REJECTED);
                assertThat(failed.detail()).contains("EventError 56");
            });
        }
    }

    @Test
    void whatTheTransportReportsBecomesTheOutcomeAndNothingIsReRouted() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(1).lbMode("round-robin"))) {
            cluster.transport.replyMode(node(101), ReplyMode.TRANSPORT_TIMEOUT);
            assertThat(cluster.dialNow(predictive(regular("g"), 1))).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT);
                assertThat(failed.detail()).contains("1234 ms").contains("not re-sent");
            });
            cluster.transport.replyMode(node(101), ReplyMode.PENDING_LIMIT);
            assertThat(cluster.dialNow(predictive(regular("g"), 2))).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.PENDING_LIMIT);
                assertThat(failed.reason().written()).isFalse();
                assertThat(failed.detail()).contains("already has 3 requests");
            });
            assertThat(cluster.transport.sent()).hasSize(1);
        }
    }

    @Test
    void aTransportThatBreaksItsContractStillYieldsOneOutcomeThatSaysItMayHaveBeenWritten() {
        try (InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin"))) {
            cluster.transport.replyMode(node(101), ReplyMode.THROWS);
            cluster.transport.replyMode(node(102), ReplyMode.FAILS_STAGE);
            for (int i = 0; i < 2; i++) {
                assertThat(cluster.dialNow(predictive(regular("g"), i))).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                    assertThat(failed.reason()).isEqualTo(FailureReason.LINK_LOST_AFTER_WRITE);
                    assertThat(failed.detail()).contains("transport failed").contains("re-sent");
                });
            }
            assertThat(cluster.transport.sent()).as("never re-routed elsewhere").hasSize(1);
        }
    }

    @Test
    void requestsAwaitingRepliesWhenTheBalancerStopsFailAfterWrite() {
        InMemoryCluster cluster = InMemoryCluster.start(config(2).lbMode("round-robin"));
        cluster.transport.replyMode(node(101), ReplyMode.SILENT);
        CompletableFuture<DialOutcome> outcome = cluster.balancer.dial(predictive(regular("g"), 1)).toCompletableFuture();

        cluster.close();

        assertThat(outcome).isCompletedWithValueMatching(result -> result instanceof DialOutcome.Failed failed
                && failed.reason() == FailureReason.LINK_LOST_AFTER_WRITE, "lost after write");
        assertThat(cluster.balancer.dial(predictive(regular("g"), 2)).toCompletableFuture().join())
                .isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> assertThat(failed.reason()).isEqualTo(FailureReason.NOT_RUNNING));
    }

    @Test
    void aRequestBeforeStartFailsAsNotRunning() {
        DialBalancer balancer = DialBalancer.builder(config(1).build())
                .transport(new org.dialbalance.harness.inmemory.InMemoryTransport())
                .scheduler(new org.dialbalance.harness.ManualScheduler()).build();
        assertThat(balancer.dial(predictive(regular("g"), 1)).toCompletableFuture().join())
                .isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> assertThat(failed.reason()).isEqualTo(FailureReason.NOT_RUNNING));
    }

    @Test
    void aPolicyThatChoosesAnInactiveNodeIsRefusedAndNothingIsSent() {
        var config = config(3).lbMode("always-103");
        try (InMemoryCluster cluster = InMemoryCluster.startWithPolicy(config, fixedPolicy("always-103",
                (request, snapshot) -> snapshot.topology().routeTo(2)))) {
            cluster.down(103);
            cluster.transport.clearRecords();

            assertThat(cluster.dialNow(predictive(regular("g"), 1))).isInstanceOfSatisfying(DialOutcome.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.POLICY_ERROR);
                assertThat(failed.detail()).contains("always-103").contains("103");
            });
            assertThat(cluster.transport.sent()).isEmpty();
        }
    }

    @Test
    void aPolicyThatThrowsFailsThatRequestOnly() {
        var config = config(2).lbMode("throws");
        try (InMemoryCluster cluster = InMemoryCluster.startWithPolicy(config, fixedPolicy("throws", (request, snapshot) -> {
            if (request.otherDn().endsWith("1")) {
                throw new IllegalStateException("boom");
            }
            return snapshot.topology().routeTo(0);
        }))) {
            assertThat(cluster.dialNow(predictive(regular("g"), 1))).isInstanceOfSatisfying(DialOutcome.Failed.class,
                    failed -> assertThat(failed.reason()).isEqualTo(FailureReason.POLICY_ERROR));
            assertThat(cluster.dialNow(predictive(regular("g"), 2))).isInstanceOf(DialOutcome.Dialed.class);
        }
    }

    static BalancingPolicyProvider fixedPolicy(String name, BalancingPolicy policy) {
        return new BalancingPolicyProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ConfigResult<BalancingPolicy> create(PolicyContext context) {
                return ConfigResult.valid(policy);
            }
        };
    }
}
