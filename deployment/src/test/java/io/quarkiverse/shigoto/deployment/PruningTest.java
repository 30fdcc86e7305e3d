package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The leader prunes on its own, as configured: completed jobs go at once, discarded ones are kept.
 */
class PruningTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, Quick.class, Failing.class))
            .overrideConfigKey("quarkus.shigoto.queues.default.concurrency", "2")
            .overrideConfigKey("quarkus.shigoto.prune.completed", "0s")
            .overrideConfigKey("quarkus.shigoto.prune.discarded", "3650d")
            .overrideConfigKey("quarkus.shigoto.prune.interval", "100ms");

    @Inject
    Shigoto shigoto;

    @Test
    void completedJobsArePrunedAndDiscardedOnesKept() {
        long failing = shigoto.insert(JobRequest.of(Failing.class).maxAttempts(1)).id();
        long quick = shigoto.insert(JobRequest.of(Quick.class)).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> shigoto.job(quick).isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> shigoto.job(failing).orElseThrow().state().isFinal());
        assertThat(shigoto.job(failing)).isPresent();
    }

    @Job
    public static class Quick implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }

    @Job
    public static class Failing implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.error("always");
        }
    }
}
