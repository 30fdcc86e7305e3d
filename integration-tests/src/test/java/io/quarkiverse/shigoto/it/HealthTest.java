package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.store.Migrator;
import io.quarkus.test.junit.QuarkusTest;

/**
 * shigoto's readiness and liveness checks over real HTTP, against the real database.
 */
@QuarkusTest
class HealthTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Test
    void readyWithTheSchemaVersionAndJobsByQueueAndState() {
        String queue = "health-" + System.nanoTime();
        shigoto.insertAll(List.of(JobRequest.of("echo").queue(queue), JobRequest.of("echo").queue(queue)));
        try {
            Map<String, Object> data = shigotoCheck("/q/health/ready");
            assertThat(data).containsEntry("schema", "public")
                    .containsEntry("schema-version", Migrator.latestVersion())
                    .containsEntry("expected-version", Migrator.latestVersion())
                    .containsEntry("queue." + queue + ".available", 2)
                    .containsEntry("queue." + queue + ".executing", 0)
                    .containsKeys("queue.default.available", "queue.default.scheduled", "queue.default.retryable",
                            "queue.default.executing", "stuck-jobs");
        } finally {
            shigoto.deleteBy(JobFilter.all().queues(queue));
        }
    }

    @Test
    void liveWithEveryProducerOfThisNodeAlive() {
        Map<String, Object> data = shigotoCheck("/q/health/live");
        assertThat(data).containsEntry("node", runtime.node()).containsEntry("queue.default", "alive")
                .containsEntry("queue.noop", "alive").containsKey("queue.default.executing");
    }

    @Test
    void theOverallHealthIsUp() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("shigoto"));
    }

    /** @return the data of shigoto's check in a health group, after checking its status is UP */
    static Map<String, Object> shigotoCheck(String path) {
        Map<String, Object> check = given().get(path).then().statusCode(200).extract().jsonPath()
                .getMap("checks.find { it.name == 'shigoto' }");
        assertThat(check).as("shigoto's check in %s", path).isNotNull().containsEntry("status", "UP");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) check.get("data");
        return data;
    }
}
