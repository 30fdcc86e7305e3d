package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * shigoto's meters as Prometheus scrapes them at {@code /q/metrics}. The counted jobs run in queue {@code metered},
 * which no other test uses, so the counters move by exactly what this test did.
 */
@QuarkusTest
class MetricsTest {

    private static final String QUEUE = "metered";
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{(.*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @Inject
    Shigoto shigoto;

    @Test
    void insertsOutcomesAndAttemptsAreCountedByQueueKindAndOutcome() {
        Map<String, Double> before = scripted();
        List<JobView> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(insert(Map.of("outcome", "ok"), 3));
        }
        jobs.add(insert(Map.of("outcome", "error"), 1));
        jobs.add(insert(Map.of("outcome", "error", "untilAttempt", 2), 3));
        jobs.add(insert(Map.of("outcome", "snooze", "seconds", 3600), 3));
        jobs.add(insert(Map.of("outcome", "cancel"), 3));
        try {
            Map<String, Double> expected = new HashMap<>(before);
            expected.merge("inserted", 7.0, Double::sum);
            expected.merge("completed", 4.0, Double::sum);
            expected.merge("failed", 1.0, Double::sum);
            expected.merge("discarded", 1.0, Double::sum);
            expected.merge("snoozed", 1.0, Double::sum);
            expected.merge("cancelled", 1.0, Double::sum);
            expected.merge("attempts", 8.0, Double::sum);
            expected.merge("waits", 8.0, Double::sum);
            await().atMost(Jobs.PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(
                    () -> assertThat(scripted()).isEqualTo(expected));
        } finally {
            shigoto.deleteBy(JobFilter.all().queues(QUEUE));
        }
    }

    @Test
    void jobsByStateAreGaugedPerQueueOffTheScrapePath() {
        String queue = "gauged-" + System.nanoTime();
        shigoto.insertAll(List.of(JobRequest.of("echo").queue(queue), JobRequest.of("echo").queue(queue),
                JobRequest.of("echo").queue(queue).scheduleIn(Duration.ofHours(1))));
        try {
            await().atMost(Jobs.PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                String text = scrape();
                assertThat(value(text, "shigoto_jobs_state", Map.of("queue", queue, "state", "available")))
                        .isEqualTo(2.0);
                assertThat(value(text, "shigoto_jobs_state", Map.of("queue", queue, "state", "scheduled")))
                        .isEqualTo(1.0);
            });
        } finally {
            shigoto.deleteBy(JobFilter.all().queues(queue));
        }
        await().atMost(Jobs.PATIENCE).pollInterval(Duration.ofMillis(200)).until(
                () -> value(scrape(), "shigoto_jobs_state", Map.of("queue", queue, "state", "available")) == 0.0);
    }

    @Test
    void attemptsRunningOnThisNodeAreGaugedPerQueue() {
        assertThat(value(scrape(), "shigoto_node_executing", Map.of("queue", QUEUE))).isNotNull();
        assertThat(value(scrape(), "shigoto_node_executing", Map.of("queue", "default"))).isNotNull();
    }

    private JobView insert(Map<String, Object> args, int maxAttempts) {
        return shigoto.insert(JobRequest.of(ScriptedWorker.class).queue(QUEUE).args(args).arg("token", 60)
                .maxAttempts(maxAttempts));
    }

    /** @return the scripted kind's meters in the metered queue, 0 for those not registered yet */
    private Map<String, Double> scripted() {
        String text = scrape();
        Map<String, String> tags = Map.of("queue", QUEUE, "kind", "scripted");
        Map<String, Double> values = new HashMap<>();
        values.put("inserted", orZero(value(text, "shigoto_jobs_inserted_total", tags)));
        for (String outcome : List.of("completed", "failed", "discarded", "snoozed", "cancelled")) {
            Map<String, String> withOutcome = new HashMap<>(tags);
            withOutcome.put("outcome", outcome);
            values.put(outcome, orZero(value(text, "shigoto_jobs_executed_total", withOutcome)));
        }
        values.put("attempts", orZero(value(text, "shigoto_job_execution_seconds_count", tags)));
        values.put("waits", orZero(value(text, "shigoto_job_wait_seconds_count", tags)));
        return values;
    }

    @Test
    void dashboardRequestsAreCountedByTheirPathsTemplateNotByTheIdsInThem() {
        JobView a = shigoto.insert(JobRequest.of("echo").queue("parked"));
        JobView b = shigoto.insert(JobRequest.of("echo").queue("parked"));
        try {
            for (JobView job : List.of(a, b)) {
                given().get("/shigoto/api/jobs/" + job.id()).then().statusCode(200);
                given().get("/shigoto/jobs/" + job.id()).then().statusCode(200);
                given().header("X-Requested-By", "test").queryParam("seconds", 1)
                        .post("/shigoto/api/jobs/" + job.id() + "/snooze").then().statusCode(200);
            }
            given().get("/shigoto/api/jobs/not-an-id-" + System.nanoTime()).then().statusCode(400);
            given().get("/shigoto/api/no-such-" + System.nanoTime()).then().statusCode(404);
            given().header("X-Requested-By", "test").post("/shigoto/api/queues/q" + System.nanoTime() + "/frobnicate")
                    .then().statusCode(404);
            String text = scrape();
            Pattern uri = Pattern.compile("^http_server_requests_seconds_count\\{.*uri=\"(/shigoto[^\"]*)\".*$",
                    Pattern.MULTILINE);
            List<String> uris = new ArrayList<>();
            Matcher m = uri.matcher(text);
            while (m.find()) {
                uris.add(m.group(1));
            }
            assertThat(uris).contains("/shigoto/api/jobs/{id}", "/shigoto/jobs/{id}", "/shigoto/api/jobs/{id}/snooze");
            assertThat(uris).noneMatch(u -> u.contains(String.valueOf(a.id())) || u.contains(String.valueOf(b.id()))
                    || u.contains("not-an-id") || u.contains("no-such") || u.matches(".*/q\\d+/.*"));
            assertThat(value(text, "http_server_requests_seconds_count",
                    Map.of("uri", "/shigoto/api/jobs/{id}", "status", "200"))).isGreaterThanOrEqualTo(2.0);
        } finally {
            shigoto.delete(a.id());
            shigoto.delete(b.id());
        }
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** @return the value of the sample with this name and (at least) these labels, or {@code null} */
    static Double value(String exposition, String name, Map<String, String> labels) {
        for (String line : exposition.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            Matcher label = LABEL.matcher(m.group(2));
            while (label.find()) {
                found.put(label.group(1), label.group(2));
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                return Double.parseDouble(m.group(3));
            }
        }
        return null;
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
