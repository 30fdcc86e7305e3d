package io.quarkiverse.shigoto.it.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.EchoWorker;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkiverse.shigoto.testing.ShigotoTesting;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code quarkus.shigoto.testing=inline}: an insert runs its available jobs on the inserting thread once they are
 * committed, and answers them finished.
 */
@QuarkusTest
@TestProfile(InlineModeTest.Inline.class)
class InlineModeTest {

    /** The profile: inline mode. */
    public static class Inline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.shigoto.testing", "inline");
        }
    }

    @Inject
    Shigoto shigoto;

    @Inject
    ShigotoTesting testing;

    @Test
    void anInsertAnswersItsJobFinished() {
        JobView done = shigoto.insert(JobRequest.of(EchoWorker.class).arg("result", "inline"));
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("inline");

        JobView failed = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "error"));
        assertThat(failed.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(failed.errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("scripted failure on attempt 1"));

        List<JobView> both = shigoto.insertAll(List.of(JobRequest.of(EchoWorker.class).arg("result", 1),
                JobRequest.of(EchoWorker.class).arg("result", 2)));
        assertThat(both).extracting(JobView::state).containsExactly(JobState.COMPLETED, JobState.COMPLETED);
    }

    @Test
    void aScheduledJobWaits() {
        JobView later = shigoto.insert(JobRequest.of(EchoWorker.class).scheduleIn(Duration.ofHours(1)));
        assertThat(later.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(shigoto.job(later.id()).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
    }

    @Test
    void inTheCallersTransactionTheJobRunsOnceItCommitsAndNeverOnARollback() {
        long[] ids = new long[1];
        QuarkusTransaction.requiringNew().run(() -> {
            JobView stored = shigoto.insert(JobRequest.of(EchoWorker.class).arg("result", "after commit"));
            // inside the transaction it has not run
            assertThat(stored.state()).isEqualTo(JobState.AVAILABLE);
            ids[0] = stored.id();
        });
        // the commit returned after the job ran
        assertThat(shigoto.job(ids[0]).orElseThrow().state()).isEqualTo(JobState.COMPLETED);

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            ids[0] = shigoto.insert(JobRequest.of(EchoWorker.class)).id();
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(shigoto.job(ids[0])).isEmpty();
    }

    @Test
    void drainQueueStillRunsWhatInsertsLeftWaiting() {
        JobView later = shigoto.insert(JobRequest.of(EchoWorker.class).queue("inline-later")
                .scheduleIn(Duration.ofHours(1)));
        assertThat(testing.drainQueue("inline-later", io.quarkiverse.shigoto.testing.DrainOption.withScheduled())
                .completed()).isEqualTo(1);
        assertThat(shigoto.job(later.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }
}
