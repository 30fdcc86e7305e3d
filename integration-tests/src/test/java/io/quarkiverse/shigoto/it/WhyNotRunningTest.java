package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.DependencyFailure;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.HoldingWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * "Why is this job not running?" on the job page, each reason brought about for real and read back from the page:
 * the facts come from the database the claim decides by (the decision itself is covered reason by reason in
 * {@code WhyWaitingTest}).
 */
@QuarkusTest
class WhyNotRunningTest {

    private static final Pattern REASON = Pattern.compile("<li data-reason=\"([a-z-]+)\">([^<]*)");

    @Inject
    Shigoto shigoto;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    JobProbe probe;

    @Inject
    NodeHarness runtime;

    /** @return the page's reasons, code to text, in order */
    static Map<String, String> reasons(long id) {
        String html = given().get("/shigoto/jobs/" + id).then().statusCode(200).extract().asString();
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = REASON.matcher(html);
        while (m.find()) {
            found.put(m.group(1), m.group(2).trim().replace("&#39;", "'"));
        }
        return found;
    }

    static String queue(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aJobInAQueueNoLiveNodeRunsSaysSo() {
        String queue = queue("why-nobody");
        JobView job = shigoto.insert(JobRequest.of("echo").queue(queue));
        assertThat(reasons(job.id())).containsOnlyKeys("no-node");
        assertThat(reasons(job.id()).get("no-node")).startsWith("No live node runs queue '" + queue + "'");
        // the API answers the same reasons
        given().get("/shigoto/api/jobs/" + job.id()).then().statusCode(200)
                .body("waiting.code", org.hamcrest.Matchers.contains("no-node"));
        shigoto.delete(job.id());
    }

    @Test
    void aJobInAPausedQueueSaysItIsPaused() {
        // a configured queue no node runs (a queue must be known to be paused)
        String queue = "parked";
        shigoto.pauseQueue(queue);
        try {
            JobView job = shigoto.insert(JobRequest.of("echo").queue(queue));
            assertThat(reasons(job.id()).keySet()).containsExactly("paused", "no-node");
            shigoto.delete(job.id());
        } finally {
            shigoto.resumeQueue(queue);
        }
    }

    @Test
    void aScheduledJobSaysWhenItIsDue() {
        JobView job = shigoto.insert(JobRequest.of("workflow-step").scheduleIn(Duration.ofHours(2)));
        Map<String, String> reasons = reasons(job.id());
        assertThat(reasons).containsOnlyKeys("scheduled");
        assertThat(reasons.get("scheduled"))
                .startsWith("Due at " + shigoto.job(job.id()).orElseThrow().scheduledAt() + " (in ");
        shigoto.delete(job.id());
    }

    @Test
    void aPendingJobNamesTheDependencyItWaitsForAndAHeldOneTheFailedOne() {
        JobView parked = shigoto.insert(JobRequest.of("echo").queue(BatchTest.PARKED));
        JobView waiting = shigoto.insert(JobRequest.of("workflow-step").dependsOn(parked.id()));
        String html = given().get("/shigoto/jobs/" + waiting.id()).then().statusCode(200).extract().asString();
        assertThat(reasons(waiting.id()).get("dependencies")).isEqualTo("Waits for 1 of its 1 dependencies to"
                + " complete.");
        assertThat(html).contains("<a href=\"/shigoto/jobs/" + parked.id() + "\">job " + parked.id() + "</a> available");

        JobView failed = shigoto.insert(JobRequest.of("workflow-step").arg("outcome", "fail"));
        Jobs.awaitState(shigoto, failed.id(), JobState.DISCARDED);
        JobView held = shigoto.insert(JobRequest.of("workflow-step").dependsOn(failed.id())
                .onDependencyFailure(DependencyFailure.HOLD));
        assertThat(reasons(held.id())).containsOnlyKeys("held");
        assertThat(given().get("/shigoto/jobs/" + held.id()).asString())
                .contains("<a href=\"/shigoto/jobs/" + failed.id() + "\">job " + failed.id() + "</a> discarded");
        shigoto.delete(held.id());
        shigoto.delete(waiting.id());
        shigoto.delete(parked.id());
    }

    @Test
    void aJobBehindBusySlotsSaysTheSlotsAreFullAndHowManyAreAhead() {
        String queue = queue("why-slots");
        Engine other = runtime.newEngine(runtime.settings(queue + "-node").withQueues(Map.of(queue, 1)));
        other.start();
        List<Long> jobs = new ArrayList<>();
        try {
            JobView running = shigoto.insert(JobRequest.of(HoldingWorker.class).queue(queue));
            jobs.add(running.id());
            Jobs.awaitState(shigoto, running.id(), JobState.EXECUTING);
            JobView first = shigoto.insert(JobRequest.of(HoldingWorker.class).queue(queue));
            JobView second = shigoto.insert(JobRequest.of(HoldingWorker.class).queue(queue));
            jobs.add(first.id());
            jobs.add(second.id());
            assertThat(reasons(second.id())).containsOnlyKeys("slots-full");
            assertThat(reasons(second.id()).get("slots-full")).isEqualTo("All 1 slots of queue '" + queue
                    + "' on 1 live node(s) are busy; 1 available job(s) are ahead of it.");
            assertThat(reasons(running.id())).as("an executing job is not waiting").isEmpty();
        } finally {
            jobs.forEach(probe::release);
            other.stop();
            jobs.forEach(shigoto::cancel);
        }
    }

    @Test
    void aFullConcurrencyOrRateLimitOfTheKindIsCountedAsTheClaimCountsIt() throws SQLException {
        String queue = queue("why-limited");
        String node = shigoto.queues().stream().flatMap(q -> q.nodes().keySet().stream()).findFirst().orElseThrow();
        try {
            // two attempts of the kind executing on a live node, as the limited claim counts them
            for (int i = 0; i < 2; i++) {
                JobRows.execute(dataSource, "INSERT INTO shigoto_jobs (kind, queue, state, attempt, attempted_at,"
                        + " attempted_by, limit_key) VALUES ('concurrency-limited', ?, 'executing', 1, now(), ?,"
                        + " 'concurrency-limited')", queue, node);
            }
            JobView limited = shigoto.insert(JobRequest.of("concurrency-limited").queue(queue));
            assertThat(reasons(limited.id()).get("concurrency-limit")).isEqualTo("The concurrency limit of kind"
                    + " 'concurrency-limited' is full: 2 of 2 execute across the cluster.");

            // five attempts started within the rate window: an hour ahead of shigoto's clock (which other tests move),
            // so the window cannot pass them
            java.sql.Timestamp ahead = java.sql.Timestamp.from(runtime.clock().instant().plus(Duration.ofHours(1)));
            for (int i = 0; i < 5; i++) {
                JobRows.execute(dataSource, "INSERT INTO shigoto_jobs (kind, queue, state, attempt, attempted_at,"
                        + " finished_at, limit_key) VALUES ('rate-limited', ?, 'completed', 1, ?, now(),"
                        + " 'rate-limited')", queue, ahead);
            }
            JobView rated = shigoto.insert(JobRequest.of("rate-limited").queue(queue));
            assertThat(reasons(rated.id()).get("rate-limit")).isEqualTo("The rate limit of kind 'rate-limited' is"
                    + " reached: 5 attempts started in the last 1s, the limit is 5.");
        } finally {
            JobRows.execute(dataSource, "DELETE FROM shigoto_jobs WHERE queue = ?", queue);
        }
    }
}
