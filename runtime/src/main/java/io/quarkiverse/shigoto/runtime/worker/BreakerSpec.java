package io.quarkiverse.shigoto.runtime.worker;

/**
 * A kind's circuit breaker, as {@code @CircuitBreaker} gives it, checked at build time.
 *
 * @param volume the attempts the failure ratio is measured over
 * @param failureRatio the share of failures among them that opens the breaker
 * @param delayMillis how long it stays open before trials
 * @param trials how many trials must succeed to close it (and may run at once)
 */
public record BreakerSpec(int volume, double failureRatio, long delayMillis, int trials) {

    /** {@code @CircuitBreaker}'s defaults, for the values an annotation or the configuration leaves out. */
    public static final BreakerSpec DEFAULTS = new BreakerSpec(20, 0.5, 5_000, 1);
}
