package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.ConfiguredWorker;
import io.quarkiverse.shigoto.it.workers.EchoWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every {@code @Job} option has the seed's default, a worker's options apply to its jobs, and insert-time values win.
 */
@QuarkusTest
class OptionsTest {

    @Inject
    Shigoto shigoto;

    @Inject
    JobProbe probe;

    @Test
    void aWorkerWithoutOptionsGetsTheDefaults() {
        JobView job = shigoto.insert(JobRequest.of(EchoWorker.class));
        assertThat(job.kind()).isEqualTo("echo");
        assertThat(job.queue()).isEqualTo("default");
        assertThat(job.priority()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(3);
        assertThat(job.tags()).isEmpty();
        assertThat(job.meta()).isEmpty();
        JobView stored = shigoto.job(job.id()).orElseThrow();
        assertThat(stored.queue()).isEqualTo("default");
        assertThat(stored.maxAttempts()).isEqualTo(3);
    }

    @Test
    void theWorkersOptionsApplyToItsJobsAndReachTheJobContext() {
        JobView job = shigoto.insert(JobRequest.of(ConfiguredWorker.class).meta(Map.of("origin", "test")));
        awaitState(shigoto, job.id(), JobState.COMPLETED);
        JobProbe.Seen seen = probe.seen(job.id());
        assertThat(seen.kind()).isEqualTo("configured");
        assertThat(seen.queue()).isEqualTo("configured");
        assertThat(seen.priority()).isEqualTo(5);
        assertThat(seen.maxAttempts()).isEqualTo(7);
        assertThat(seen.attempt()).isEqualTo(1);
        assertThat(seen.tags()).containsExactly("alpha", "beta");
        assertThat(seen.meta()).isEqualTo(Map.of("origin", "test"));
        assertThat(seen.node()).isNotBlank();
        assertThat(seen.thread()).startsWith("shigoto-configured-");
        // the claim sends timestamps as epoch microseconds: they arrive exactly as stored
        JobView stored = shigoto.job(job.id()).orElseThrow();
        assertThat(seen.insertedAt()).isEqualTo(stored.insertedAt());
        assertThat(seen.scheduledAt()).isEqualTo(stored.scheduledAt());
    }

    @Test
    void insertTimeValuesOverrideTheWorkersDefaults() {
        JobView job = shigoto.insert(JobRequest.of("configured").queue("default").priority(-3).maxAttempts(1)
                .tags("gamma").partitionKey("tenant-7").args(Map.of("k", "v")));
        JobView stored = shigoto.job(job.id()).orElseThrow();
        assertThat(stored.queue()).isEqualTo("default");
        assertThat(stored.priority()).isEqualTo(-3);
        assertThat(stored.maxAttempts()).isEqualTo(1);
        assertThat(stored.tags()).containsExactly("gamma");
        assertThat(stored.partitionKey()).isEqualTo("tenant-7");
        assertThat(stored.args()).isEqualTo(Map.of("k", "v"));
        awaitState(shigoto, job.id(), JobState.COMPLETED);
        JobProbe.Seen seen = probe.seen(job.id());
        assertThat(seen.queue()).isEqualTo("default");
        assertThat(seen.tags()).isEqualTo(List.of("gamma"));
    }

    @Test
    void argsArriveAsJsonValuesWithStringKeys() {
        Map<String, Object> args = Map.of("int", 1, "big", 12345678901L, "decimal", 1.5, "flag", true, "text", "é ✓",
                "list", List.of(1, "x"), "nested", Map.of("a", Map.of("b", "c")));
        JobView job = shigoto.insert(JobRequest.of(EchoWorker.class).args(args));
        awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(probe.seen(job.id()).args()).isEqualTo(args);
    }
}
