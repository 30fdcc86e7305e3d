package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * What the dashboard's forms and JSON API do with input a client gets wrong: numbers out of range or malformed, return
 * addresses that leave the dashboard, actions the job's state forbids, more fields than the server reads. Each is
 * answered as the client's mistake (4xx, or a refusal message for forms), never a 5xx, and changes nothing.
 */
@QuarkusTest
class DashboardInputTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    /** Too big for a long, a long too big for any bound, negative, zero, not a number, empty. */
    private static final List<String> BAD_IDS = List.of("9223372036854775808", "99999999999999999999999", "-1", "0",
            "abc", "", "1.5", " ");
    private static final List<String> BAD_SECONDS = List.of("9223372036854775807", "9223372036854775808",
            "315360001", "-1", "abc", "", "1e3");
    private static final List<String> BAD_CONCURRENCY = List.of("2147483648", "9223372036854775807", "10001", "-1",
            "abc", "");

    @Inject
    Shigoto shigoto;

    private record Session(String token) {
        RequestSpecification post() {
            return given().redirects().follow(false).cookie("shigoto-csrf", token).formParam("_csrf", token);
        }
    }

    private static Session open() {
        Response page = given().get("/shigoto/jobs");
        Matcher m = TOKEN.matcher(page.asString());
        assertThat(m.find()).isTrue();
        return new Session(m.group(1));
    }

    /** @return the decoded flash and notice of an action's redirect */
    private static String flash(Response answer) {
        answer.then().statusCode(303);
        String location = URLDecoder.decode(answer.header("Location"), StandardCharsets.UTF_8);
        return location.substring(location.indexOf("flash=") + "flash=".length());
    }

    @Test
    void everyNumberOfEveryActionIsBoundedAndRefusedWithAMessage() {
        JobView job = shigoto.job(shigoto.insert(JobRequest.of("echo").queue("parked")).id()).orElseThrow();
        Session s = open();
        for (String action : List.of("cancel", "retry", "snooze", "delete")) {
            for (String bad : BAD_IDS) {
                assertThat(flash(s.post().formParam("id", bad).formParam("seconds", "60")
                        .post("/shigoto/actions/" + action))).as(action + " id=" + bad)
                        .startsWith("Not done: id must be").endsWith("&notice=refused");
                if (!bad.isBlank()) {
                    given().header("X-Requested-By", "test").queryParam("seconds", "60")
                            .post("/shigoto/api/jobs/" + bad + "/" + action).then().statusCode(400)
                            .body("error", startsWith("id must be"));
                }
            }
        }
        for (String bad : BAD_SECONDS) {
            assertThat(flash(s.post().formParam("id", job.id()).formParam("seconds", bad).post("/shigoto/actions/snooze")))
                    .as("seconds=" + bad).startsWith("Not done: seconds must be").contains("315360000");
            given().header("X-Requested-By", "test").queryParam("seconds", bad)
                    .post("/shigoto/api/jobs/" + job.id() + "/snooze").then().statusCode(400)
                    .body("error", startsWith("seconds must be"));
        }
        for (String bad : BAD_CONCURRENCY) {
            assertThat(flash(s.post().formParam("queue", "pausable").formParam("concurrency", bad)
                    .post("/shigoto/actions/scale"))).as("concurrency=" + bad).startsWith("Not done: concurrency must be");
            given().header("X-Requested-By", "test").queryParam("concurrency", bad)
                    .post("/shigoto/api/queues/pausable/scale").then().statusCode(400)
                    .body("error", containsString("concurrency must be"));
        }
        for (String action : List.of("selected-cancel", "selected-retry", "selected-delete")) {
            for (String bad : BAD_IDS) {
                assertThat(flash(s.post().formParam("id", job.id()).formParam("id", bad).post("/shigoto/actions/" + action)))
                        .as(action + " id=" + bad).startsWith("Not done: id must be");
            }
        }
        BAD_IDS.stream().filter(bad -> !bad.isBlank()).forEach(
                bad -> given().get("/shigoto/api/jobs/" + bad).then().statusCode(400).body("error", startsWith("id must be")));
        JobView after = shigoto.job(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.AVAILABLE);
        assertThat(after.scheduledAt()).isEqualTo(job.scheduledAt());

        // the bounds themselves are accepted
        assertThat(flash(s.post().formParam("id", job.id()).formParam("seconds", "0").post("/shigoto/actions/snooze")))
                .isEqualTo("Snoozed for 0 s: job " + job.id());
        given().header("X-Requested-By", "test").queryParam("seconds", "315360000")
                .post("/shigoto/api/jobs/" + job.id() + "/snooze").then().statusCode(200).body("done", equalTo(true));
        assertThat(shigoto.job(job.id()).orElseThrow().scheduledAt()).isAfter(job.scheduledAt().plusSeconds(315_000_000));
        shigoto.delete(job.id());
    }

    @Test
    void aReturnAddressThatClimbsOutOfTheDashboardFallsBackToTheOverview() {
        Session s = open();
        for (String escape : List.of("/shigoto/../q/metrics", "/shigoto/%2e%2e/q/metrics", "/shigoto/%2E%2E/q/metrics",
                "/shigoto/jobs/../../q/metrics", "/shigoto/./../q", "/shigoto/..", "/shigoto/..%2fq/metrics",
                "/shigoto\\..\\q", "/shigoto//evil.example/", "//evil.example/shigoto", "/shigotoevil",
                "https://evil.example/shigoto/jobs")) {
            JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
            s.post().formParam("id", job.id()).formParam("return", escape).post("/shigoto/actions/delete").then()
                    .statusCode(303).header("Location", startsWith("/shigoto?flash=Deleted"));
        }
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        s.post().formParam("id", job.id()).formParam("return", "/shigoto/queues/../jobs?tag=a%26b")
                .post("/shigoto/actions/delete").then().statusCode(303)
                .header("Location", startsWith("/shigoto/jobs?tag=a%26b&flash=Deleted"));
    }

    @Test
    void anActionTheJobsStateForbidsIsRefusedAlikeOnFormsAndApi() {
        JobView done = shigoto.insert(JobRequest.of("echo"));
        awaitState(shigoto, done.id(), JobState.COMPLETED);
        Session s = open();
        Map<String, String> needs = Map.of("retry", "retryable, discarded or cancelled",
                "cancel", "pending, scheduled, available, retryable or executing",
                "snooze", "pending, scheduled, available or retryable");
        needs.forEach((action, states) -> {
            String why = "job " + done.id() + " is completed; " + action + " needs a " + states + " job";
            assertThat(flash(s.post().formParam("id", done.id()).formParam("seconds", "5")
                    .formParam("return", "/shigoto/jobs/" + done.id()).post("/shigoto/actions/" + action)))
                    .isEqualTo("Not done: " + why + "&notice=refused");
            given().header("X-Requested-By", "test").queryParam("seconds", "5")
                    .post("/shigoto/api/jobs/" + done.id() + "/" + action).then().statusCode(409)
                    .body("error", equalTo(why)).body("job", equalTo((int) done.id()))
                    .body("state", equalTo("completed")).body("action", equalTo(action));
        });
        long missing = Long.MAX_VALUE;
        given().header("X-Requested-By", "test").post("/shigoto/api/jobs/" + missing + "/retry").then().statusCode(404)
                .body("error", equalTo("no job has the id " + missing)).body("action", equalTo("retry"));
        assertThat(flash(s.post().formParam("id", done.id()).formParam("id", missing).post("/shigoto/actions/selected-retry")))
                .isEqualTo("Retrying 0 of the selected jobs; refused 2 (retry needs a retryable, discarded or cancelled"
                        + " job that exists)&notice=refused");
        assertThat(flash(s.post().formParam("state", "completed").post("/shigoto/actions/bulk-cancel")))
                .isEqualTo("Not done: the filter selects completed jobs; cancel needs pending, scheduled, available,"
                        + " retryable or executing jobs&notice=refused");
        // the page the browser returns to says it was refused, styled as such
        given().queryParam("flash", "Not done: no").queryParam("notice", "refused").get("/shigoto/jobs/" + done.id())
                .then().statusCode(200).body(containsString("<p class=\"flash refused\" role=\"alert\""));
        given().queryParam("flash", "Cancelled").get("/shigoto/jobs/" + done.id()).then().statusCode(200)
                .body(containsString("<p class=\"flash\" role=\"status\""));
        assertThat(shigoto.job(done.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void moreFieldsThanTheServerReadsAreAClientMistakeNotAnError() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        Session s = open();
        List<LogRecord> errors = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() > Level.WARNING.intValue()) {
                    synchronized (errors) {
                        errors.add(record);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            RequestSpecification many = s.post();
            for (int i = 0; i < 501; i++) {
                many = many.formParam("id", job.id());
            }
            many.post("/shigoto/actions/selected-cancel").then().statusCode(400)
                    .body(containsString("max-form-fields"));
            RequestSpecification some = s.post();
            for (int i = 0; i < 201; i++) {
                some = some.formParam("id", job.id());
            }
            assertThat(flash(some.post("/shigoto/actions/selected-cancel")))
                    .startsWith("Not done: at most 200 jobs can be selected");
        } finally {
            root.removeHandler(capture);
        }
        synchronized (errors) {
            assertThat(errors).extracting(LogRecord::getMessage).isEmpty();
        }
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    }
}
