package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.HoldingWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Cancel, retry, snooze and delete from outside the workers, one job or by filter.
 */
@QuarkusTest
class ControlTest {

    @Inject
    Shigoto shigoto;

    @Inject
    JobProbe probe;

    @Inject
    MovableClock clock;

    @Inject
    NodeHarness runtime;

    private static String token() {
        return UUID.randomUUID().toString();
    }

    /** A job in a queue nobody runs: it stays available. */
    private JobView parked(String token, String... tags) {
        return shigoto.insert(JobRequest.of("echo").queue("parked").arg("token", token).tags(tags));
    }

    @Test
    void cancellingAWaitingJobFinishesItWithAReason() {
        JobView job = parked(token());
        assertThat(shigoto.cancel(job.id())).isTrue();
        JobView cancelled = shigoto.job(job.id()).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(cancelled.errors()).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("cancelled"));
        assertThat(shigoto.cancel(job.id())).as("already finished").isFalse();
        assertThat(shigoto.cancel(Long.MAX_VALUE)).as("no such job").isFalse();
    }

    @Test
    void cancellingAnExecutingJobInterruptsItAndIgnoresItsOutcome() {
        JobView job = shigoto.insert(JobRequest.of(HoldingWorker.class));
        awaitState(shigoto, job.id(), JobState.EXECUTING);
        await().atMost(Jobs.PATIENCE).until(() -> probe.runs(job.id()) == 1);
        Instant asked = Instant.now();
        assertThat(shigoto.cancel(job.id())).isTrue();
        await().atMost(Duration.ofSeconds(1)).until(() -> probe.wasInterrupted(job.id()));
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(1));
        assertThat(probe.sawCancellationOf(job.id())).isTrue();
        // the worker returned ok after the cancellation; the database keeps the cancellation
        JobView after = shigoto.job(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.CANCELLED);
        assertThat(after.result()).isNull();
    }

    @Test
    void aJobRunningOnAnotherNodeIsInterruptedThroughTheControlChannel() {
        Engine other = runtime.newEngine(runtime.settings("cancel-remote").withQueues(Map.of("remote-holding", 1)));
        other.start();
        try {
            JobView job = shigoto.insert(JobRequest.of(HoldingWorker.class).queue("remote-holding"));
            awaitState(shigoto, job.id(), JobState.EXECUTING);
            assertThat(shigoto.job(job.id()).orElseThrow().attemptedBy()).isEqualTo("cancel-remote");
            assertThat(shigoto.cancel(job.id())).isTrue();
            await().atMost(Duration.ofSeconds(1)).until(() -> probe.wasInterrupted(job.id()));
            assertThat(probe.sawCancellationOf(job.id())).isTrue();
            assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        } finally {
            other.stop();
        }
    }

    @Test
    void cancelByCancelsTheUnfinishedJobsWithAllTheTagsAndCountsThem() {
        String token = token();
        JobView a = parked(token, "newsletter", "weekly");
        JobView b = parked(token, "newsletter", "weekly", "de");
        JobView c = parked(token, "newsletter");
        int n = shigoto.cancelBy(JobFilter.all().tags("newsletter", "weekly").args(Map.of("token", token)));
        assertThat(n).isEqualTo(2);
        assertThat(shigoto.job(a.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(shigoto.job(b.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(shigoto.job(c.id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    void filtersCombineKindQueueStateArgsAndPartition() {
        String token = token();
        JobView tenant = shigoto.insert(JobRequest.of("echo").queue("parked").arg("token", token).partitionKey("acme"));
        parked(token);
        JobFilter filter = JobFilter.all().kinds("echo").queues("parked").states(JobState.AVAILABLE)
                .args(Map.of("token", token)).partitionKey("acme");
        assertThat(shigoto.jobs(filter, 0, 100)).extracting(JobView::id).containsExactly(tenant.id());
        assertThat(shigoto.jobs(JobFilter.all().args(Map.of("token", token)), 0, 100)).hasSize(2);
        assertThat(shigoto.jobs(JobFilter.all().args(Map.of("token", token)), tenant.id(), 100))
                .allSatisfy(j -> assertThat(j.id()).isGreaterThan(tenant.id()));
    }

    @Test
    void retryingADiscardedJobRunsItAgainWithItsWholeBudget() {
        JobView job = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").arg("token", 1)
                .maxAttempts(1));
        awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(shigoto.retry(job.id())).isTrue();
        // each retry restores the budget of one attempt: discarded again after exactly one more run
        JobView again = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(probe.runs(job.id())).isEqualTo(2);
        assertThat(again.errors()).hasSize(2);
    }

    @Test
    void retryGivesADiscardedJobAllItsAttemptsBack() {
        // fails on its first three runs, succeeds from the fourth: needs the full budget of 3 after the retry
        JobView job = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "error").arg("untilRun", 4)
                .arg("token", 2));
        awaitState(shigoto, job.id(), JobState.RETRYABLE);
        clock.advance(Duration.ofSeconds(2));
        awaitAttempt(job.id(), 2);
        clock.advance(Duration.ofSeconds(2));
        awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(shigoto.retryBy(JobFilter.all().kinds("scripted").states(JobState.DISCARDED)
                .args(Map.of("token", 2)))).isEqualTo(1);
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.attempt()).isEqualTo(4);
        assertThat(done.maxAttempts()).isEqualTo(6);
    }

    private void awaitAttempt(long id, int attempt) {
        await().atMost(Jobs.PATIENCE).until(() -> {
            JobView j = shigoto.job(id).orElseThrow();
            return j.attempt() >= attempt && j.state() != JobState.EXECUTING;
        });
    }

    @Test
    void retryDoesNothingToJobsThatHaveNotFailed() {
        JobView job = parked(token());
        assertThat(shigoto.retry(job.id())).isFalse();
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    void snoozingFromOutsidePostponesAJobWithoutUsingAnAttempt() {
        JobView job = parked(token());
        Instant before = clock.instant();
        assertThat(shigoto.snooze(job.id(), Duration.ofHours(1))).isTrue();
        JobView snoozed = shigoto.job(job.id()).orElseThrow();
        assertThat(snoozed.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(snoozed.scheduledAt()).isAfterOrEqualTo(before.plus(Duration.ofHours(1)));
        assertThat(snoozed.attempt()).isZero();
        assertThatThrownBy(() -> shigoto.snooze(job.id(), Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("negative");
    }

    @Test
    void snoozeFromOutsideTakesTheRangeAWorkersSnoozeTakes() {
        JobView job = parked(token());
        assertThat(shigoto.snooze(job.id(), Duration.ZERO)).isTrue();
        assertThat(shigoto.snooze(job.id(), JobResult.MAX_SNOOZE)).isTrue();
        assertThatThrownBy(() -> shigoto.snooze(job.id(), JobResult.MAX_SNOOZE.plusSeconds(1)))
                .isInstanceOf(InvalidJobException.class).hasMessage("snooze delay must be at most 3650 days, was"
                        + " PT87600H1S");
        assertThatThrownBy(() -> JobResult.snooze(JobResult.MAX_SNOOZE.plusSeconds(1)))
                .hasMessage("snooze delay must be at most 3650 days, was PT87600H1S");
    }

    @Test
    void deleteRemovesJobsThatAreNotExecuting() {
        String token = token();
        JobView a = parked(token, "old");
        JobView b = parked(token, "old");
        JobView running = shigoto.insert(JobRequest.of(HoldingWorker.class).arg("token", token).tags("old"));
        awaitState(shigoto, running.id(), JobState.EXECUTING);
        assertThat(shigoto.delete(a.id())).isTrue();
        assertThat(shigoto.job(a.id())).isEmpty();
        assertThat(shigoto.deleteBy(JobFilter.all().tags("old").args(Map.of("token", token)))).isEqualTo(1);
        assertThat(shigoto.job(b.id())).isEmpty();
        assertThat(shigoto.job(running.id())).isPresent();
        probe.release(running.id());
        awaitState(shigoto, running.id(), JobState.COMPLETED);
    }

    @Test
    void aBulkActionWithAnEmptyListChangesNothing() {
        String token = token();
        JobView a = parked(token, "keep");
        JobFilter noKinds = JobFilter.all().kinds(List.of()).args(Map.of("token", token));
        JobFilter noStates = JobFilter.all().states(List.of()).args(Map.of("token", token));
        assertThat(shigoto.cancelBy(noKinds)).isZero();
        assertThat(shigoto.retryBy(noStates)).isZero();
        assertThat(shigoto.deleteBy(JobFilter.all().queues(List.of()))).isZero();
        assertThat(shigoto.jobs(noKinds, 0, 100)).isEmpty();
        assertThat(shigoto.job(a.id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
        // the same job is there for a filter that names it
        assertThat(shigoto.jobs(JobFilter.all().args(Map.of("token", token)), 0, 100)).extracting(JobView::id)
                .containsExactly(a.id());
    }

    @Test
    void badFiltersAreRejectedWithTheirProblem() {
        assertThatThrownBy(() -> JobFilter.all().tags(" ")).isInstanceOf(InvalidJobException.class);
        assertThatThrownBy(() -> shigoto.cancelBy(null)).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("JobFilter.all()");
        assertThatThrownBy(() -> shigoto.jobs(JobFilter.all(), 0, 0)).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("limit");
        assertThat(shigoto.jobs(JobFilter.all().args(Map.of("token", List.of("nothing-matches"))), 0, 10)).isEmpty();
    }
}
