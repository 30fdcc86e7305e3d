package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.FlakyWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.it.workers.SerialWorker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Retryable and scheduled jobs become claimable when due, and not before. The original library never claimed a
 * retryable job again; here a failed job really runs again after the default backoff.
 */
@QuarkusTest
class RetryAndScheduleTest {

    @Inject
    Shigoto shigoto;

    @Inject
    JobProbe probe;

    @Inject
    MovableClock clock;

    @Test
    void aFailedJobRunsAgainAfterTheDefaultBackoff() {
        JobView job = shigoto.insert(JobRequest.of(FlakyWorker.class));
        JobView retryable = awaitState(shigoto, job.id(), JobState.RETRYABLE);
        Duration backoff = Duration.between(retryable.errors().get(0).at(), retryable.scheduledAt());
        // attempt 1: 1^4 + random(0..30) seconds; the error's time keeps nanoseconds, the stored due time is rounded
        // to microseconds
        assertThat(backoff).isBetween(Duration.ofSeconds(1).minusMillis(1), Duration.ofSeconds(31).plusMillis(1));
        assertThat(probe.runs(job.id())).isEqualTo(1);

        clock.advance(backoff.plusSeconds(1));
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(probe.runs(job.id())).isEqualTo(2);
    }

    @Test
    void aJobScheduledInTheFutureWaitsUntilItIsDue() {
        JobView later = shigoto.insert(JobRequest.of(SerialWorker.class).scheduleIn(Duration.ofHours(2)));
        assertThat(later.state()).isEqualTo(JobState.SCHEDULED);
        // a job of the same queue inserted afterwards, due now, runs first while the scheduled one keeps waiting
        JobView now = shigoto.insert(JobRequest.of(SerialWorker.class));
        awaitState(shigoto, now.id(), JobState.COMPLETED);
        assertThat(shigoto.job(later.id()).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
        assertThat(probe.runs(later.id())).isZero();

        clock.advance(Duration.ofHours(2).plusSeconds(1));
        awaitState(shigoto, later.id(), JobState.COMPLETED);
        assertThat(probe.runs(later.id())).isEqualTo(1);
    }

    @Test
    void aScheduledAtInThePastIsDueAtOnce() {
        JobView job = shigoto.insert(JobRequest.of(SerialWorker.class).scheduledAt(Instant.now().minusSeconds(60)));
        assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
        awaitState(shigoto, job.id(), JobState.COMPLETED);
    }
}
