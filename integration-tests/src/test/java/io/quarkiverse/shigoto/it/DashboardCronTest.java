package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntry;
import io.quarkiverse.shigoto.runtime.maintenance.CronScheduler;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard's cron page and its JSON over real HTTP, after a run of the configured entry {@code nightly-echo}.
 */
@QuarkusTest
class DashboardCronTest {

    @Inject
    NodeHarness runtime;

    @Test
    void theCronPageAndApiShowEveryEntryWithItsLastAndNextRun() throws Exception {
        // 03:00 in Berlin on 2045-01-02 is 02:00Z; no other test runs this entry
        CronEntry nightly = runtime.cron().all().stream().filter(e -> e.name().equals("nightly-echo")).findFirst()
                .orElseThrow();
        CronScheduler scheduler = new CronScheduler(runtime.store().cron(), runtime.catalog(), List.of(nightly),
                runtime.clock(), () -> true, id -> {
                });
        assertThat(scheduler.tick(Instant.parse("2045-01-02T02:00:10Z"))).isEqualTo(1);

        given().get("/shigoto/api/cron").then().statusCode(200).contentType("application/json")
                .body("entries.name", hasItems("cron-report", "nightly-echo", "paused-echo"))
                .body("entries.find { it.name == 'nightly-echo' }.schedule", equalTo("0 3 * * *"))
                .body("entries.find { it.name == 'nightly-echo' }.timezone", equalTo("Europe/Berlin"))
                .body("entries.find { it.name == 'nightly-echo' }.queue", equalTo("parked"))
                .body("entries.find { it.name == 'nightly-echo' }.lastRunAt", equalTo("2045-01-02T02:00:00Z"))
                .body("entries.find { it.name == 'nightly-echo' }.lastJobId", notNullValue())
                .body("entries.find { it.name == 'nightly-echo' }.nextRunAt", equalTo("2045-01-03T02:00:00Z"))
                .body("entries.find { it.name == 'paused-echo' }.enabled", equalTo(false))
                .body("entries.find { it.name == 'paused-echo' }.nextRunAt", nullValue());

        given().get("/shigoto/cron").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<h1>Cron</h1>"))
                .body(containsString("aria-current=\"page\">Cron</a>"))
                .body(containsString("data-cron=\"nightly-echo\""))
                .body(containsString("2045-01-02T02:00:00Z"))
                .body(containsString("data-cron=\"cron-report\""))
                .body(containsString("<code>@yearly</code>"))
                .body(containsString("disabled"));
    }
}
