package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Rows this node cannot run (a kind from a newer release, args that are not a JSON object, a column holding what no
 * release writes, a worker that cannot be built) fail alone with a clear error, are retried with backoff and end
 * discarded; the jobs claimed with them run, and the queue keeps running.
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

    /**
     * One claim takes healthy jobs together with a bad value in every column a claim reads (the claim marks them all
     * executing first): each bad job fails alone with an error naming the column and value, the others complete.
     */
    @Test
    void badValuesInEveryClaimedColumnFailOnlyTheirOwnJobsOfTheBatch() throws Exception {
        Map<String, JobRows> bad = new LinkedHashMap<>();
        bad.put("column tags holds a NULL element: {\"a\",NULL}", bulk().tagsLiteral("{a,NULL}"));
        bad.put("column tags holds a nested array: {{\"a\",\"b\"},{\"c\",\"d\"}}", bulk().tagsLiteral("{{a,b},{c,d}}"));
        bad.put("column meta holds null, not a JSON object", bulk().metaJson("null"));
        bad.put("column meta holds [1, 2], not a JSON object", bulk().metaJson("[1, 2]"));
        bad.put("column meta holds \"text\", not a JSON object", bulk().metaJson("\"text\""));
        bad.put("column attempt holds 1001, beyond the job's 3 attempts", bulk().attempt(1000).maxAttempts(3));
        bad.put("column attempt holds 2147483647, the largest integer", bulk().attempt(Integer.MAX_VALUE));
        bad.put("this worker cannot be built", bulk().kind("unbuildable"));
        List<JobRows> rows = new ArrayList<>(bad.values());
        for (int i = 0; i < 8; i++) {
            rows.add(bulk());
        }
        // an attempt budget beyond the integer range is only large
        rows.add(bulk().attemptBase(Integer.MAX_VALUE).maxAttempts(Integer.MAX_VALUE));
        List<Long> ids = JobRows.insertTogether(dataSource, rows);

        List<String> expected = new ArrayList<>(bad.keySet());
        for (int i = 0; i < expected.size(); i++) {
            long id = ids.get(i);
            String text = expected.get(i);
            JobView discarded = awaitState(shigoto, id, JobState.DISCARDED);
            assertThat(discarded.errors()).as(text).singleElement().satisfies(e -> {
                if (text.startsWith("column ")) {
                    assertThat(e.type()).isEqualTo("invalid-row");
                    assertThat(e.message()).contains(text);
                } else {
                    assertThat(e.type()).isEqualTo("start-failed");
                    assertThat(e.message()).startsWith("attempt 1 could not start on node ");
                    assertThat(e.stacktrace()).contains(text);
                }
            });
        }
        List<Instant> claimedAt = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            JobView job = awaitState(shigoto, ids.get(i), i < expected.size() ? JobState.DISCARDED : JobState.COMPLETED);
            if (job.attemptedAt() != null) {
                claimedAt.add(job.attemptedAt());
            }
        }
        // all but the row no claim can take were claimed by one claim
        assertThat(claimedAt).hasSize(ids.size() - 1).containsOnly(claimedAt.get(0));
    }

    private JobRows bulk() {
        return JobRows.in(dataSource).kind("echo").queue("bulk").maxAttempts(1);
    }
}
