package org.dialbalance.acceptance.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.dialbalance.harness.architecture.ArchitectureRules;
import org.dialbalance.policy.brokenfixture.PolicyThatBreaksTheRules;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/** The architecture rules hold for every module's main classes, and they do catch violations. */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.dialbalance");

    @TestFactory
    Stream<DynamicTest> everyRuleHoldsForTheProductionClasses() {
        assertThat(PRODUCTION.containPackage("org.dialbalance.api")).isTrue();
        assertThat(PRODUCTION.containPackage("org.dialbalance.core")).isTrue();
        assertThat(PRODUCTION.containPackage("org.dialbalance.policy.roundrobin")).isTrue();
        assertThat(PRODUCTION.containPackage("org.dialbalance.policy.asm")).isTrue();
        return ArchitectureRules.ALL.stream().map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> rule.check(PRODUCTION)));
    }

    @TestFactory
    Stream<DynamicTest> theRulesCatchAPolicyThatBreaksThem() {
        JavaClasses broken = new ClassFileImporter().importClasses(PolicyThatBreaksTheRules.class);
        Stream<ArchRule> rules = Stream.of(ArchitectureRules.POLICIES_DEPEND_ON_API_ONLY, ArchitectureRules.NO_FIELD_INJECTION,
                ArchitectureRules.NO_STANDARD_STREAMS_IN_LIBRARIES, ArchitectureRules.LOGGERS_ARE_PRIVATE_STATIC_FINAL);
        return rules.map(rule -> DynamicTest.dynamicTest("caught: " + rule.getDescription(),
                () -> assertThatThrownBy(() -> rule.check(broken)).isInstanceOf(AssertionError.class)));
    }

    @Test
    void aThirdPartyPluginCanBeHeldToTheSameStandard() {
        JavaClasses broken = new ClassFileImporter().importClasses(PolicyThatBreaksTheRules.class);
        assertThatThrownBy(() -> ArchitectureRules.pluginDependsOnApiOnly("org.dialbalance.policy.brokenfixture..").check(broken))
                .hasMessageContaining("org.dialbalance.core");
    }
}
