package org.dialbalance.transport.tserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.api.ConfigResult;
import org.dialbalance.api.transport.AddpTrace;
import org.dialbalance.api.transport.Transport;
import org.dialbalance.api.transport.TransportSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS stores that do not open are reported naming the store or password option, the file and what is wrong. */
class TlsOptionsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    static Path keys;
    static Path trust;

    @BeforeAll
    static void stores() throws Exception {
        keys = dir.resolve("client.p12");
        trust = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=client", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keys.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path certificate = dir.resolve("client.cer");
        keytool("-exportcert", "-alias", "client", "-keystore", keys.toString(), "-storepass", PASSWORD, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trust.toString(), "-storepass", PASSWORD);
    }

    @Test
    void validStoresBuildATransport() {
        ConfigResult<Transport> result = create(Map.of("tls.enabled", "true", "tls.trust-store", trust.toString(),
                "tls.trust-store-password", PASSWORD, "tls.key-store", keys.toString(), "tls.key-store-password", PASSWORD));
        assertThat(result).isInstanceOf(ConfigResult.Valid.class);
        ((ConfigResult.Valid<Transport>) result).value().close();
    }

    @Test
    void aWrongPasswordNamesThePasswordOptionAndTheFile() {
        assertThat(problems(Map.of("tls.enabled", "true", "tls.trust-store", trust.toString(), "tls.trust-store-password", "wrong")))
                .containsExactly("transport-options.tserver.tls.trust-store-password = (hidden, 5 chars): expected the password of "
                        + trust + " (the store does not open with this one)");
        assertThat(problems(Map.of("tls.enabled", "true", "tls.key-store", keys.toString(), "tls.key-store-password", "wrong")))
                .containsExactly("transport-options.tserver.tls.key-store-password = (hidden, 5 chars): expected the password of "
                        + keys + " (the store does not open with this one)");
    }

    @Test
    void aPasswordNotSetIsMissingAndOneSetToNothingIsEmpty() {
        assertThat(problems(Map.of("tls.enabled", "true", "tls.key-store", keys.toString())))
                .containsExactly("transport-options.tserver.tls.key-store-password = (missing): expected the password of "
                        + keys + " (the store does not open with this one)");
        assertThat(problems(Map.of("tls.enabled", "true", "tls.key-store", keys.toString(), "tls.key-store-password", "")))
                .containsExactly("transport-options.tserver.tls.key-store-password = (empty): expected the password of "
                        + keys + " (the store does not open with this one)");
    }

    @Test
    void aDirectoryOrAFileThatIsNoStoreIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a store");

        assertThat(problems(Map.of("tls.enabled", "true", "tls.trust-store", dir.toString())))
                .containsExactly("transport-options.tserver.tls.trust-store = " + dir + ": expected a readable PKCS12 file, but this is a directory");
        assertThat(problems(Map.of("tls.enabled", "true", "tls.trust-store", text.toString(), "tls.trust-store-password", PASSWORD)))
                .containsExactly("transport-options.tserver.tls.trust-store = " + text + ": expected a PKCS12 store, but this file is not one or is damaged");
    }

    @Test
    void aKeyStoreWithoutAPrivateKeyIsRefused() {
        assertThat(problems(Map.of("tls.enabled", "true", "tls.key-store", trust.toString(), "tls.key-store-password", PASSWORD)))
                .containsExactly("transport-options.tserver.tls.key-store = " + trust + ": expected a PKCS12 store holding this"
                        + " client's private key and certificate, but it holds no private key");
    }

    @Test
    void tserverOptionsOutsideTheirRangeNameTheRange() {
        assertThat(problems(Map.of("max-frame-size", "9".repeat(100), "io-threads", "0", "max-tracked-calls", "10000001",
                "tls.trust-store-pasword", "secret")))
                .containsExactlyInAnyOrder(
                        "transport-options.tserver.max-frame-size = " + "9".repeat(60) + "\u2026 (100 chars): expected a whole number from 64 to 16777216",
                        "transport-options.tserver.io-threads = 0: expected a whole number from 1 to 64",
                        "transport-options.tserver.max-tracked-calls = 10000001: expected a whole number from 1 to 10000000",
                        "transport-options.tserver.tls.trust-store-pasword = (hidden): expected one of the tserver options "
                                + "(did you mean 'tls.trust-store-password'?): "
                                + String.join(", ", TserverOptions.KNOWN));
    }

    private static List<String> problems(Map<String, String> options) {
        ConfigResult<Transport> result = create(options);
        assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
        List<String> messages = new ArrayList<>();
        ((ConfigResult.Invalid<Transport>) result).problems().stream().map(ConfigProblem::message).forEach(messages::add);
        return messages;
    }

    private static ConfigResult<Transport> create(Map<String, String> options) {
        return new TserverTransportProvider().create(new TransportSettings("test", Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ZERO, Duration.ZERO, AddpTrace.OFF, 10, options));
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", command) + "\n" + output);
        }
    }
}
