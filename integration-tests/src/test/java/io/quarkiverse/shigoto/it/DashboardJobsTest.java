package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The jobs list and the job detail page over real HTTP.
 */
@QuarkusTest
class DashboardJobsTest {

    @Inject
    Shigoto shigoto;

    private static String token() {
        return UUID.randomUUID().toString();
    }

    @Test
    void theListFiltersByQueueTagPartitionArgsAndText() {
        String token = token();
        JobView tagged = shigoto.insert(JobRequest.of("echo").queue("parked").arg("token", token).tags("vip")
                .partitionKey("acme"));
        JobView other = shigoto.insert(JobRequest.of("echo").queue("parked").arg("token", token));
        given().queryParam("queue", "parked").queryParam("tag", "vip").queryParam("args", "{\"token\": \"" + token + "\"}")
                .get("/shigoto/jobs").then().statusCode(200)
                .body(containsString("data-job=\"" + tagged.id() + "\""))
                .body(not(containsString("data-job=\"" + other.id() + "\"")));
        given().queryParam("partition", "acme").queryParam("text", token.toUpperCase()).get("/shigoto/jobs").then()
                .statusCode(200).body(containsString("data-job=\"" + tagged.id() + "\""))
                .body(not(containsString("data-job=\"" + other.id() + "\"")));
        given().queryParam("state", "available").queryParam("text", token).get("/shigoto/jobs").then()
                .statusCode(200).body(containsString("data-job=\"" + other.id() + "\""));
    }

    @Test
    void pagesFollowEachOtherByIdWithoutGapsOrRepeats() {
        // a tag, not an args search: args searches read a window of ids, which depends on the table's size
        String tag = "page-" + UUID.randomUUID().toString().substring(0, 8);
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            requests.add(JobRequest.of("echo").queue("parked").tags(tag).arg("i", i));
        }
        List<JobView> jobs = shigoto.insertAll(requests);
        String first = given().queryParam("tag", tag).get("/shigoto/jobs").then().statusCode(200).extract()
                .asString();
        long newest = jobs.get(59).id();
        long tenth = jobs.get(9).id();
        org.assertj.core.api.Assertions.assertThat(first).contains("data-job=\"" + newest + "\"")
                .doesNotContain("data-job=\"" + tenth + "\"").contains("rel=\"next\"");
        long lastOnFirstPage = jobs.get(10).id();
        given().queryParam("tag", tag).queryParam("before", lastOnFirstPage).get("/shigoto/jobs").then()
                .statusCode(200).body(containsString("data-job=\"" + tenth + "\""))
                .body(containsString("data-job=\"" + jobs.get(0).id() + "\""))
                .body(not(containsString("data-job=\"" + lastOnFirstPage + "\"")))
                .body(not(containsString("rel=\"next\"")));
    }

    @Test
    void badFiltersAreExplainedNotFailed() {
        given().queryParam("args", "not json").get("/shigoto/jobs").then().statusCode(200)
                .body(containsString("args must be a JSON object"));
        given().queryParam("state", "sleeping").get("/shigoto/jobs").then().statusCode(200)
                .body(containsString("unknown state &#39;sleeping&#39;"));
    }

    @Test
    void theDetailShowsArgsErrorsWithStackTracesAndDependencies() {
        JobView failing = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").arg("token", 11)
                .maxAttempts(1));
        awaitState(shigoto, failing.id(), JobState.DISCARDED);
        JobView dependent = shigoto.insert(JobRequest.of("echo").queue("parked").dependsOn(failing.id()));
        given().get("/shigoto/jobs/" + failing.id()).then().statusCode(200)
                .body(containsString("Job " + failing.id()))
                .body(containsString("&quot;outcome&quot; : &quot;throw&quot;"))
                .body(containsString("scripted exception on attempt 1"))
                .body(containsString("at io.quarkiverse.shigoto.it.workers.ScriptedWorker.perform"))
                .body(containsString("href=\"/shigoto/jobs/" + dependent.id() + "\""));
        String html = given().get("/shigoto/jobs/" + failing.id()).then().extract().asString();
        // the timeline in time order: inserted, the attempt on its node, its error, the end
        assertThat(html).containsSubsequence("data-step=\"inserted\"", "data-step=\"attempt\"",
                "attempt 1 started on node ", "data-step=\"error\"",
                "attempt 1 on node ", " ended: java.lang.IllegalStateException", "data-step=\"finished\"",
                "discarded");
        given().get("/shigoto/jobs/" + Long.MAX_VALUE).then().statusCode(404);
        given().get("/shigoto/jobs/abc").then().statusCode(404);
    }

    @Test
    void theStylesheetIsServedAndUnknownAssetsAreNot() {
        given().get("/shigoto/static/shigoto.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/shigoto/static/secret.properties").then().statusCode(404);
        given().get("/shigoto").then().statusCode(200).body(containsString("/shigoto/static/shigoto.css"));
    }

    @Test
    void argsAreEscapedInPages() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked").args(Map.of("html", "<script>alert(1)</script>")));
        given().get("/shigoto/jobs/" + job.id()).then().statusCode(200)
                .body(not(containsString("<script>alert(1)</script>")));
    }

    @Test
    void aWorkersRedactionHidesArgsOnEveryPageAndInTheApi() {
        String user = "user-" + UUID.randomUUID();
        JobView job = shigoto.insert(JobRequest.of("signup").args(Map.of("user", user, "password", "hunter2")));
        given().get("/shigoto/jobs/" + job.id()).then().statusCode(200).body(containsString(user))
                .body(containsString("***")).body(not(containsString("hunter2")));
        given().queryParam("kind", "signup").get("/shigoto/jobs").then().statusCode(200)
                .body(containsString("data-job=\"" + job.id() + "\"")).body(not(containsString("hunter2")));
        given().get("/shigoto/api/jobs/" + job.id()).then().statusCode(200)
                .body(not(containsString("hunter2")));
        // only what is shown changes: the stored args keep the password
        org.assertj.core.api.Assertions.assertThat(shigoto.job(job.id()).orElseThrow().args())
                .containsEntry("password", "hunter2");
    }
}
