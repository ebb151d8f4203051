package org.dialbalance.acceptance.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.Endpoint;
import org.dialbalance.api.LinkRole;
import org.dialbalance.api.NodeId;
import org.dialbalance.api.PortKind;
import org.dialbalance.api.TelephonyEvent;
import org.dialbalance.api.transport.AddpTrace;
import org.dialbalance.api.transport.Link;
import org.dialbalance.api.transport.LinkListener;
import org.dialbalance.api.transport.LinkTarget;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.api.transport.TransportSettings;
import org.dialbalance.simcluster.SimulatedCluster;
import org.dialbalance.transport.tserver.TlsContexts;
import org.dialbalance.transport.tserver.TserverTransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS hostname verification (issue 12): a server certificate the client trusts, but made out to another host, is
 * refused; the link never opens. (The same certificates made out to 127.0.0.1 connect: TserverTransportTest.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsHostnameVerificationTest {

    private static final LinkListener IGNORE = new LinkListener() {
        @Override
        public void onEvent(TelephonyEvent event) {
        }

        @Override
        public void onClosed(String reason) {
        }
    };

    @Test
    void aTrustedCertificateForAnotherHostIsRefused(@TempDir Path dir) throws Exception {
        TestCertificates otherHost = TestCertificates.create(dir, "CN=sip.other.example", "SAN=dns:sip.other.example");
        var serverTls = TlsContexts.server(otherHost.serverKeys(), TestCertificates.PASSWORD, otherHost.serverTrust(),
                TestCertificates.PASSWORD);
        try (SimulatedCluster cluster = SimulatedCluster.builder().node(101, false).tls(serverTls).build();
             Transport transport = transport(otherHost)) {
            CompletableFuture<Link> connect = transport.connect(new LinkTarget(NodeId.of(101), LinkRole.PRIMARY,
                    new Endpoint("127.0.0.1", cluster.nodeSpecs().get(0).primary().port(), PortKind.TC_PORT)), IGNORE)
                    .toCompletableFuture();

            assertThatThrownBy(() -> connect.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("101");
            assertThat(rootCauseChain(connect)).containsIgnoringCase("127.0.0.1");
            assertThat(cluster.received()).isEmpty();
        }
    }

    private static String rootCauseChain(CompletableFuture<Link> connect) {
        StringBuilder chain = new StringBuilder();
        try {
            connect.join();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                chain.append(cause).append(" | ");
            }
        }
        return chain.toString();
    }

    private static Transport transport(TestCertificates certificates) {
        Map<String, String> tls = Map.of("tls.enabled", "true", "tls.trust-store", certificates.clientTrust().toString(),
                "tls.trust-store-password", TestCertificates.PASSWORD, "tls.key-store", certificates.clientKeys().toString(),
                "tls.key-store-password", TestCertificates.PASSWORD);
        ConfigResult<Transport> result = new TserverTransportProvider().create(new TransportSettings("tls-test",
                Duration.ofSeconds(10), Duration.ofMillis(300), Duration.ZERO, Duration.ZERO, AddpTrace.OFF, 100, tls));
        assertThat(result).as("%s", result).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid<Transport>) result).value();
    }
}
