package io.quarkiverse.shigoto;

import java.time.Instant;

/**
 * A kind's {@link CircuitBreaker} as stored: the same on every node.
 *
 * @param kind the job kind
 * @param state closed, open or half-open
 * @param failures the failed attempts among {@code attempts} in the current window while closed; 0 otherwise
 * @param attempts the attempts in the current window while closed, at most {@code requestVolumeThreshold}
 * @param requestVolumeThreshold how many attempts the failure ratio is measured over
 * @param failureRatio the share of failures that opens the breaker
 * @param successes the successful trials since it became half-open
 * @param successThreshold the successful trials that close it
 * @param openedAt when it last opened, or {@code null}
 * @param reopensAt when it is (or was) half-open, or {@code null} when it never opened
 * @param openedBy the node whose outcomes last opened it, or {@code null}
 * @param changedAt when its state last changed, or {@code null} when it never did
 */
public record CircuitBreakerView(String kind, State state, int failures, int attempts, int requestVolumeThreshold,
        double failureRatio, int successes, int successThreshold, Instant openedAt, Instant reopensAt,
        String openedBy, Instant changedAt) {

    /** The states of a breaker. */
    public enum State {
        /** Attempts run; their outcomes fill the window. */
        CLOSED,
        /** No job of the kind is claimed until {@code reopensAt}. */
        OPEN,
        /** Up to {@code successThreshold} trials run at once. */
        HALF_OPEN;

        /** @return the state as the dashboard and the API name it: {@code closed}, {@code open}, {@code half-open} */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
