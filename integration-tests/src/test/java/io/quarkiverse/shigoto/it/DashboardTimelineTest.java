package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A job's timeline names the node and start of every attempt, not only of the latest: each attempt's error entry
 * keeps them.
 */
@QuarkusTest
class DashboardTimelineTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    /** Claims a job of a queue nobody runs as a node that vanished, started at {@code at}. */
    private void claimAs(long id, String node, Instant at) throws Exception {
        JobRows.execute(runtime.store().dataSource(), "UPDATE shigoto_jobs SET state = 'executing',"
                + " attempt = attempt + 1, attempted_at = ?, attempted_by = ? WHERE id = ?",
                java.sql.Timestamp.from(at), node, id);
    }

    private JobView awaitRescued(long id, int errors) {
        return await().atMost(Jobs.PATIENCE).until(() -> shigoto.job(id).orElseThrow(),
                j -> j.state() != JobState.EXECUTING && j.errors().size() == errors);
    }

    @Test
    void everyAttemptsRowSaysWhereAndWhenItRan() throws Exception {
        String first = "ghost-a-" + UUID.randomUUID().toString().substring(0, 8);
        String second = "ghost-b-" + UUID.randomUUID().toString().substring(0, 8);
        Instant firstStart = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        Instant secondStart = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        JobView job = shigoto.insert(JobRequest.of(ScriptedWorker.class).queue("parked").maxAttempts(5));
        claimAs(job.id(), first, firstStart);
        awaitRescued(job.id(), 1);
        claimAs(job.id(), second, secondStart);
        JobView rescued = awaitRescued(job.id(), 2);

        assertThat(rescued.attemptedBy()).isEqualTo(second);
        assertThat(rescued.errors()).extracting(JobError::node).containsExactly(first, second);
        assertThat(rescued.errors()).extracting(JobError::startedAt).containsExactly(firstStart, secondStart);
        given().get("/shigoto/jobs/" + job.id()).then().statusCode(200)
                .body(containsString("attempt 1 started on node " + first))
                .body(containsString("attempt 1 on node " + first + " ended: node-lost"))
                .body(containsString("attempt 2 started on node " + second))
                .body(containsString("attempt 2 on node " + second + " ended: node-lost"));
        given().get("/shigoto/api/jobs/" + job.id()).then().statusCode(200)
                .body("errors[0].node", equalTo(first)).body("errors[0].startedAt", equalTo(firstStart.toString()))
                .body("errors[1].node", equalTo(second));
        shigoto.delete(job.id());
    }

    @Test
    void aWorkersFailureRecordsTheNodeThatRanTheAttempt() {
        JobView job = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").maxAttempts(1));
        JobView discarded = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(discarded.errors()).singleElement().satisfies(e -> {
            assertThat(e.node()).isEqualTo(runtime.node());
            assertThat(e.startedAt()).isEqualTo(discarded.attemptedAt());
        });
    }

    @Test
    void entriesWrittenBeforeNodesWereRecordedStillRender() throws Exception {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        JobRows.execute(runtime.store().dataSource(), "UPDATE shigoto_jobs SET attempt = 1, errors = ?::jsonb"
                + " WHERE id = ?",
                "[{\"attempt\": 1, \"at\": \"2026-01-01T00:00:00Z\", \"type\": \"boom\","
                        + " \"message\": \"old\"}]",
                job.id());
        given().get("/shigoto/jobs/" + job.id()).then().statusCode(200)
                .body(containsString("attempt 1 ended: boom: old"));
        given().get("/shigoto/api/jobs/" + job.id()).then().statusCode(200).body("errors[0].node", equalTo(null));
        shigoto.delete(job.id());
    }
}
