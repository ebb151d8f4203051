package org.dialbalance.api;

/**
 * What every provider of an extension point has in common: a name that configuration selects it by,
 * a priority, and whether it can run here.
 *
 * <p>Resolution is deterministic: providers that are not available are skipped; among providers of
 * one name the highest priority wins; a tie goes to the class name that sorts first. Every
 * registration and every choice is logged.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} and need a public no-argument
 * constructor.
 */
@Stable(since = "0.1")
public interface ExtensionProvider {

    /** The name configuration selects this provider by: lower case, digits and dashes, e.g. {@code round-robin}. */
    String name();

    /** Among providers of one name, the highest priority wins. 5 is the default; 0..10 is the usual range. */
    default int priority() {
        return 5;
    }

    /** Whether this provider can run in this environment (e.g. a native library is present). */
    default boolean isAvailable() {
        return true;
    }
}
