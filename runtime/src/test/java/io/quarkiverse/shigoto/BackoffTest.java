package io.quarkiverse.shigoto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4, 5, 6 })
    void exponentialWaitsTheFourthPowerOfTheAttemptPlusAtMostThirtySeconds(int attempt) {
        long base = (long) attempt * attempt * attempt * attempt;
        for (int i = 0; i < 100; i++) {
            assertThat(Backoff.exponential(attempt).getSeconds()).isBetween(base, base + 30);
        }
    }

    @Test
    void exponentialAddsTheJitterToTheFourthPower() {
        assertThat(Backoff.exponential(3, 0)).isEqualTo(Duration.ofSeconds(81));
        assertThat(Backoff.exponential(3, 30)).isEqualTo(Duration.ofSeconds(111));
        assertThat(Backoff.exponential(6, 30)).isEqualTo(Duration.ofSeconds(1296 + 30));
    }

    @Test
    void exponentialIsCappedAtThirtyMinutes() {
        assertThat(Backoff.exponential(7, 0)).isEqualTo(Backoff.MAX_EXPONENTIAL);
        assertThat(Backoff.exponential(6, 600)).isEqualTo(Backoff.MAX_EXPONENTIAL);
        assertThat(Backoff.MAX_EXPONENTIAL).isEqualTo(Duration.ofMinutes(30));
    }

    @ParameterizedTest
    @ValueSource(ints = { 7, 8, 100, 216, 217, 1_000_000, Integer.MAX_VALUE })
    void exponentialOfALargeAttemptIsTheCapWithoutOverflowing(int attempt) {
        assertThat(Backoff.exponential(attempt, 0)).isEqualTo(Backoff.MAX_EXPONENTIAL);
        assertThat(Backoff.exponential(attempt, 30)).isEqualTo(Backoff.MAX_EXPONENTIAL);
        assertThat(Backoff.exponential(attempt)).isEqualTo(Backoff.MAX_EXPONENTIAL);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -1, Integer.MIN_VALUE })
    void exponentialTreatsAnAttemptBelowOneAsTheFirst(int attempt) {
        assertThat(Backoff.exponential(attempt, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.exponential(attempt).getSeconds()).isBetween(1L, 31L);
    }

    @RepeatedTest(20)
    void theDefaultWorkerBackoffIsExponential() {
        JobWorker worker = new JobWorker() {
        };
        assertThat(worker.backoff(2, null).getSeconds()).isBetween(16L, 46L);
    }

    @Test
    void linearGrowsByOneStepPerAttempt() {
        Duration step = Duration.ofSeconds(10);
        Duration max = Duration.ofMinutes(5);
        assertThat(Backoff.linear(1, step, max)).isEqualTo(Duration.ofSeconds(10));
        assertThat(Backoff.linear(3, step, max)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Backoff.linear(30, step, max)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void linearIsCappedAtItsMaximum() {
        Duration max = Duration.ofMinutes(1);
        assertThat(Backoff.linear(7, Duration.ofSeconds(10), max)).isEqualTo(max);
        assertThat(Backoff.linear(Integer.MAX_VALUE, Duration.ofSeconds(10), max)).isEqualTo(max);
    }

    @Test
    void linearTreatsAnAttemptBelowOneAsTheFirst() {
        assertThat(Backoff.linear(0, Duration.ofSeconds(10), Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(10));
        assertThat(Backoff.linear(-5, Duration.ofSeconds(10), Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(10));
    }
}
