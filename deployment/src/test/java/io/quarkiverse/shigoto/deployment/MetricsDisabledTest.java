package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application with Micrometer can leave shigoto's meters out; its jobs still run.
 */
class MetricsDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.appWith("quarkus-micrometer-registry-prometheus")
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, Ping.class))
            .overrideConfigKey("quarkus.shigoto.metrics.enabled", "false");

    @Inject
    Shigoto shigoto;

    @Test
    void theScrapeHasNoShigotoMeters() {
        long id = shigoto.insert(JobRequest.of(Ping.class)).id();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> shigoto.job(id).orElseThrow().state() == JobState.COMPLETED);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"))
                .body(not(containsString("shigoto_")));
    }

    @Job
    public static class Ping implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
