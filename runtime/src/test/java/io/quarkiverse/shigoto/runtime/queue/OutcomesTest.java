package io.quarkiverse.shigoto.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.worker.TypedArgs;

class OutcomesTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final long ID = 42;

    private final RecordingWorker worker = new RecordingWorker(Duration.ofSeconds(90));
    // a plain mapper, as an application without customizers has
    private static final TypedArgs JSON = new TypedArgs(new ObjectMapper());

    @Test
    void okCompletesTheJob() {
        Completion c = Outcomes.of(job(1, 3), JobResult.ok(), worker, NOW, JSON);
        assertThat(c).isEqualTo(new Completion(ID, 1, JobState.COMPLETED, null, NOW, false, null, null, null));
    }

    @Test
    void okWithAResultStoresItAsJson() {
        Completion c = Outcomes.of(job(1, 3), JobResult.ok(Map.of("sent", List.of(1, 2))), worker, NOW, JSON);
        assertThat(c.state()).isEqualTo(JobState.COMPLETED);
        assertThat(c.resultJson()).isEqualTo("{\"sent\":[1,2]}");
        assertThat(c.errorJson()).isNull();
    }

    @Test
    void okWithAResultThatIsNotJsonIsAFailure() {
        Completion c = Outcomes.of(job(1, 3), JobResult.ok(new Object()), worker, NOW, JSON);
        assertThat(c.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(c.resultJson()).isNull();
        assertThat(error(c).type()).isEqualTo("error");
        assertThat(error(c).message()).startsWith("the job's result cannot be written as JSON: java.lang.Object:"
                + " No serializer found for class java.lang.Object");
    }

    record Thumbnail(String url, int width) {
    }

    @Test
    void aRecordResultIsWrittenByTheApplicationsMapper() {
        Completion c = Outcomes.of(job(1, 3), JobResult.ok(new Thumbnail("t.png", 64)), worker, NOW, JSON);
        assertThat(c.state()).isEqualTo(JobState.COMPLETED);
        assertThat(c.resultJson()).isEqualTo("{\"url\":\"t.png\",\"width\":64}");
    }

    @Test
    void anErrorWithAttemptsLeftIsRetriedAfterTheWorkersBackoff() {
        Completion c = Outcomes.of(job(2, 3), JobResult.error("mail server down"), worker, NOW, JSON);
        assertThat(c.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(c.scheduledAt()).isEqualTo(NOW.plusSeconds(90));
        assertThat(c.finishedAt()).isNull();
        assertThat(c.refundAttempt()).isFalse();
        assertThat(error(c)).isEqualTo(new JobError(2, NOW, "error", "mail server down", null));
        assertThat(worker.calls).containsExactly(new JobError(2, NOW, "error", "mail server down", null));
    }

    @Test
    void anErrorOnTheLastAttemptDiscardsTheJob() {
        Completion c = Outcomes.of(job(3, 3), JobResult.error("still down"), worker, NOW, JSON);
        assertThat(c.state()).isEqualTo(JobState.DISCARDED);
        assertThat(c.scheduledAt()).isNull();
        assertThat(c.finishedAt()).isEqualTo(NOW);
        assertThat(error(c)).isEqualTo(new JobError(3, NOW, "error", "still down", null));
        assertThat(worker.calls).isEmpty();
    }

    @Test
    void anErrorPastTheLastAttemptDiscardsTheJob() {
        assertThat(Outcomes.of(job(4, 3), JobResult.error("x"), worker, NOW, JSON).state()).isEqualTo(JobState.DISCARDED);
    }

    @Test
    void aSnoozeReschedulesTheJobAndRefundsTheAttempt() {
        Completion c = Outcomes.of(job(3, 3), JobResult.snooze(Duration.ofMinutes(5)), worker, NOW, JSON);
        assertThat(c).isEqualTo(new Completion(ID, 3, JobState.SCHEDULED, NOW.plusSeconds(300), null, true, null,
                null, null));
    }

    @Test
    void aCancelStopsTheJobAndRecordsWhy() {
        Completion c = Outcomes.of(job(1, 3), JobResult.cancel("account deleted"), worker, NOW, JSON);
        assertThat(c.state()).isEqualTo(JobState.CANCELLED);
        assertThat(c.finishedAt()).isEqualTo(NOW);
        assertThat(c.scheduledAt()).isNull();
        assertThat(c.refundAttempt()).isFalse();
        assertThat(error(c)).isEqualTo(new JobError(1, NOW, "cancelled", "account deleted", null));
        assertThat(worker.calls).isEmpty();
    }

    @Test
    void anExceptionIsRecordedWithItsClassMessageAndStackTrace() {
        Completion c = Outcomes.ofException(job(1, 3), new IllegalStateException("boom"), worker, NOW);
        assertThat(c.state()).isEqualTo(JobState.RETRYABLE);
        JobError e = error(c);
        assertThat(e.type()).isEqualTo("java.lang.IllegalStateException");
        assertThat(e.message()).isEqualTo("boom");
        assertThat(e.stacktrace()).startsWith("java.lang.IllegalStateException: boom")
                .contains(OutcomesTest.class.getName());
    }

    @Test
    void aVeryLongStackTraceIsTruncated() {
        Completion c = Outcomes.ofException(job(1, 3), new RuntimeException("x".repeat(20_000)), worker, NOW);
        assertThat(error(c).stacktrace()).hasSize(16_384 + "\n\t... (truncated)".length())
                .endsWith("\n\t... (truncated)");
    }

    @Test
    void aFailureOutsideTheWorkerIsRecordedWithItsType() {
        Completion c = Outcomes.failure(job(3, 3), "timeout", "ran longer than 5s", null, NOW);
        assertThat(c.state()).isEqualTo(JobState.DISCARDED);
        assertThat(error(c)).isEqualTo(new JobError(3, NOW, "timeout", "ran longer than 5s", null));
    }

    @Test
    void aBackoffThatThrowsFallsBackToTheDefault() {
        JobWorker throwing = new JobWorker() {
            @Override
            public Duration backoff(int attempt, JobError error) {
                throw new IllegalStateException("broken backoff");
            }
        };
        assertDefaultBackoff(Outcomes.of(job(2, 5), JobResult.error("x"), throwing, NOW, JSON), 2);
    }

    @Test
    void aBackoffOfNullFallsBackToTheDefault() {
        assertDefaultBackoff(Outcomes.of(job(3, 5), JobResult.error("x"), new RecordingWorker(null), NOW, JSON), 3);
    }

    @Test
    void withoutAWorkerTheDefaultBackoffApplies() {
        assertDefaultBackoff(Outcomes.failure(job(1, 5), "no-worker", "no worker for kind", null, NOW), 1);
    }

    @Test
    void aNegativeBackoffCountsAsZero() {
        Completion c = Outcomes.of(job(1, 3), JobResult.error("x"), new RecordingWorker(Duration.ofSeconds(-10)), NOW,
                JSON);
        assertThat(c.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(c.scheduledAt()).isEqualTo(NOW);
    }

    private static void assertDefaultBackoff(Completion c, int attempt) {
        long base = (long) attempt * attempt * attempt * attempt;
        assertThat(c.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(c.scheduledAt()).isBetween(NOW.plusSeconds(base), NOW.plusSeconds(base + 30));
    }

    private static ClaimedJob job(int attempt, int maxAttempts) {
        Instant inserted = NOW.minusSeconds(60);
        return new ClaimedJob(ID, "send-mail", "default", 0, "{}", "{}", List.of(), attempt, maxAttempts, null,
                inserted, inserted, NOW.minusSeconds(1));
    }

    private static JobError error(Completion c) {
        assertThat(c.errorJson()).isNotNull();
        return JsonCodec.readErrors("[" + c.errorJson() + "]").get(0);
    }

    /** Answers a fixed backoff and remembers the errors it was asked about. */
    private static final class RecordingWorker implements JobWorker {
        private final Duration backoff;
        private final List<JobError> calls = new ArrayList<>();

        RecordingWorker(Duration backoff) {
            this.backoff = backoff;
        }

        @Override
        public Duration backoff(int attempt, JobError error) {
            assertThat(attempt).isEqualTo(error.attempt());
            calls.add(error);
            return backoff;
        }
    }
}
