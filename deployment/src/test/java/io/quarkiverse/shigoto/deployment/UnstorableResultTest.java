package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A finished job whose result PostgreSQL refuses must not keep the completer from writing other jobs: a NUL character
 * is caught before any SQL runs, a number beyond jsonb's range is refused by the database and stored without it.
 */
class UnstorableResultTest {

    // declared before the extension, which needs the URL; see EmbeddedDatabase for why it is started only once
    static final String JDBC_URL = EmbeddedDatabase.jdbcUrl();

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, NulResult.class, HugeNumberResult.class,
                    Plain.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .overrideConfigKey("quarkus.datasource.jdbc.url", JDBC_URL)
            .overrideConfigKey("quarkus.shigoto.queues.default.concurrency", "1")
            .setAfterAllCustomizer(EmbeddedDatabase::stop);

    @Inject
    Shigoto shigoto;

    @Test
    void aResultWithANulCharacterDoesNotStopOtherJobsFromCompleting() {
        shigoto.insert(JobRequest.of(NulResult.class));
        long plain = shigoto.insert(JobRequest.of(Plain.class)).id();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(
                () -> assertThat(shigoto.job(plain))
                        .hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.COMPLETED)));
    }

    @Test
    void aResultTheDatabaseRefusesIsStoredWithoutItAndOtherJobsGoOn() {
        long huge = shigoto.insert(JobRequest.of(HugeNumberResult.class)).id();
        long plain = shigoto.insert(JobRequest.of(Plain.class)).id();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(shigoto.job(plain).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
            JobView refused = shigoto.job(huge).orElseThrow();
            assertThat(refused.state()).isEqualTo(JobState.COMPLETED);
            assertThat(refused.result()).isNull();
            assertThat(refused.errors()).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo("unstorable-outcome");
                assertThat(e.message()).startsWith("the database refused this attempt's outcome: ");
            });
        });
    }

    @Test
    void aResultWithANulCharacterFailsTheJobWithAClearError() {
        long nul = shigoto.insert(JobRequest.of(NulResult.class).maxAttempts(1)).id();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JobView failed = shigoto.job(nul).orElseThrow();
            assertThat(failed.state()).isEqualTo(JobState.DISCARDED);
            assertThat(failed.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .isEqualTo("the job's result cannot be written as JSON: result contains the NUL character (U+0000),"
                            + " which PostgreSQL cannot store in jsonb"));
        });
    }

    /** A number whose 200,001 digits exceed what jsonb's numeric can hold: only the database can tell. */
    @Job
    public static class HugeNumberResult implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok(new BigDecimal("1e200000"));
        }
    }

    /** JSON can carry U+0000 ({@code "\u0000"}), but jsonb cannot. */
    @Job
    public static class NulResult implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok("nul\u0000byte");
        }
    }

    @Job
    public static class Plain implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
