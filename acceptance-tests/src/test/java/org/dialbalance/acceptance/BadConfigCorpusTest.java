package org.dialbalance.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.dialbalance.api.ConfigProblem;
import org.dialbalance.core.DialBalancer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus of bad configuration files ({@code src/test/resources/bad-configs/*.conf}, issue 12): each file
 * states, in its leading comment block, every problem {@link DialBalancer#check(Path)} must report for it,
 * one {@code # expect: <message>} line per problem, in the order reported. Other leading comment lines
 * describe the file ({@code # defect:} lines name what the messages get wrong today).
 *
 * <p>Each file is checked as a copy at the relative path {@code target/bad-configs/<name>} (Surefire runs in
 * the module's directory), so that messages that show the path, or cut text that includes it, do not depend on
 * where the repository is checked out. In a file and its expectations, {@code @STORES@} stands for
 * {@code target/bad-configs/stores}, which holds PKCS12 stores made at test time ({@code empty.p12}, password
 * {@code changeit}, holding nothing; {@code not-a-store.p12}, a text file); in the expectations,
 * {@code @FILE@} stands for the path checked.
 *
 * <p>Messages that list the plugins on the class path list those of this module's test class path, where
 * {@code test-harness} adds the {@code in-memory} transport ({@code known: in-memory, tserver}); {@code check-config}
 * lists only {@code tserver} there.
 *
 * <p>Inputs too large or too odd to commit (a 70,000-character DN, a directory, {@code /dev/zero}, ...) are made
 * here, with their exact messages written out below.
 */
class BadConfigCorpusTest {

    private static final Path WORK = Path.of("target", "bad-configs");
    private static final Path STORES = WORK.resolve("stores");
    private static final String EXPECT = "# expect: ";
    private static final String NODES = "  sip-cluster-prime-node = 101\n"
            + "  nodes = [ { dbid = 101, primary { host = sip1a.example.com, port = 5000 } } ]\n";

    @BeforeAll
    static void makeStores() throws IOException, GeneralSecurityException {
        Files.createDirectories(STORES);
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        try (OutputStream out = Files.newOutputStream(STORES.resolve("empty.p12"))) {
            empty.store(out, "changeit".toCharArray());
        }
        Files.writeString(STORES.resolve("not-a-store.p12"), "this is no PKCS12 store\n");
    }

    @Test
    void theCorpusHoldsAtLeastSixtyFiles() throws IOException {
        assertThat(corpusFiles()).hasSizeGreaterThanOrEqualTo(60);
    }

    @TestFactory
    Stream<DynamicTest> eachFileReportsExactlyItsExpectedProblems() throws IOException {
        return corpusFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            byte[] bytes = Files.readAllBytes(file);
            List<String> expected = expectations(bytes);
            assertThat(expected).as("%s states no '%s' line: a bad file has at least one problem", file.getFileName(), EXPECT.trim())
                    .isNotEmpty();
            Path copy = WORK.resolve(file.getFileName());
            String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);    // keeps every byte, also of non-UTF-8 files
            Files.write(copy, latin1.replace("@STORES@", STORES.toString()).getBytes(StandardCharsets.ISO_8859_1));
            assertReports(copy, expected.stream()
                    .map(line -> line.replace("@FILE@", copy.toString()).replace("@STORES@", STORES.toString())).toList());
        }));
    }

    @TestFactory
    Stream<DynamicTest> generatedFiles() {
        String printable = " of 1 to 255 printable characters (no control characters)";
        return Stream.of(
                generated("a 70,000-character DN", "long-dn.conf",
                        "dialbalance {\n" + NODES + "  monitored-dns = [\"" + "7".repeat(70_000) + "\"]\n}\n",
                        "monitored-dns[0] = \"" + "7".repeat(59) + "\u2026 (70002 chars): expected a DN" + printable),
                generated("a 100,000-character application-name", "long-application-name.conf",
                        "dialbalance {\n" + NODES + "  application-name = \"" + "x".repeat(100_000) + "\"\n}\n",
                        "application-name = \"" + "x".repeat(59) + "\u2026 (100002 chars): expected an application name" + printable),
                generated("a 5,000-character unknown option", "long-option-name.conf",
                        "dialbalance {\n" + NODES + "  " + "k".repeat(5_000) + " = 1\n}\n",
                        "k".repeat(120) + "\u2026 (5000 chars) = 1: expected no such option; known here: sip-cluster-lb-mode, "
                                + "sip-cluster-prime-node, reconnect-timeout, addp-timeout, addp-remote-timeout, addp-trace, "
                                + "request-timeout, connect-timeout, max-pending-requests, max-calls-in-progress, application-name, transport, node-registry, "
                                + "asm-policy, monitored-dns, nodes, agent-groups, campaign-groups, policy-options, transport-options, coordination, "
                                + "coordination-options"),
                generated("100,000 nested '['", "nested-100000.conf", "dialbalance { nodes = " + "[".repeat(100_000) + " }\n",
                        "file = target/bad-configs/nested-100000.conf: expected objects and lists nested at most 64 levels deep, "
                                + "but line 1 goes deeper"),
                generated("a file of 1 MiB and one byte", "over-1-mib.conf", "#".repeat(1 << 20) + "\n",
                        "file = target/bad-configs/over-1-mib.conf: expected a file of at most 1 MiB (1048576 bytes), "
                                + "but it has 1048577 bytes"),
                DynamicTest.dynamicTest("a directory", () -> {
                    Path directory = Files.createDirectories(WORK.resolve("a-directory.conf"));
                    assertReports(directory, List.of("file = target/bad-configs/a-directory.conf: expected a regular file, "
                            + "but this is a directory"));
                }),
                DynamicTest.dynamicTest("no such file", () -> {
                    Path missing = WORK.resolve("no-such-file.conf");
                    Files.deleteIfExists(missing);
                    assertReports(missing, List.of("file = target/bad-configs/no-such-file.conf: expected a readable HOCON file "
                            + "(there is no such file)"));
                }),
                DynamicTest.dynamicTest("/dev/zero", () -> {
                    Path zero = Path.of("/dev/zero");
                    Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero here");
                    assertReports(zero, List.of("file = /dev/zero: expected a regular file, but this is not one (a device, pipe or socket)"));
                }));
    }

    private static DynamicTest generated(String name, String fileName, String text, String expected) {
        return DynamicTest.dynamicTest(name, () -> {
            Path file = WORK.resolve(fileName);
            Files.writeString(file, text);
            assertReports(file, List.of(expected));
        });
    }

    private static void assertReports(Path file, List<String> expected) {
        List<String> reported = DialBalancer.check(file).stream().map(ConfigProblem::message).toList();
        assertThat(reported).as("the problems of %s", file).containsExactlyElementsOf(expected);
    }

    /** The {@code # expect: } lines of a file's leading comment block (a UTF-8 byte order mark skipped). */
    static List<String> expectations(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);    // the header is UTF-8 even where later bytes are not
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> expected = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.startsWith("#")) {
                break;
            }
            if (line.startsWith(EXPECT)) {
                expected.add(line.substring(EXPECT.length()));
            }
        }
        return expected;
    }

    private static List<Path> corpusFiles() throws IOException {
        Path corpus;
        try {
            corpus = Path.of(BadConfigCorpusTest.class.getResource("/bad-configs").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        try (Stream<Path> files = Files.list(corpus)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".conf"))
                    .sorted(Comparator.comparing(file -> file.getFileName().toString())).toList();
        }
    }
}
