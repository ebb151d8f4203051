package org.dialbalance.acceptance.wire;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made at test time with the JDK's keytool: a server key pair for 127.0.0.1 and
 * a client key pair, and for each side a trust store holding the other's certificate.
 *
 * @param serverKeys  the server's PKCS12 key store
 * @param serverTrust the store the server trusts client certificates from
 * @param clientKeys  the client's PKCS12 key store
 * @param clientTrust the store the client trusts server certificates from
 */
record TestCertificates(Path serverKeys, Path serverTrust, Path clientKeys, Path clientTrust) {

    static final String PASSWORD = "changeit";

    static TestCertificates create(Path dir) throws IOException, InterruptedException {
        return create(dir, "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:localhost");
    }

    /** The same, with the server certificate made out to {@code serverName} and {@code serverSan} (a keytool -ext value). */
    static TestCertificates create(Path dir, String serverName, String serverSan) throws IOException, InterruptedException {
        TestCertificates certificates = new TestCertificates(dir.resolve("server.p12"), dir.resolve("server-trust.p12"),
                dir.resolve("client.p12"), dir.resolve("client-trust.p12"));
        keyPair(certificates.serverKeys, "server", serverName, serverSan);
        keyPair(certificates.clientKeys, "client", "CN=dialbalance-test-client", null);
        trust(certificates.serverKeys, "server", dir.resolve("server.cer"), certificates.clientTrust);
        trust(certificates.clientKeys, "client", dir.resolve("client.cer"), certificates.serverTrust);
        return certificates;
    }

    private static void keyPair(Path store, String alias, String name, String extension) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", name, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (extension != null) {
            command.addAll(List.of("-ext", extension));
        }
        run(command);
    }

    private static void trust(Path keys, String alias, Path certificate, Path trustStore) throws IOException, InterruptedException {
        run(List.of(keytool(), "-exportcert", "-alias", alias, "-keystore", keys.toString(), "-storepass", PASSWORD, "-file",
                certificate.toString()));
        run(List.of(keytool(), "-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", PASSWORD));
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", command) + "\n" + output);
        }
    }
}
