package io.quarkiverse.shigoto;

/**
 * A change of a kind's {@link CircuitBreaker}, fired as a CDI event on the node that made it, once it is stored (and
 * so seen by every node's claims): {@link CircuitBreakerOpened}, {@link CircuitBreakerClosed}. Observe one type, or
 * {@code CircuitBreakerEvent} for both:
 *
 * <pre>
 * void on(&#64;Observes CircuitBreakerOpened opened) {
 *     pager.alert(opened.kind() + " keeps failing: paused until " + opened.reopensAt());
 * }
 * </pre>
 */
public interface CircuitBreakerEvent {

    /** @return the job kind whose breaker changed */
    String kind();

    /** @return the node that made the change */
    String node();
}
