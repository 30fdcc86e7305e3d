package io.quarkiverse.shigoto.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

class CircuitBreakersTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private static Completion failed(JobState state, String type) {
        return new Completion(1, 1, state, NOW, null, false, null,
                JsonCodec.writeError(new JobError(1, NOW, type, "it failed", null)), null);
    }

    @Test
    void errorsAndTimeoutsCountAsFailuresSuccessesAsSuccessesAndTheRestNotAtAll() {
        assertThat(CircuitBreakers.failed(new Completion(1, 1, JobState.COMPLETED, null, NOW, false, null, null,
                null))).isFalse();
        assertThat(CircuitBreakers.failed(failed(JobState.RETRYABLE, "error"))).isTrue();
        assertThat(CircuitBreakers.failed(failed(JobState.DISCARDED, "timeout"))).isTrue();
        assertThat(CircuitBreakers.failed(new Completion(1, 1, JobState.SCHEDULED, NOW, null, true, null, null,
                null))).as("a snooze").isNull();
        assertThat(CircuitBreakers.failed(new Completion(1, 1, JobState.CANCELLED, null, NOW, false, null, null,
                null))).as("a cancellation").isNull();
    }

    @Test
    void failuresBeforeTheWorkerRanSayNothingAboutTheService() {
        for (String type : new String[] { "encryption", "invalid-args", "invalid-row", "start-failed" }) {
            assertThat(CircuitBreakers.failed(failed(JobState.RETRYABLE, type))).as(type).isNull();
        }
    }
}
