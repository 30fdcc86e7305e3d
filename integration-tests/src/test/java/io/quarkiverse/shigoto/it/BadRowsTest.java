package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Rows this node cannot run (a kind from a newer release, args that are not a JSON object) fail alone with a clear
 * error, are retried with backoff and end discarded; the queue keeps running.
 */
@QuarkusTest
class BadRowsTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Shigoto shigoto;

    @Inject
    MovableClock clock;

    @Test
    void aKindNoWorkerKnowsIsRetriedThenDiscarded() throws Exception {
        long id = JobRows.in(dataSource).kind("from-a-newer-release").maxAttempts(2).insert();
        JobView retryable = awaitState(shigoto, id, JobState.RETRYABLE);
        JobError first = retryable.errors().get(0);
        assertThat(first.type()).isEqualTo("no-worker");
        assertThat(first.message()).startsWith("no worker for kind 'from-a-newer-release' on node ")
                .contains("known kinds: ").contains("echo");
        assertThat(retryable.scheduledAt()).isAfter(first.at());

        clock.advance(Duration.ofSeconds(32));
        JobView discarded = awaitState(shigoto, id, JobState.DISCARDED);
        assertThat(discarded.attempt()).isEqualTo(2);
        assertThat(discarded.errors()).extracting(JobError::type).containsExactly("no-worker", "no-worker");
        // the queue still runs other jobs
        long ok = JobRows.in(dataSource).kind("echo").insert();
        awaitState(shigoto, ok, JobState.COMPLETED);
    }

    @Test
    void argsThatAreNotAJsonObjectFailThatJobOnly() throws Exception {
        long id = JobRows.in(dataSource).kind("echo").argsJson("[1, 2, 3]").maxAttempts(1).insert();
        JobView discarded = awaitState(shigoto, id, JobState.DISCARDED);
        assertThat(discarded.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("invalid-args");
            assertThat(e.message()).isEqualTo("args of job " + id + " cannot be read: expected a JSON object, found [1, 2, 3]");
        });
    }

    @Test
    void argsNestedDeeperThanTheParserAllowsFailThatJobOnly() throws Exception {
        String deep = "{\"a\": " + "[".repeat(2_000) + "]".repeat(2_000) + "}";
        long id = JobRows.in(dataSource).kind("echo").argsJson(deep).maxAttempts(1).insert();
        JobView discarded = awaitState(shigoto, id, JobState.DISCARDED);
        assertThat(discarded.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("invalid-args");
            assertThat(e.message()).startsWith("args of job " + id + " cannot be read: ").containsIgnoringCase("depth");
        });
    }
}
