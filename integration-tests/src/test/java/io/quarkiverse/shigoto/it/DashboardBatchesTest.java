package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.BatchRequest;
import io.quarkiverse.shigoto.BatchState;
import io.quarkiverse.shigoto.BatchView;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Workflow;
import io.quarkiverse.shigoto.WorkflowView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The batches and workflows pages over real HTTP: lists with their filters, a batch's counters, callbacks and
 * unfinished members, a workflow's steps and server-drawn graph, bulk retry of failed members, and bad input.
 */
@QuarkusTest
class DashboardBatchesTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Inject
    Shigoto shigoto;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static JobRequest parked() {
        return JobRequest.of("batch-member").queue(BatchTest.PARKED);
    }

    @Test
    void theListsShowBatchesAndWorkflowsApartFilteredByNameAndState() {
        String name = unique("listed");
        BatchView open = shigoto.insertBatch(BatchRequest.of(parked()).name(name + "-open").open());
        BatchView running = shigoto.insertBatch(BatchRequest.of(parked(), parked()).name(name + "-running"));
        WorkflowView flow = shigoto.insertWorkflow(Workflow.named(name + "-flow").add("only", parked()));

        given().queryParam("name", name.toUpperCase()).get("/shigoto/batches").then().statusCode(200)
                .body(containsString("data-batch=\"" + open.id() + "\""))
                .body(containsString("data-batch=\"" + running.id() + "\""))
                .body(not(containsString("data-batch=\"" + flow.id() + "\"")))
                .body(containsString("<progress max=\"100\" value=\"0\">0%</progress> 0/2"));
        given().queryParam("name", name).queryParam("state", "open").get("/shigoto/batches").then().statusCode(200)
                .body(containsString("data-batch=\"" + open.id() + "\""))
                .body(not(containsString("data-batch=\"" + running.id() + "\"")));
        given().queryParam("name", name).get("/shigoto/workflows").then().statusCode(200)
                .body(containsString("data-batch=\"" + flow.id() + "\""))
                .body(containsString("href=\"/shigoto/workflows/" + flow.id() + "\""))
                .body(not(containsString("data-batch=\"" + open.id() + "\"")));
        // a name is matched as text, not as a LIKE pattern
        given().queryParam("name", "%").get("/shigoto/batches").then().statusCode(200)
                .body(not(containsString("data-batch=\"" + open.id() + "\"")));
    }

    @Test
    void aBatchsPageShowsItsCountersCallbacksAndUnfinishedMembers() {
        BatchView batch = shigoto.insertBatch(BatchRequest.of(JobRequest.of("batch-member"), parked())
                .name(unique("detail")).onFinished(JobRequest.of("batch-callback").arg("label", "page")));
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.batch(batch.id()).orElseThrow().completed() == 1);
        long parkedId = shigoto.jobs(JobFilter.all().batch(batch.id()).states(JobState.AVAILABLE), 0, 10).get(0).id();
        given().get("/shigoto/batches/" + batch.id()).then().statusCode(200)
                .body(containsString("Batch " + batch.id()))
                .body(containsString("<span class=\"badge batch-running\">running</span>"))
                .body(containsString("1 of 2 finished"))
                .body(containsString("data-callback=\"finished\""))
                .body(containsString("data-job=\"" + parkedId + "\""))
                .body(containsString("href=\"/shigoto/jobs?batch=" + batch.id() + "\""))
                .body(containsString("data-watch=\"watch=batch&amp;id=" + batch.id() + "&amp;fp="));
        given().get("/shigoto/jobs/" + parkedId).then().statusCode(200)
                .body(containsString("<a href=\"/shigoto/batches/" + batch.id() + "\">" + batch.id() + "</a>"));
        given().queryParam("batch", batch.id()).get("/shigoto/jobs").then().statusCode(200)
                .body(containsString("data-job=\"" + parkedId + "\""));
    }

    @Test
    void aWorkflowsPageDrawsItsStepsAsALinkedGraphWithEveryNameEscaped() {
        WorkflowView flow = shigoto.insertWorkflow(Workflow.named(unique("drawn"))
                .add("fetch", parked())
                .add("<b>resize<b> & \"crop\"", parked(), Workflow.after("fetch"))
                .add("publish", parked(), Workflow.after("fetch", "<b>resize<b> & \"crop\"")));
        long publish = flow.byName().get("publish").jobId();
        String html = given().get("/shigoto/workflows/" + flow.id()).then().statusCode(200).extract().asString();
        assertThat(html).contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"workflow-graph\"")
                .contains("aria-label=\"dependency graph of 3 steps\"")
                .contains("data-step=\"&lt;b&gt;resize&lt;b&gt; &amp; &quot;crop&quot;\"")
                .doesNotContain("<b>resize<b>")
                .contains("<a href=\"/shigoto/jobs/" + publish + "\" data-step=\"publish\" data-state=\"pending\">")
                .contains("data-edge=\"fetch → publish\"");
        assertThat(count(html, "<rect class=\"node ")).isEqualTo(3);
        assertThat(count(html, "<path data-edge=")).isEqualTo(3);
        given().get("/shigoto/jobs/" + publish).then().statusCode(200)
                .body(containsString("<a href=\"/shigoto/workflows/" + flow.id() + "\">" + flow.id()
                        + "</a> · step <strong>publish</strong>"));
        given().get("/shigoto/batches/" + flow.id()).then().statusCode(200)
                .body(containsString("This batch is a workflow"));
    }

    @Test
    void theFailedMembersOfABatchAreRetriedInBulkFromItsPage() {
        BatchView batch = shigoto.insertBatch(BatchRequest.of(JobRequest.of("batch-member").arg("outcome", "fail"),
                JobRequest.of("batch-member").arg("outcome", "fail"), parked()));
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.batch(batch.id()).orElseThrow().discarded() == 2);
        String confirm = "/shigoto/jobs/confirm?action=retry&batch=" + batch.id() + "&state=discarded";
        given().get("/shigoto/batches/" + batch.id()).then().statusCode(200)
                .body(containsString(confirm));
        Response page = given().get(confirm);
        page.then().statusCode(200).body(containsString("<strong>2</strong> job(s)"))
                .body(containsString("name=\"batch\" value=\"" + batch.id() + "\""));
        Matcher m = TOKEN.matcher(page.asString());
        assertThat(m.find()).isTrue();
        given().redirects().follow(false).cookie("shigoto-csrf", page.getCookie("shigoto-csrf"))
                .formParam("_csrf", m.group(1)).formParam("batch", batch.id()).formParam("state", "discarded")
                .formParam("return", "/shigoto/batches/" + batch.id()).post("/shigoto/actions/bulk-retry").then()
                .statusCode(303);
        // retried: taken back from the counters, then discarded again by their next attempts
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.jobs(JobFilter.all()
                .batch(batch.id()).states(JobState.DISCARDED), 0, 10), l -> l.size() == 2
                        && l.stream().allMatch(j -> j.errors().size() == 2));
        assertThat(shigoto.batch(batch.id()).orElseThrow().state()).isEqualTo(BatchState.RUNNING);
    }

    @Test
    void badInputIsNamedAndUnknownBatchesAreNotFound() {
        given().queryParam("state", "sideways").get("/shigoto/batches").then().statusCode(200)
                .body(containsString("unknown state &#39;sideways&#39;: one of open, running, finished"));
        given().queryParam("name", "x".repeat(201)).get("/shigoto/workflows").then().statusCode(200)
                .body(containsString("the name filter is 201 characters long, more than 200"));
        given().queryParam("before", "soon").get("/shigoto/batches").then().statusCode(200)
                .body(containsString("before must be a batch id, a number"));
        given().queryParam("batch", "seven").get("/shigoto/jobs").then().statusCode(200)
                .body(containsString("batch must be the id of a batch or workflow, a number, not &#39;seven&#39;"));
        given().get("/shigoto/batches/-1").then().statusCode(404).body(containsString("no batch has the id -1"));
        given().get("/shigoto/workflows/nope").then().statusCode(404);
        long plain = shigoto.insertBatch(BatchRequest.of(parked())).id();
        given().get("/shigoto/workflows/" + plain).then().statusCode(404)
                .body(containsString("no workflow has the id " + plain));
        given().queryParam("watch", "batch").queryParam("id", "x").get("/shigoto/api/events").then().statusCode(400);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
