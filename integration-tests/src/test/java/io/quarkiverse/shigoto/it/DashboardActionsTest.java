package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The dashboard's actions over real HTTP: form posts with a CSRF token, answered with a redirect and a message.
 */
@QuarkusTest
class DashboardActionsTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Inject
    Shigoto shigoto;

    /** A page's CSRF cookie and the token of its forms. */
    record Session(String cookie, String token) {
    }

    static Session open(String path) {
        Response page = given().get(path);
        page.then().statusCode(200);
        Matcher m = TOKEN.matcher(page.asString());
        assertThat(m.find()).as("the page offers a form").isTrue();
        String cookie = page.getCookie("shigoto-csrf");
        assertThat(cookie).isEqualTo(m.group(1));
        return new Session(cookie, m.group(1));
    }

    @Test
    void cancellingFromTheJobPageRedirectsBackWithAMessage() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        Session s = open("/shigoto/jobs/" + job.id());
        given().redirects().follow(false).cookie("shigoto-csrf", s.cookie()).formParam("_csrf", s.token())
                .formParam("id", job.id()).formParam("return", "/shigoto/jobs/" + job.id())
                .post("/shigoto/actions/cancel").then().statusCode(303)
                .header("Location", containsString("/shigoto/jobs/" + job.id() + "?flash=Cancelled+job+" + job.id()));
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void actionsWithoutAValidTokenOrByGetAreRefused() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        Session s = open("/shigoto/jobs/" + job.id());
        given().formParam("id", job.id()).post("/shigoto/actions/cancel").then().statusCode(403)
                .body(containsString("CSRF"));
        given().cookie("shigoto-csrf", s.cookie()).formParam("_csrf", "forged").formParam("id", job.id())
                .post("/shigoto/actions/cancel").then().statusCode(403);
        given().cookie("shigoto-csrf", s.cookie()).header("Sec-Fetch-Site", "cross-site")
                .formParam("_csrf", s.token()).formParam("id", job.id()).post("/shigoto/actions/cancel").then()
                .statusCode(403);
        given().get("/shigoto/actions/cancel?id=" + job.id()).then().statusCode(405);
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    void aJobPageOffersOnlyTheActionsItsStateAllows() {
        JobView done = shigoto.insert(JobRequest.of("echo"));
        awaitState(shigoto, done.id(), JobState.COMPLETED);
        given().get("/shigoto/jobs/" + done.id()).then().statusCode(200)
                .body(containsString("/shigoto/actions/delete"))
                .body(not(containsString("/shigoto/actions/retry")))
                .body(not(containsString("/shigoto/actions/cancel")))
                .body(not(containsString("/shigoto/actions/snooze")));
    }

    @Test
    void bulkRetryByFilterStatesTheCountThenRetries() {
        String tag = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
        JobView a = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").arg("token", 21)
                .maxAttempts(1).tags(tag));
        JobView b = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").arg("token", 22)
                .maxAttempts(1).tags(tag));
        awaitState(shigoto, a.id(), JobState.DISCARDED);
        awaitState(shigoto, b.id(), JobState.DISCARDED);
        given().queryParam("action", "retry").queryParam("tag", tag).get("/shigoto/jobs/confirm").then()
                .statusCode(200).body(containsString("This will retry <strong>2</strong> job(s)"));
        Session s = open("/shigoto/jobs/confirm?action=retry&tag=" + tag);
        given().redirects().follow(false).cookie("shigoto-csrf", s.cookie()).formParam("_csrf", s.token())
                .formParam("tag", tag).formParam("return", "/shigoto/jobs?tag=" + tag)
                .post("/shigoto/actions/bulk-retry").then().statusCode(303)
                .header("Location", containsString("flash=Retrying+2+jobs"));
        assertThat(shigoto.job(a.id()).orElseThrow().attempt()).isGreaterThanOrEqualTo(1);
        awaitState(shigoto, a.id(), JobState.DISCARDED);
        assertThat(shigoto.job(a.id()).orElseThrow().attempt()).isEqualTo(2);
    }

    @Test
    void queuesArePausedAndResumedFromTheOverview() {
        Session s = open("/shigoto");
        given().redirects().follow(false).cookie("shigoto-csrf", s.cookie()).formParam("_csrf", s.token())
                .formParam("queue", "pausable").formParam("return", "/shigoto").post("/shigoto/actions/pause").then()
                .statusCode(303);
        assertThat(queue("pausable").paused()).isTrue();
        given().get("/shigoto").then().body(containsString("paused"));
        given().redirects().follow(false).cookie("shigoto-csrf", s.cookie()).formParam("_csrf", s.token())
                .formParam("queue", "pausable").post("/shigoto/actions/resume").then().statusCode(303)
                .header("Location", containsString("/shigoto?flash=Resumed"));
        assertThat(queue("pausable").paused()).isFalse();
    }

    @Test
    void pausingAQueueNothingConfiguresIsRefusedOnTheForm() {
        Session s = open("/shigoto");
        given().redirects().follow(false).cookie("shigoto-csrf", s.cookie()).formParam("_csrf", s.token())
                .formParam("queue", "shiping").formParam("return", "/shigoto").post("/shigoto/actions/pause").then()
                .statusCode(303).header("Location", containsString("cannot+pause+queue+%27shiping%27"));
        assertThat(shigoto.queues()).extracting(q -> q.name()).doesNotContain("shiping");
    }

    @Test
    void aReturnAddressOutsideTheDashboardIsIgnored() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        Session s = open("/shigoto/jobs/" + job.id());
        given().redirects().follow(false).cookie("shigoto-csrf", s.cookie()).formParam("_csrf", s.token())
                .formParam("id", job.id()).formParam("return", "https://evil.example/").post("/shigoto/actions/delete")
                .then().statusCode(303).header("Location", containsString("/shigoto?flash=Deleted"));
    }

    @Test
    void selectedJobsAreCancelledTogetherAndAnEmptySelectionIsExplained() {
        JobView a = shigoto.insert(JobRequest.of("echo").queue("parked"));
        JobView b = shigoto.insert(JobRequest.of("echo").queue("parked"));
        Session s = open("/shigoto/jobs");
        given().redirects().follow(false).cookie("shigoto-csrf", s.cookie()).formParam("_csrf", s.token())
                .formParam("id", a.id()).formParam("id", b.id()).formParam("return", "/shigoto/jobs")
                .post("/shigoto/actions/selected-cancel").then().statusCode(303)
                .header("Location", containsString("flash=Cancelled+2+of+the+selected+jobs"));
        assertThat(shigoto.job(a.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(shigoto.job(b.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        given().redirects().follow(false).cookie("shigoto-csrf", s.cookie()).formParam("_csrf", s.token())
                .post("/shigoto/actions/selected-retry").then().statusCode(303)
                .header("Location", containsString("flash=Not+done%3A+no+job+selected"));
    }

    private QueueView queue(String name) {
        return shigoto.queues().stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
    }
}
