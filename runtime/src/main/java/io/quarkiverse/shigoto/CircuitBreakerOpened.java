package io.quarkiverse.shigoto;

import java.time.Instant;

/**
 * CDI event: a kind's circuit breaker opened, from closed (the failure ratio was reached) or from half-open (a trial
 * failed). Its jobs are not claimed until {@code reopensAt}.
 *
 * @param kind the job kind
 * @param node the node whose stored outcomes opened it
 * @param reopensAt when trials begin (half-open)
 * @param failures the failed attempts that opened it: in the window when it was closed, the failed trials otherwise
 * @param attempts the attempts they were counted among
 * @param fromTrial whether a failed trial reopened it (half-open before), rather than the failure ratio
 */
public record CircuitBreakerOpened(String kind, String node, Instant reopensAt, int failures, int attempts,
        boolean fromTrial) implements CircuitBreakerEvent {
}
