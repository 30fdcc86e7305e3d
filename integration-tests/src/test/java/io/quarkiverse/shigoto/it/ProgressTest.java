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

import io.quarkiverse.shigoto.JobEvent;
import io.quarkiverse.shigoto.JobFilter;
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

    /** Collects the progress events of the application, and what what an observer of every event gets of them. */
    @Singleton
    static class ProgressEvents {
        final Set<JobProgressed> seen = ConcurrentHashMap.newKeySet();
        final Set<JobProgressed> all = ConcurrentHashMap.newKeySet();

        void on(@Observes JobProgressed event) {
            seen.add(event);
        }

        void onAny(@Observes JobEvent event) {
            if (event instanceof JobProgressed p) {
                all.add(p);
            }
        }
    }

    @Test
    void aJobNobodyReportedProgressForIsAtZero() {
        JobView parked = shigoto.insert(JobRequest.of("echo").queue("parked"));
        assertThat(parked.progress()).isZero();
        assertThat(shigoto.job(parked.id()).orElseThrow().progress()).isZero();
        assertThat(shigoto.jobs(JobFilter.all().queues("parked"), parked.id() - 1, 1)).singleElement()
                .satisfies(v -> assertThat(v.progress()).isZero());
    }

    @Test
    void progressReportedInsideTheWorkerIsStoredWhileItRunsAndWithItsOutcome() {
        JobView job = shigoto.insert(JobRequest.of(HoldingWorker.class).arg("progress", 40).arg("finalProgress", 100));
        await().atMost(Jobs.PATIENCE).until(() -> Integer.valueOf(40).equals(shigoto.job(job.id()).orElseThrow().progress()));
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.EXECUTING);
        String node = shigoto.job(job.id()).orElseThrow().attemptedBy();
        JobProgressed expected = new JobProgressed(job.id(), "holding", "holding", 1, node, 40);
        await().atMost(Jobs.PATIENCE).until(() -> events.seen.contains(expected));
        assertThat(events.all).contains(expected);
        probe.release(job.id());
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.progress()).isEqualTo(100);
    }

    @Test
    void progressFromOutsideIsStoredForUnfinishedJobsOnly() {
        JobView parked = shigoto.insert(JobRequest.of("echo").queue("parked"));
        assertThat(shigoto.reportProgress(parked.id(), 30)).isTrue();
        assertThat(shigoto.job(parked.id()).orElseThrow().progress()).isEqualTo(30);
        assertThat(events.seen).contains(new JobProgressed(parked.id(), "echo", "parked", 0, null, 30));
        assertThat(events.all).contains(new JobProgressed(parked.id(), "echo", "parked", 0, null, 30));
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
