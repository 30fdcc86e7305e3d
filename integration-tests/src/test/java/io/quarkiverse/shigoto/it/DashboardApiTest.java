package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard's JSON API over real HTTP.
 */
@QuarkusTest
class DashboardApiTest {

    @Inject
    Shigoto shigoto;

    @Test
    void theOverviewListsEveryStateAndTheQueues() {
        given().get("/shigoto/api/overview").then().statusCode(200).contentType("application/json")
                .body("states.state", hasItem("discarded")).body("queues.name", hasItem("default"));
    }

    @Test
    void jobsAreListedFilteredAndShownOneByOne() {
        String token = UUID.randomUUID().toString();
        JobView parent = shigoto.insert(JobRequest.of("echo").queue("parked").arg("token", token).tags("api"));
        JobView child = shigoto.insert(JobRequest.of("echo").queue("parked").dependsOn(parent.id()));
        given().queryParam("args", "{\"token\":\"" + token + "\"}").get("/shigoto/api/jobs").then().statusCode(200)
                .body("jobs.size()", equalTo(1)).body("jobs[0].id", equalTo((int) parent.id()))
                .body("jobs[0].tags", hasItem("api"));
        given().get("/shigoto/api/jobs/" + parent.id()).then().statusCode(200).body("state", equalTo("available"))
                .body("dependents[0].id", equalTo((int) child.id()));
        given().get("/shigoto/api/jobs/" + Long.MAX_VALUE).then().statusCode(404);
        given().queryParam("state", "sleeping").get("/shigoto/api/jobs").then().statusCode(400)
                .body("error", equalTo("unknown state 'sleeping'"));
    }

    @Test
    void actionsNeedTheRequestedByHeader() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        given().post("/shigoto/api/jobs/" + job.id() + "/cancel").then().statusCode(403);
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
        given().header("X-Requested-By", "test").post("/shigoto/api/jobs/" + job.id() + "/cancel").then()
                .statusCode(200).body("done", equalTo(true));
        awaitState(shigoto, job.id(), JobState.CANCELLED);
        given().header("X-Requested-By", "test").post("/shigoto/api/jobs/" + job.id() + "/cancel").then()
                .statusCode(409).body("state", equalTo("cancelled"));
        given().header("X-Requested-By", "test").queryParam("concurrency", "x")
                .post("/shigoto/api/queues/pausable/scale").then().statusCode(400);
    }
}
