package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Jobs carrying megabytes (args, meta, an error message) keep the list API, the single-job API and the job page
 * small: lists answer previews, a job's fields are cut at 64 Ki characters, and the whole job is one link away.
 */
@QuarkusTest
class DashboardBigJobsTest {

    private static final int MB5 = 5 * 1024 * 1024;
    private static final int LIMIT = 65_536;

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Test
    void bigArgsMetaAndErrorsAreCutOnThePageAndInTheApiButNotInTheFullJson() throws Exception {
        String tag = "big-" + UUID.randomUUID().toString().substring(0, 8);
        String huge = "x".repeat(MB5);
        JobView a = shigoto.insert(JobRequest.of("echo").queue("parked").tags(tag).arg("blob", huge)
                .meta(Map.of("blob", huge)));
        JobView b = shigoto.insert(JobRequest.of("echo").queue("parked").tags(tag).arg("blob", huge));
        JobRows.execute(runtime.store().dataSource(), "UPDATE shigoto_jobs SET attempt = 1,"
                + " errors = jsonb_build_array(jsonb_build_object('attempt', 1, 'at', '2026-01-01T00:00:00Z',"
                + " 'type', 'boom', 'message', repeat('m', 2000000), 'stacktrace', repeat('s', 2000000))) WHERE id = ?",
                a.id());
        try {
            Response list = given().queryParam("tag", tag).get("/shigoto/api/jobs");
            list.then().statusCode(200);
            assertThat(list.asByteArray().length).as("the list API's size").isLessThan(8 * 1024);
            assertThat(list.jsonPath().getList("jobs.id", Long.class)).containsExactly(b.id(), a.id());
            assertThat(list.jsonPath().getString("jobs[0].argsPreview")).startsWith("{\"blob\":\"xxx").hasSize(80);
            assertThat(list.jsonPath().getMap("jobs[0]")).doesNotContainKeys("args", "meta", "errors", "result");

            Response one = given().get("/shigoto/api/jobs/" + a.id());
            one.then().statusCode(200);
            assertThat(one.asByteArray().length).as("the single-job API's size").isLessThan(5 * (LIMIT + 1024));
            JsonPath json = one.jsonPath();
            assertThat(json.getString("args")).startsWith("{\"blob\":\"xxx").hasSize(LIMIT + 1).endsWith("…");
            assertThat(json.getMap("truncated", String.class, Integer.class)).containsOnlyKeys("args", "meta",
                    "errors[0].message", "errors[0].stacktrace").containsEntry("args", MB5 + 11)
                    .containsEntry("errors[0].message", 2_000_000);
            assertThat(json.getString("full")).isEqualTo("/shigoto/api/jobs/" + a.id() + "?full=true");

            Response full = given().get(json.getString("full"));
            full.then().statusCode(200);
            assertThat(full.jsonPath().getString("args.blob")).hasSize(MB5);
            assertThat(full.jsonPath().getString("errors[0].message")).hasSize(2_000_000);
            assertThat(full.jsonPath().getMap("$")).doesNotContainKeys("truncated");

            Response page = given().get("/shigoto/jobs/" + a.id());
            page.then().statusCode(200);
            String html = page.asString();
            assertThat(html.length()).as("the job page's size").isLessThan(6 * (LIMIT + 1024));
            assertThat(html).contains("data-cut=\"args\"", "data-cut=\"meta\"", "data-cut=\"errors\"",
                    "href=\"/shigoto/api/jobs/" + a.id() + "?full=true\"",
                    "The first 65536 of " + String.valueOf(MB5).substring(0, 4));

            // a small job shows whole and names no excerpt
            JobView small = shigoto.insert(JobRequest.of("echo").queue("parked").arg("n", 1));
            assertThat(given().get("/shigoto/api/jobs/" + small.id()).jsonPath().getMap("$"))
                    .doesNotContainKeys("truncated", "full").containsEntry("args", Map.of("n", 1));
            assertThat(given().get("/shigoto/jobs/" + small.id()).asString()).doesNotContain("data-cut=");
            shigoto.delete(small.id());
        } finally {
            for (long id : List.of(a.id(), b.id())) {
                shigoto.delete(id);
            }
        }
    }
}
