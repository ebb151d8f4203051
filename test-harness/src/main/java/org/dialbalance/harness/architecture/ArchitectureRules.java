package org.dialbalance.harness.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/**
 * The architecture of dialbalance as ArchUnit rules, so the layout stays the design:
 * the api depends on the JDK only, plugins on the api only, core on no plugin implementation, no
 * package cycles, no field injection, no standard streams in libraries, loggers {@code private static
 * final}, and every public api type marked {@code @Stable} or {@code @Experimental}.
 *
 * <p>Plugin authors can hold their own plugin to the same standard with
 * {@link #pluginDependsOnApiOnly(String, String...)}.
 *
 * <p>Exceptions, each with its reason, are written into the rules themselves:
 * <ul>
 *   <li>The transport may use Netty and {@code javax.net.ssl}: a transport must do I/O, and Netty is the
 *       chosen I/O library (DESIGN.md).</li>
 *   <li>Nested public types of the api (records inside sealed interfaces) carry no annotation of their own:
 *       they share the stability of the type that encloses them.</li>
 *   <li>The annotations {@code @Stable} and {@code @Experimental} are not annotated: they define stability.</li>
 * </ul>
 */
public final class ArchitectureRules {

    /** The packages of library modules, which host applications embed. */
    public static final String[] LIBRARY_PACKAGES = {
        "org.dialbalance.api..", "org.dialbalance.core..", "org.dialbalance.policy..", "org.dialbalance.transport..",
        "org.dialbalance.coordination.."};

    private static final String[] JDK = {"java..", "javax.annotation.."};

    /** The api depends on the JDK only. */
    public static final ArchRule API_DEPENDS_ON_JDK_ONLY = classes().that().resideInAPackage("org.dialbalance.api..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(with("org.dialbalance.api..", JDK))
            .because("plugin authors compile against the api for years; every dependency would be forced on them");

    /** Our policies depend on the api only. */
    public static final ArchRule POLICIES_DEPEND_ON_API_ONLY = pluginDependsOnApiOnly("org.dialbalance.policy..");

    /**
     * The transport depends on the api, Netty, slf4j and the JDK's TLS. Exception: Netty and
     * {@code javax.net.ssl} are allowed because a transport must do I/O and Netty is the chosen library.
     */
    public static final ArchRule TRANSPORTS_DEPEND_ON_API_AND_NETTY_ONLY = classes()
            .that().resideInAPackage("org.dialbalance.transport..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(with("org.dialbalance.api..",
                    "org.dialbalance.transport..", "io.netty..", "javax.net..", "javax.security..", "org.slf4j..", "java..",
                    "javax.annotation.."))
            .allowEmptyShould(true)
            .because("core does primary/backup and reconnects; a transport only has to do one link well (DESIGN.md)");

    /** Core depends on no policy, transport or harness implementation: they are found with ServiceLoader. */
    public static final ArchRule CORE_DOES_NOT_DEPEND_ON_IMPLEMENTATIONS = noClasses()
            .that().resideInAPackage("org.dialbalance.core..")
            .should().dependOnClassesThat().resideInAnyPackage("org.dialbalance.policy..", "org.dialbalance.transport..",
                    "org.dialbalance.harness..", "org.dialbalance.simcluster..", "org.dialbalance.simulator..")
            .because("implementations are plugins found with ServiceLoader, replaceable without touching core");

    /** No cycles between the packages of dialbalance. */
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("org.dialbalance.(**)").should().beFreeOfCycles();

    /** Dependencies are injected through constructors, never into fields. */
    public static final ArchRule NO_FIELD_INJECTION = noFields()
            .should().beAnnotatedWith("com.google.inject.Inject")
            .orShould().beAnnotatedWith("jakarta.inject.Inject")
            .orShould().beAnnotatedWith("javax.inject.Inject")
            .allowEmptyShould(true)
            .because("constructor injection into final fields makes every dependency visible and immutable");

    /** Libraries log through slf4j; they never write to standard out or err. */
    public static final ArchRule NO_STANDARD_STREAMS_IN_LIBRARIES = noClasses().that().resideInAnyPackage(LIBRARY_PACKAGES)
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("a library must not write to the host application's console; it logs through slf4j-api");

    /** Loggers are {@code private static final}. */
    public static final ArchRule LOGGERS_ARE_PRIVATE_STATIC_FINAL = fields().that().haveRawType("org.slf4j.Logger")
            .should().bePrivate().andShould().beStatic().andShould().beFinal()
            .allowEmptyShould(true)
            .because("one logger per class, named after it, neither shared nor replaceable");

    /** Every public top-level api type says how stable it is. */
    public static final ArchRule PUBLIC_API_IS_MARKED = classes()
            .that().resideInAPackage("org.dialbalance.api..").and().arePublic().and().areTopLevelClasses()
            .and().areNotAnnotations().and(notPackageInfo())
            .should().beAnnotatedWith("org.dialbalance.api.Stable").orShould().beAnnotatedWith("org.dialbalance.api.Experimental")
            .because("plugin authors must know what they can rely on (nested types share their enclosing type's mark)");

    /** Every rule above. */
    public static final List<ArchRule> ALL = List.of(API_DEPENDS_ON_JDK_ONLY, POLICIES_DEPEND_ON_API_ONLY,
            TRANSPORTS_DEPEND_ON_API_AND_NETTY_ONLY, CORE_DOES_NOT_DEPEND_ON_IMPLEMENTATIONS, NO_PACKAGE_CYCLES,
            NO_FIELD_INJECTION, NO_STANDARD_STREAMS_IN_LIBRARIES, LOGGERS_ARE_PRIVATE_STATIC_FINAL, PUBLIC_API_IS_MARKED);

    private ArchitectureRules() {
    }

    /**
     * A plugin's classes depend on the dialbalance api and the JDK only (plus any packages named).
     *
     * @param pluginPackage   the plugin's package pattern, e.g. {@code "com.example.weighted.."}
     * @param alsoAllowed     further allowed package patterns, e.g. {@code "org.slf4j.."}
     */
    public static ArchRule pluginDependsOnApiOnly(String pluginPackage, String... alsoAllowed) {
        String[] allowed = with(pluginPackage, with("org.dialbalance.api..", with(JDK, alsoAllowed)));
        return classes().that().resideInAPackage(pluginPackage)
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
                .allowEmptyShould(true)
                .because("a plugin sees the host only through the api, so it works with any core version of the same api");
    }

    private static DescribedPredicate<JavaClass> notPackageInfo() {
        return DescribedPredicate.describe("are not package-info", javaClass -> !javaClass.getSimpleName().equals("package-info"));
    }

    private static String[] with(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static String[] with(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

}
