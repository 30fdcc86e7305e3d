package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.it.workers.SerialWorker;
import io.quarkiverse.shigoto.it.workers.SleepyWorker;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TimeoutAndPriorityTest {

    @Inject
    Shigoto shigoto;

    @Inject
    JobProbe probe;

    @Test
    void anAttemptPastItsTimeoutFailsAndItsThreadIsInterrupted() {
        JobView job = shigoto.insert(JobRequest.of(SleepyWorker.class).arg("millis", 60_000));
        JobView discarded = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(discarded.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("timeout");
            assertThat(e.message()).isEqualTo("attempt timed out after PT0.5S");
        });
        await().atMost(Jobs.PATIENCE).until(() -> probe.wasInterrupted(job.id()));
    }

    @Test
    void anAttemptWithinItsTimeoutCompletes() {
        JobView job = shigoto.insert(JobRequest.of(SleepyWorker.class).arg("millis", 10));
        awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(probe.wasInterrupted(job.id())).isFalse();
    }

    @Test
    void higherPriorityIsClaimedFirstThenOlderScheduledTime() {
        // one transaction makes all of them visible at once to the single-slot queue
        List<JobRequest> requests = new ArrayList<>();
        int[] priorities = { 0, 3, -2, 3, 9, 0 };
        for (int p : priorities) {
            requests.add(JobRequest.of(SerialWorker.class).priority(p));
        }
        List<JobView> jobs = shigoto.insertAll(requests);
        jobs.forEach(j -> awaitState(shigoto, j.id(), JobState.COMPLETED));
        List<Long> ids = jobs.stream().map(JobView::id).toList();
        List<Long> ran = probe.order().stream().filter(ids::contains).toList();
        assertThat(ran).containsExactly(ids.get(4), ids.get(1), ids.get(3), ids.get(0), ids.get(5), ids.get(2));
    }
}
