package io.quarkiverse.shigoto;

/**
 * CDI event: a kind's circuit breaker closed: enough trials succeeded, or it was reset by hand
 * ({@link Shigoto#resetCircuitBreaker(String)}, the dashboard). Its jobs are claimed again.
 *
 * @param kind the job kind
 * @param node the node that closed it
 * @param reset whether it was reset by hand rather than closed by its trials
 */
public record CircuitBreakerClosed(String kind, String node, boolean reset) implements CircuitBreakerEvent {
}
