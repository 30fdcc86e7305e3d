package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.it.workers.ReactiveEchoWorker;
import io.quarkiverse.shigoto.it.workers.ReactiveHangingWorker;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OutcomesTest {

    private static final AtomicLong TOKENS = new AtomicLong(System.nanoTime());

    @Inject
    Shigoto shigoto;

    @Inject
    JobProbe probe;

    private JobView scripted(Map<String, Object> args) {
        return shigoto.insert(JobRequest.of(ScriptedWorker.class).args(args).arg("token", TOKENS.incrementAndGet()));
    }

    @Test
    void okCompletesTheJobAndStoresNoResult() {
        JobView job = scripted(Map.of("outcome", "ok"));
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.result()).isNull();
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.errors()).isEmpty();
    }

    @Test
    void okWithAResultStoresTheResultAsJson() {
        JobView job = shigoto.insert(JobRequest.of("echo").args(Map.of("result", Map.of("n", 42, "list", List.of(1, "two")))));
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.result()).isEqualTo(Map.of("n", 42, "list", List.of(1, "two")));
    }

    @Test
    void anErrorIsRetriedAfterItsBackoffAndThenCompletes() {
        JobView job = scripted(Map.of("outcome", "error", "untilAttempt", 2));
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(probe.runs(job.id())).isEqualTo(2);
        assertThat(done.errors()).hasSize(1);
        JobError error = done.errors().get(0);
        assertThat(error.attempt()).isEqualTo(1);
        assertThat(error.type()).isEqualTo("error");
        assertThat(error.message()).isEqualTo("scripted failure on attempt 1");
        assertThat(done.result()).isEqualTo("done at attempt 2");
    }

    @Test
    void aJobThatAlwaysFailsIsDiscardedAfterMaxAttemptsAndOnDiscardRunsOnce() {
        JobView job = scripted(Map.of("outcome", "throw"));
        long token = ((Number) job.args().get("token")).longValue();
        JobView discarded = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(discarded.attempt()).isEqualTo(3);
        assertThat(probe.runs(job.id())).isEqualTo(3);
        assertThat(discarded.errors()).hasSize(3).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.stacktrace()).contains("ScriptedWorker.perform");
        });
        assertThat(discarded.errors()).extracting(JobError::attempt).containsExactly(1, 2, 3);
        await().atMost(Jobs.PATIENCE).until(() -> probe.discards(token) == 1);
        assertThat(probe.discardErrorCount(token)).isEqualTo(3);
        // nothing else calls it: the job stays discarded and the count stays at one
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.DISCARDED);
        assertThat(probe.discards(token)).isEqualTo(1);
    }

    @Test
    void aSnoozeReschedulesWithoutUsingAnAttempt() {
        Instant before = Instant.now();
        JobView job = scripted(Map.of("outcome", "snooze", "seconds", 3600));
        JobView snoozed = awaitState(shigoto, job.id(), JobState.SCHEDULED);
        assertThat(snoozed.attempt()).isZero();
        assertThat(snoozed.errors()).isEmpty();
        assertThat(snoozed.scheduledAt()).isAfter(before.plus(Duration.ofMinutes(59)));
        assertThat(probe.runs(job.id())).isEqualTo(1);
    }

    @Test
    void aSnoozedJobRunsAgainWithItsAttemptBudgetIntact() {
        // snoozes on its first three runs (more than its 3 attempts would allow if snoozes used them), then completes
        JobView job = scripted(Map.of("outcome", "snooze", "seconds", 1, "untilRun", 4));
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(probe.runs(job.id())).isEqualTo(4);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.errors()).isEmpty();
    }

    @Test
    void cancelStopsTheJobForGoodWithItsReason() {
        JobView job = scripted(Map.of("outcome", "cancel"));
        JobView cancelled = awaitState(shigoto, job.id(), JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(cancelled.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("cancelled");
            assertThat(e.message()).isEqualTo("scripted cancel");
        });
        assertThat(probe.runs(job.id())).isEqualTo(1);
    }

    @Test
    void aReactiveWorkerCompletesWithItsResult() {
        JobView job = shigoto.insert(JobRequest.of(ReactiveEchoWorker.class).arg("result", "from the event loop"));
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("from the event loop");
        assertThat(probe.seen(job.id()).thread()).contains("vert.x-eventloop");
    }

    @Test
    void aFailedUniIsAFailure() {
        JobView job = shigoto.insert(JobRequest.of(ReactiveEchoWorker.class).arg("fail", true));
        JobView discarded = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(discarded.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(e.message()).isEqualTo("reactive failure");
        });
    }

    @Test
    void aReactiveAttemptPastItsTimeoutFails() {
        JobView job = shigoto.insert(JobRequest.of(ReactiveHangingWorker.class));
        JobView discarded = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(discarded.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("timeout");
            assertThat(e.message()).isEqualTo("attempt timed out after PT0.3S");
        });
    }
}
