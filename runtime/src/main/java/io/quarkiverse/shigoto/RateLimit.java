package io.quarkiverse.shigoto;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits how many attempts of a {@link Job} kind start in a sliding window, across every node of the cluster.
 * <p>
 * The limit is checked before claiming: a job over the limit stays {@code available} (it is never claimed and then
 * snoozed, so it loses no attempt) and is claimed once the window has room again. Attempts count when they start,
 * whatever their outcome. Invalid values ({@link #limit()} below 1, a malformed or non-positive {@link #per()}) or the
 * annotation on a class without {@code @Job} fail the build with a message naming the class. See
 * {@code docs/limits.md}.
 *
 * <pre>
 * &#64;Job(queue = "api")
 * &#64;RateLimit(limit = 100, per = "1m")
 * public class PartnerApiCall implements Worker {
 *     ...
 * }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RateLimit {

    /** How many attempts of this kind may start within any window of length {@link #per()}; at least 1. */
    int limit();

    /**
     * The length of the sliding window: {@code "1s"}, {@code "1m"}, {@code "1h"} or ISO-8601 such as {@code "PT1M"}
     * (the same forms as {@link Job#timeout()}).
     */
    String per();
}
