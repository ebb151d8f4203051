package org.dialbalance.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dialbalance.api.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile configuration files are refused with one clear problem, never a stack overflow, a hang or a flood. */
class ConfigFilesTest {

    @Test
    void deeplyNestedValuesAreRefusedBeforeParsing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("deep.conf"), "dialbalance {\n  nodes = " + "[".repeat(100_000) + "\n}\n");

        assertThat(DialBalancer.check(file)).extracting(ConfigProblem::message).containsExactly(
                "file = " + file + ": expected objects and lists nested at most 64 levels deep, but line 2 goes deeper");
        assertThatThrownBy(() -> BalancerConfig.load(file)).isInstanceOf(ConfigException.class).hasMessageContaining("nested at most 64");
        assertThat(HoconConfigReader.parse("a = " + "{ b = ".repeat(65)).problems()).extracting(ConfigProblem::expected)
                .containsExactly("objects and lists nested at most 64 levels deep, but line 1 goes deeper");
    }

    @Test
    void rawControlCharactersAreRefusedNamingTheLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("raw.conf"), "dialbalance {\n\tapplication-name = \"a\u0007b\"\r\n}\n");

        assertThat(DialBalancer.check(file)).extracting(ConfigProblem::message).containsExactly("file = " + file
                + ": expected text without control characters other than tab, CR and LF, but line 2 holds U+0007"
                + " (in a quoted string, write \\u0007)");
        assertThat(ConfigFiles.controlCharacter("a = 1\tb\r\n# \u007F")).contains("line 2 holds U+007F");
        assertThat(ConfigFiles.controlCharacter("a = \"\\u0007\"\t\r\n")).isNull();
    }

    @Test
    void anUnclosedBlockOrListNamesWhereItOpened() {
        assertThat(ConfigFiles.unclosed("a {\n  b = [1, 2]\n  c { d = \"}\" } # }\n")).isEqualTo(
                "every '{' and '[' closed, but one is not: the '{' opened on line 1 has no '}'");
        assertThat(ConfigFiles.unclosed("a = [\n  { b = ${?X} }\n")).contains("the '[' opened on line 1 has no ']'");
        assertThat(ConfigFiles.unclosed("a { b = [ ] }")).isNull();
    }

    @Test
    void theParsersMessageIsCutToItsFirstSentence() {
        assertThat(HoconConfigReader.parse("a = ,").problems()).extracting(ConfigProblem::expected)
                .containsExactly("valid HOCON (String: 1: Expecting a value but got wrong token: ',')");
    }

    @Test
    void substitutionsThatWouldMultiplyTheTextAreRefusedBeforeResolving(@TempDir Path dir) throws Exception {
        StringBuilder laughs = new StringBuilder("a = \"" + "x".repeat(1000) + "\"\n");
        for (int i = 1; i <= 30; i++) {
            laughs.append("a").append(i).append(" = ${a").append(i == 1 ? "" : i - 1).append("} ${a").append(i == 1 ? "" : i - 1).append("}\n");
        }
        Path file = Files.writeString(dir.resolve("laughs.conf"), laughs + "dialbalance { application-name = ${a30} }\n");

        assertThat(DialBalancer.check(file)).extracting(ConfigProblem::message).containsExactly(
                "file = " + file + ": expected at most 8 substitutions (${...}), but it uses 61");
        assertThat(HoconConfigReader.parse(laughs.toString()).problems()).extracting(ConfigProblem::expected)
                .containsExactly("at most 8 substitutions (${...}), but it uses 60");
        assertThat(ConfigFiles.substitutions("a = \"${x}\" # ${y}\n// ${z}\nb = ${?PASSWORD}")).isEqualTo(1);
    }

    @Test
    void nestingInsideStringsAndCommentsDoesNotCount() {
        assertThat(ConfigFiles.tooDeepAt("a = \"" + "[".repeat(100) + "\"\n# " + "{".repeat(100) + "\nb = \"\"\"" + "[".repeat(100)
                + "\"\"\"\n// " + "[".repeat(100))).isZero();
        assertThat(ConfigFiles.tooDeepAt("a = " + "[".repeat(64) + "]".repeat(64))).isZero();
        assertThat(ConfigFiles.tooDeepAt("a = 1\nb = " + "[".repeat(65))).isEqualTo(2);
    }

    @Test
    void aDeviceIsRefusedWithoutReadingIt() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "a system with /dev/zero");

        assertThat(DialBalancer.check(zero)).extracting(ConfigProblem::message).containsExactly(
                "file = /dev/zero: expected a regular file, but this is not one (a device, pipe or socket)");
    }

    @Test
    void aDirectoryAMissingFileAndAnOversizedFileAreRefused(@TempDir Path dir) throws Exception {
        Path big = Files.write(dir.resolve("big.conf"), new byte[ConfigFiles.MAX_BYTES + 1]);

        assertThat(DialBalancer.check(dir)).extracting(ConfigProblem::message)
                .containsExactly("file = " + dir + ": expected a regular file, but this is a directory");
        assertThat(DialBalancer.check(dir.resolve("none.conf"))).extracting(ConfigProblem::message)
                .containsExactly("file = " + dir.resolve("none.conf") + ": expected a readable HOCON file (there is no such file)");
        assertThat(DialBalancer.check(big)).extracting(ConfigProblem::message)
                .containsExactly("file = " + big + ": expected a file of at most 1 MiB (1048576 bytes), but it has 1048577 bytes");
    }

    @Test
    void includesAreRefusedSoThatNoFileEscapesTheLimits(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("inc.conf"), "include file(\"/dev/zero\")\ndialbalance { }\n");

        assertThat(DialBalancer.check(file)).singleElement().extracting(ConfigProblem::expected).asString()
                .startsWith("valid HOCON (").contains("'include' is not supported (include \"/dev/zero\")");
    }

    @Test
    void aHugeUnknownValueIsEchoedCut(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("huge.conf"), "dialbalance { sip-cluster-prime-node = 1,"
                + " nodes = [ { dbid = 1, primary { host = a, port = 1 } } ], junk = \"" + "z".repeat(900_000) + "\" }");

        assertThat(DialBalancer.check(file)).filteredOn(problem -> problem.option().equals("junk")).extracting(ConfigProblem::value)
                .containsExactly("z".repeat(60) + "\u2026 (900000 chars)");
    }
}
