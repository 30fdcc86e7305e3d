package io.quarkiverse.shigoto;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stops claiming a {@link Job} kind, across every node of the cluster, while its attempts keep failing: a worker
 * calling a service that is down waits instead of burning attempts against it. The names and defaults follow
 * MicroProfile Fault Tolerance's {@code @CircuitBreaker}.
 * <ul>
 * <li><b>closed</b> (normal): attempts run. When, among the last {@link #requestVolumeThreshold()} attempts of the
 * kind (across the cluster), the share that failed reaches {@link #failureRatio()}, the breaker <b>opens</b>.</li>
 * <li><b>open</b>: the kind's jobs are not claimed; they stay {@code available} and use no attempt. After
 * {@link #delay()} it is <b>half-open</b>.</li>
 * <li><b>half-open</b>: up to {@link #successThreshold()} jobs run at once as trials. When that many trials
 * succeeded, the breaker closes; a failed trial opens it again for another delay.</li>
 * </ul>
 * An attempt counts as failed when it ends in an error or a timeout ({@code retryable} or {@code discarded}); a
 * snooze or a cancellation does not count. The state is stored in the database ({@code shigoto_breakers}), so every
 * node sees the same; changes fire events ({@link CircuitBreakerOpened}, {@link CircuitBreakerClosed}), count in the
 * metrics and show on the dashboard, which can also close a breaker by hand ({@link Shigoto#resetCircuitBreaker}).
 * Invalid values fail the build naming the class. See {@code docs/circuit-breakers.md}.
 *
 * <pre>
 * &#64;Job(queue = "partner")
 * &#64;CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = "30s", successThreshold = 2)
 * public class PartnerApiCall implements Worker {
 *     ...
 * }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CircuitBreaker {

    /** How many of the latest attempts the failure ratio is measured over; at least 1. */
    int requestVolumeThreshold() default 20;

    /** The share of failed attempts among the latest {@link #requestVolumeThreshold()} that opens; (0, 1]. */
    double failureRatio() default 0.5;

    /**
     * How long the breaker stays open before trials: {@code "5s"}, {@code "1m"} or ISO-8601 such as {@code "PT30S"}
     * (the same forms as {@link Job#timeout()}).
     */
    String delay() default "5s";

    /** How many trials must succeed, while half-open, to close; also how many run at once. At least 1. */
    int successThreshold() default 1;
}
