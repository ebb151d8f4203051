package org.dialbalance.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public api type that may still change incompatibly in a minor release.
 *
 * <p>Plugin authors may use it, but should expect to adapt their code when upgrading.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE})
public @interface Experimental {
    /** What is still expected to change, so users can judge the risk. */
    String reason();
}
