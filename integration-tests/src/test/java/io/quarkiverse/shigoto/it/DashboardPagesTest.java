package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.store.StateCount;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard's pages over real HTTP.
 */
@QuarkusTest
class DashboardPagesTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theOverviewShowsEveryStateAndTheQueues() {
        shigoto.insert(JobRequest.of("echo").queue("parked"));
        given().get("/shigoto").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<h1>Overview</h1>"))
                .body(containsString("data-state=\"available\""))
                .body(containsString("data-state=\"cancelled\""))
                .body(containsString("data-queue=\"default\""))
                .body(containsString("data-queue=\"holding\""))
                .body(containsString("data-node=\"" + runtime.node() + "\""));
    }

    @Test
    void bigTablesAreCountedFromThePlannersStatisticsNotScanned() throws Exception {
        shigoto.insert(JobRequest.of("echo").queue("parked"));
        JobRows.execute(dataSource, "ANALYZE shigoto_jobs");
        List<StateCount> estimates = runtime.store().dashboard().estimatedStateCounts();
        assertThat(estimates).extracting(StateCount::state).containsExactly("pending", "scheduled", "available",
                "executing", "retryable", "completed", "discarded", "cancelled");
        assertThat(estimates).allSatisfy(c -> assertThat(c.estimated()).isTrue());
        assertThat(estimates.stream().mapToLong(StateCount::count).sum()).isPositive();
    }

    @Test
    void theQueueTableCountsWaitingJobsAndTheNodesRunningAttempts() {
        shigoto.insert(JobRequest.of("unique-report").arg("account", java.util.UUID.randomUUID().toString()));
        String html = given().get("/shigoto").then().statusCode(200).extract().asString();
        java.util.regex.Matcher row = java.util.regex.Pattern
                .compile("<tr data-queue=\"reports\">(.*?)</tr>", java.util.regex.Pattern.DOTALL).matcher(html);
        assertThat(row.find()).isTrue();
        java.util.regex.Matcher available = java.util.regex.Pattern
                .compile("data-count=\"available\"><a [^>]*>(\\d+)</a>").matcher(row.group(1));
        assertThat(available.find()).isTrue();
        assertThat(Long.parseLong(available.group(1))).isPositive();
        assertThat(row.group(1)).contains("data-count=\"executing\">0<");
    }
}
