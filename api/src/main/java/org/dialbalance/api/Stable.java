package org.dialbalance.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public api type whose binary and behavioural contract is kept across minor releases.
 *
 * <p>Methods may be added to a stable interface only as {@code default} methods; nothing is removed
 * or changed incompatibly before the next major version. {@code ApiSignatureTest} in this module
 * fails the build when a stable signature disappears.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE})
public @interface Stable {
    /** The release in which the type became stable. */
    String since();
}
