package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The queues page, a queue's partitions, the jobs list's orders and the overview's chart and leader, over real HTTP.
 */
@QuarkusTest
class DashboardQueuesTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Test
    void theQueuesPageListsEveryQueueWithItsControls() {
        given().get("/shigoto/queues").then().statusCode(200)
                .body(containsString("<h1>Queues</h1>"))
                .body(containsString("data-queue=\"default\""))
                .body(containsString("href=\"/shigoto/queues/holding\""));
    }

    @Test
    void aQueuesPageCountsItsJobsByPartitionMostWaitingFirst() {
        String queue = "tenants-" + UUID.randomUUID().toString().substring(0, 8);
        List<JobRequest> jobs = new ArrayList<>();
        IntStream.range(0, 30).forEach(i -> jobs.add(JobRequest.of("echo").queue(queue).partitionKey("hog")));
        IntStream.range(0, 3).forEach(i -> jobs.add(JobRequest.of("echo").queue(queue).partitionKey("small")));
        jobs.add(JobRequest.of("echo").queue(queue).partitionKey("small").scheduleIn(Duration.ofHours(1)));
        jobs.add(JobRequest.of("echo").queue(queue));
        shigoto.insertAll(jobs);

        String html = given().get("/shigoto/queues/" + queue).then().statusCode(200)
                .body(containsString("Queue <code>" + queue + "</code>")).extract().asString();
        // the scheduled job is not waiting to run yet: partitions count available and executing jobs
        assertThat(partition(html, "hog")).containsExactly(30L, 0L);
        assertThat(partition(html, "small")).containsExactly(3L, 0L);
        assertThat(partition(html, "")).containsExactly(1L, 0L);
        assertThat(html.indexOf("data-partition=\"hog\"")).isLessThan(html.indexOf("data-partition=\"small\""));
        assertThat(html).contains("href=\"/shigoto/jobs?queue=" + queue + "&amp;partition=hog\"");
    }

    @Test
    void queueCountsStopAtTheCapPerQueueWhileSmallCountsStayExact() {
        int cap = (int) DashboardReads.PAGE_COUNT_CAP;
        List<JobRequest> jobs = new ArrayList<>();
        IntStream.range(0, cap + 1).forEach(i -> jobs.add(JobRequest.of("echo").queue("backlog-big")));
        IntStream.range(0, cap + 1)
                .forEach(i -> jobs.add(JobRequest.of("echo").queue("backlog-big").scheduleIn(Duration.ofHours(1))));
        IntStream.range(0, 7).forEach(i -> jobs.add(JobRequest.of("echo").queue("backlog-small")));
        IntStream.range(0, 3)
                .forEach(i -> jobs.add(JobRequest.of("echo").queue("backlog-small").scheduleIn(Duration.ofHours(1))));
        shigoto.insertAll(jobs);
        try {
            for (String page : List.of("/shigoto", "/shigoto/queues")) {
                String html = given().get(page).then().statusCode(200).extract().asString();
                assertThat(queueCounts(html, "backlog-big")).as(page).containsExactly(cap + "+", cap + "+", "0");
                assertThat(queueCounts(html, "backlog-small")).as(page).containsExactly("7", "3", "0");
            }
        } finally {
            shigoto.deleteBy(JobFilter.all().queues("backlog-big", "backlog-small"));
        }
    }

    /** @return a queue's available, scheduled and retryable counts as shown */
    private static List<String> queueCounts(String html, String queue) {
        Matcher row = Pattern.compile("<tr data-queue=\"" + queue + "\">(.*?)</tr>", Pattern.DOTALL).matcher(html);
        assertThat(row.find()).as("row of queue '%s'", queue).isTrue();
        List<String> counts = new ArrayList<>();
        Matcher n = Pattern.compile("data-count=\"(?:available|scheduled|retryable)\"><a [^>]*>([^<]*)<")
                .matcher(row.group(1));
        while (n.find()) {
            counts.add(n.group(1));
        }
        return counts;
    }

    private static List<Long> partition(String html, String key) {
        Matcher row = Pattern.compile("<tr data-partition=\"" + key + "\">(.*?)</tr>", Pattern.DOTALL).matcher(html);
        assertThat(row.find()).as("row of partition '%s'", key).isTrue();
        List<Long> counts = new ArrayList<>();
        Matcher n = Pattern.compile("data-count=\"\\w+\">(\\d+)<").matcher(row.group(1));
        while (n.find()) {
            counts.add(Long.parseLong(n.group(1)));
        }
        return counts;
    }

    @Test
    void theJobsListSortsOldestFirstAndScheduledJobsSoonestDueFirstAcrossPages() {
        String queue = "sorted-" + UUID.randomUUID().toString().substring(0, 8);
        Instant base = Instant.now().plus(Duration.ofDays(1));
        List<JobRequest> jobs = new ArrayList<>();
        // ids grow in insert order; due times run the other way
        for (int i = 0; i < 60; i++) {
            jobs.add(JobRequest.of("echo").queue(queue).scheduledAt(base.minusSeconds(i)));
        }
        List<Long> ids = shigoto.insertAll(jobs).stream().map(JobView::id).toList();

        assertThat(walk("queue=" + queue + "&sort=oldest")).containsExactlyElementsOf(ids);
        List<Long> byDue = new ArrayList<>(ids);
        java.util.Collections.reverse(byDue);
        assertThat(walk("queue=" + queue + "&state=scheduled&sort=due")).containsExactlyElementsOf(byDue);
        List<Long> newest = new ArrayList<>(ids);
        java.util.Collections.reverse(newest);
        assertThat(walk("queue=" + queue)).containsExactlyElementsOf(newest);
    }

    /** Follows the API's next links from the first page to the last; answers every job id in order. */
    private static List<Long> walk(String query) {
        List<Long> seen = new ArrayList<>();
        String next = query;
        int pages = 0;
        while (next != null) {
            JsonPath page = given().get("/shigoto/api/jobs?" + next).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("jobs.id", Long.class));
            next = page.getString("next");
            assertThat(++pages).isLessThan(10);
        }
        return seen;
    }

    @Test
    void ordersThatWouldReadTheWholeTableAreExplained() {
        given().get("/shigoto/jobs?text=x&sort=oldest").then().statusCode(200)
                .body(containsString("an args text search lists the newest jobs first"));
        given().get("/shigoto/jobs?sort=due").then().statusCode(200)
                .body(containsString("soonest-due order lists scheduled or retryable jobs"));
        given().get("/shigoto/jobs?sort=sideways").then().statusCode(200)
                .body(containsString("unknown sort &#39;sideways&#39;"));
    }

    @Test
    void theOverviewChartsCompletedJobsAndNamesTheLeader() {
        JobView job = shigoto.insert(JobRequest.of("echo").arg("token", UUID.randomUUID().toString()));
        Jobs.awaitState(shigoto, job.id(), JobState.COMPLETED);
        // outcome counts reach the database with the node's next heartbeat
        await().atMost(Jobs.PATIENCE).until(() -> given().get("/shigoto/api/overview").then().statusCode(200)
                .extract().jsonPath().getList("throughput.completed", Long.class).stream()
                .mapToLong(Long::longValue).sum() > 0);
        JsonPath overview = given().get("/shigoto/api/overview").then().extract().jsonPath();
        assertThat(overview.getList("throughput")).hasSize(60);
        assertThat(overview.getString("leader")).isEqualTo(runtime.node());
        String html = given().get("/shigoto").then().statusCode(200).extract().asString();
        assertThat(html).contains("aria-label=\"Throughput over the last hour\"").contains("<rect class=\"ok\"")
                .contains("<span class=\"badge leader\"");
    }
}
