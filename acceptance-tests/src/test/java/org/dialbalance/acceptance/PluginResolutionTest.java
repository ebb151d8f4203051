package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dialbalance.acceptance.AsmRuleTest.dialedOn;
import static org.dialbalance.acceptance.InMemoryCluster.config;
import static org.dialbalance.acceptance.InMemoryCluster.predictive;
import static org.dialbalance.acceptance.InMemoryCluster.regular;
import static org.dialbalance.acceptance.OutcomeRuleTest.fixedPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.policy.BalancingPolicyProvider;
import org.dialbalance.api.registry.NodeRegistryProvider;
import org.dialbalance.core.ConfigException;
import org.dialbalance.core.DialBalancer;
import org.dialbalance.core.DialBalancerModule;
import org.dialbalance.harness.ManualScheduler;
import org.dialbalance.harness.inmemory.InMemoryTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;

/** Providers are found with ServiceLoader, chosen by name, and can be added in code or through Guice. */
class PluginResolutionTest {

    @Test
    void serviceLoaderFindsOurPoliciesAndTheInMemoryRegistry() {
        assertThat(ServiceLoader.load(BalancingPolicyProvider.class).stream().map(p -> p.get().name()))
                .contains("round-robin", "asm-per-group");
        assertThat(ServiceLoader.load(NodeRegistryProvider.class).stream().map(p -> p.get().name())).contains("in-memory");
    }

    @Test
    void anUnknownLbModeFailsAtStartupListingTheAvailablePolicies() {
        assertThatThrownBy(() -> DialBalancer.builder(config(2).lbMode("least-busy").build())
                .transport(new InMemoryTransport()).scheduler(new ManualScheduler()).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(problem -> {
                            assertThat(problem.option()).isEqualTo("sip-cluster-lb-mode");
                            assertThat(problem.value()).isEqualTo("least-busy");
                            assertThat(problem.expected()).contains("asm-per-group, round-robin");
                        }));
    }

    @Test
    void anUnknownTransportAndRegistryAreReportedTogether() {
        assertThatThrownBy(() -> DialBalancer.builder(config(2).lbMode("round-robin").transport("carrier-pigeon")
                .nodeRegistry("etcd").build()).scheduler(new ManualScheduler()).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::option).containsExactlyInAnyOrder("transport", "node-registry"));
    }

    @Test
    void aFileWithBrokenOptionsAndAnUnknownLbModeReportsBothAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ocs.conf");
        Files.writeString(file, """
                dialbalance {
                  sip-cluster-lb-mode = weighted
                  sip-cluster-prime-node = 101
                  nodes = [ { dbid = 101, primary { host = a, port = 0 } } ]
                }
                """);

        // (the transport is checked too: whether 'tserver' is on this classpath depends on the build)
        assertThat(DialBalancer.check(file)).extracting(ConfigProblem::option)
                .contains("nodes[0].primary.port", "sip-cluster-lb-mode");
        assertThatThrownBy(() -> DialBalancer.fromFile(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("nodes[0].primary.port = 0").hasMessageContaining("sip-cluster-lb-mode = weighted");
    }

    private static final String BLOCK_TYPOS = """
            dialbalance {
              sip-cluster-lb-mode = round-robin
              sip-cluster-prime-node = 101
              nodes = [ { dbid = 101, primary { host = a, port = 5000 } } ]
              transport-options { tservr { tls.enabled = true, tls.trust-store = "/etc/dialbalance/trust.p12" } }
              policy-options { round-robn { weight = 2 } }
            }
            """;

    @Test
    void anOptionBlockNamingNoPluginIsAProblemWithASuggestionNotSilentlyIgnored(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ocs.conf"), BLOCK_TYPOS);

        assertThat(DialBalancer.check(file)).extracting(ConfigProblem::message).satisfiesExactlyInAnyOrder(
                message -> assertThat(message).startsWith("transport-options.tservr = { tls.enabled, tls.trust-store }: expected the name"
                        + " of a transport on the class path (did you mean 'tserver'?); known: ").contains("tserver"),
                message -> assertThat(message).startsWith("policy-options.round-robn = { weight }: expected the name of a balancing"
                        + " policy on the class path (did you mean 'round-robin'?); known: ").contains("asm-per-group, round-robin"));
        assertThatThrownBy(() -> DialBalancer.fromFile(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("transport-options.tservr = ");
    }

    @Test
    void anOptionBlockTypoIsReportedAlongWithTheFilesOtherProblems(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ocs.conf"), BLOCK_TYPOS.replace("port = 5000", "port = 0"));

        assertThat(DialBalancer.check(file)).extracting(ConfigProblem::option)
                .containsExactlyInAnyOrder("nodes[0].primary.port", "transport-options.tservr", "policy-options.round-robn");
    }

    @Test
    void aBlockForAPluginOnTheClassPathThatIsNotSelectedIsAcceptedWithAWarning() {
        var config = config(2).transportOption("in-memory", "anything", "1").policyOption("round-robin", "x", "1").build();

        DialBalancer.builder(config).transport(new InMemoryTransport()).scheduler(new ManualScheduler()).build().close();
    }

    @Test
    void aPolicyAddedInCodeIsSelectedByName() {
        try (InMemoryCluster cluster = InMemoryCluster.startWithPolicy(config(3).lbMode("always-last"),
                fixedPolicy("always-last", (request, snapshot) -> snapshot.topology().routeTo(2)))) {
            assertThat(dialedOn(cluster.dialNow(predictive(regular("g"), 1)))).isEqualTo(103);
        }
    }

    @Test
    void aHostInjectorInstallsTheModuleAndAddsAPolicyWithTheMapBinder() {
        InMemoryTransport transport = new InMemoryTransport();
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new DialBalancerModule(config(2).lbMode("second").build()), binder -> {
            binder.requireExplicitBindings();
            DialBalancerModule.policyBinder(binder).addBinding("second")
                    .toInstance(fixedPolicy("second", (request, snapshot) -> snapshot.topology().routeTo(1)));
            DialBalancerModule.transportBinder(binder).setBinding().toInstance(transport);
            DialBalancerModule.schedulerBinder(binder).setBinding().toInstance(new ManualScheduler());
        });
        DialBalancer balancer = injector.getInstance(DialBalancer.class);
        assertThat(injector.getInstance(DialBalancer.class)).as("one balancer per injector").isSameAs(balancer);
        balancer.start();
        try {
            assertThat(dialedOn(balancer.dial(predictive(regular("g"), 1)).toCompletableFuture().join())).isEqualTo(102);
        } finally {
            balancer.stop();
        }
    }
}
