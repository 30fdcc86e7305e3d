package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobProgressed;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.HoldingWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ProgressTest {

    @Inject
    Shigoto shigoto;

    @Inject
    JobProbe probe;

    @Inject
    ProgressEvents events;

    /** Collects the progress events of the application. */
    @Singleton
    static class ProgressEvents {
        final Set<JobProgressed> seen = ConcurrentHashMap.newKeySet();

        void on(@Observes JobProgressed event) {
            seen.add(event);
        }
    }

    @Test
    void progressReportedInsideTheWorkerIsStoredWhileItRunsAndWithItsOutcome() {
        JobView job = shigoto.insert(JobRequest.of(HoldingWorker.class).arg("progress", 40).arg("finalProgress", 100));
        await().atMost(Jobs.PATIENCE).until(() -> Integer.valueOf(40).equals(shigoto.job(job.id()).orElseThrow().progress()));
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.EXECUTING);
        await().atMost(Jobs.PATIENCE).until(() -> events.seen.contains(new JobProgressed(job.id(), 40)));
        probe.release(job.id());
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.progress()).isEqualTo(100);
    }

    @Test
    void progressFromOutsideIsStoredForUnfinishedJobsOnly() {
        JobView parked = shigoto.insert(JobRequest.of("echo").queue("parked"));
        assertThat(shigoto.reportProgress(parked.id(), 30)).isTrue();
        assertThat(shigoto.job(parked.id()).orElseThrow().progress()).isEqualTo(30);
        assertThat(events.seen).contains(new JobProgressed(parked.id(), 30));
        shigoto.cancel(parked.id());
        assertThat(shigoto.reportProgress(parked.id(), 60)).isFalse();
        assertThat(shigoto.job(parked.id()).orElseThrow().progress()).isEqualTo(30);
    }

    @Test
    void progressOutOfRangeIsRejectedWithTheValue() {
        assertThatThrownBy(() -> shigoto.reportProgress(1, 101)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("101");
        JobView job = shigoto.insert(JobRequest.of(HoldingWorker.class).arg("progress", -5));
        JobView failed = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(failed.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(e.message()).contains("-5");
        });
    }
}
