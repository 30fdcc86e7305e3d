package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.CircuitBreaker;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.RateLimit;
import io.quarkiverse.shigoto.ReactiveWorker;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.Worker;
import io.quarkiverse.shigoto.runtime.store.KindLimit;
import io.quarkiverse.shigoto.runtime.worker.BreakerSpec;
import io.quarkiverse.shigoto.runtime.worker.UniqueSpec;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

/**
 * A valid application boots: its workers are discovered with their options, and their jobs run.
 */
class ValidWorkersTest {

    // declared before the extension, which needs the URL; see EmbeddedDatabase for why it is started only once
    static final String JDBC_URL = EmbeddedDatabase.jdbcUrl();

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(
                    jar -> jar.addClasses(EmbeddedDatabase.class, SendMail.class, Cleanup.class, ResizeImage.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .overrideConfigKey("quarkus.datasource.jdbc.url", JDBC_URL)
            // not an @AfterAll method: that would run before the application stops, and on its copy of this class
            .setAfterAllCustomizer(EmbeddedDatabase::stop);

    @Inject
    WorkerCatalog catalog;

    @Inject
    Shigoto shigoto;

    @Test
    void everyWorkerIsDiscoveredWithItsOptionsSortedByKind() {
        assertThat(catalog.all()).containsExactly(
                new WorkerDefinition("Cleanup", Cleanup.class.getName(), "default", 0, 3, 30_000, List.of(), false,
                        new UniqueSpec(0b101, List.of("table"), 0b101, 300, 0b10, 5_000), List.of(), 0, 0, 0, null, null, null,
                        false, null, false),
                new WorkerDefinition("SendMail", SendMail.class.getName(), "default", 0, 3, 300_000, List.of(), false,
                        null, List.of(), 0, 0, 0, null, null, null, false, null, false),
                new WorkerDefinition("image.resize", ResizeImage.class.getName(), "images", 10, 5, 60_000,
                        List.of("media", "slow"), true, null, List.of(), 4, 100, 60_000, "0  4 * * SUN",
                        "Europe/Berlin", null, false, new BreakerSpec(10, 0.3, 60_000, 2), false));
    }

    @Test
    void limitedKindsAreListedWithTheirLimits() {
        assertThat(catalog.limits()).containsExactly(new KindLimit("image.resize", 4, 100, 60_000));
    }

    @Test
    void aJobOfABlockingWorkerCompletes() {
        awaitCompleted(shigoto.insert(JobRequest.of(SendMail.class).arg("to", "ada@example.com")).id());
    }

    @Test
    void aJobOfAReactiveWorkerCompletes() {
        awaitCompleted(shigoto.insert(JobRequest.of("image.resize")).id());
    }

    private void awaitCompleted(long id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(
                () -> assertThat(shigoto.job(id)).hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.COMPLETED)));
    }

    @Job
    public static class SendMail implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }

    @Job(timeout = "PT30S")
    @Unique(argsKeys = "table", states = { JobState.PENDING,
            JobState.AVAILABLE }, period = "5m", replace = Unique.Replace.PRIORITY, debounce = "5s")
    public static class Cleanup implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }

    @Job(kind = "image.resize", queue = "images", priority = 10, maxAttempts = 5, timeout = "1m", tags = { "media",
            "slow" }, concurrency = 4, cron = " 0  4 * * SUN ", cronTimezone = "Europe/Berlin")
    @RateLimit(limit = 100, per = "1m")
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.3, delay = "1m", successThreshold = 2)
    public static class ResizeImage implements ReactiveWorker {
        @Override
        public Uni<JobResult> perform(Map<String, Object> args) {
            return Uni.createFrom().item(JobResult.ok());
        }
    }
}
