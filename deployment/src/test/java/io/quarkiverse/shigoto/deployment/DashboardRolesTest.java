package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * With roles-allowed set, every page and action needs an authenticated caller with one of the roles.
 */
class DashboardRolesTest {

    /** Every route that takes a post, with a body as a browser or script would send it. */
    private static final List<String> POSTS = List.of("actions/cancel", "actions/retry", "actions/snooze",
            "actions/delete", "actions/bulk-cancel", "actions/bulk-retry", "actions/bulk-delete",
            "actions/selected-cancel", "actions/selected-retry", "actions/selected-delete", "actions/pause",
            "actions/resume", "actions/scale", "actions/no-such-action", "api/jobs/1/cancel", "api/jobs/1/retry",
            "api/jobs/1/delete", "api/jobs/1/snooze?seconds=5", "api/queues/default/pause",
            "api/queues/default/resume", "api/queues/default/scale?concurrency=2", "", "jobs", "jobs/1");

    /** Every other route, read with a get. */
    private static final List<String> GETS = List.of("", "jobs", "jobs/1", "queues", "cron", "api/overview",
            "api/jobs", "api/events?watch=overview");

    // with Quarkus REST, a request failed with a security exception over HTTP/2 after its body was read answered 500
    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.appWith("quarkus-rest")
            .overrideConfigKey("quarkus.shigoto.dashboard.roles-allowed", "ops")
            .overrideConfigKey("quarkus.http.auth.basic", "true")
            .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
            .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
            .overrideConfigKey("quarkus.security.users.embedded.users.ada", "ada-secret")
            .overrideConfigKey("quarkus.security.users.embedded.roles.ada", "ops")
            .overrideConfigKey("quarkus.security.users.embedded.users.bob", "bob-secret")
            .overrideConfigKey("quarkus.security.users.embedded.roles.bob", "sales");

    @TestHTTPResource("/shigoto/")
    URL dashboard;

    @Test
    void pagesNeedOneOfTheRoles() {
        given().get("/shigoto").then().statusCode(401);
        given().auth().preemptive().basic("bob", "bob-secret").get("/shigoto/jobs").then().statusCode(403);
        given().auth().preemptive().basic("ada", "ada-secret").get("/shigoto").then().statusCode(200);
        given().auth().preemptive().basic("ada", "ada-secret").get("/shigoto/jobs").then().statusCode(200);
    }

    @Test
    void actionsNeedOneOfTheRoles() {
        given().formParam("queue", "default").post("/shigoto/actions/pause").then().statusCode(401);
        given().auth().preemptive().basic("bob", "bob-secret").formParam("queue", "default")
                .post("/shigoto/actions/pause").then().statusCode(403);
    }

    @Test
    void everyRouteRefusesWith401Or403OverHttp11AndH2c() throws Exception {
        for (HttpClient.Version version : HttpClient.Version.values()) {
            HttpClient client = HttpClient.newBuilder().version(version).build();
            // Java's client upgrades a connection to h2c on its first request; the posts then travel as HTTP/2 streams
            HttpResponse<Void> first = client.send(HttpRequest.newBuilder(URI.create(dashboard + "static/none")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(first.version()).isEqualTo(version);
            for (String route : POSTS) {
                assertThat(send(client, post(route), null)).as("%s POST %s anonymous", version, route)
                        .isEqualTo(401);
                assertThat(send(client, post(route), "bob:bob-secret"))
                        .as("%s POST %s without the role", version, route).isEqualTo(403);
            }
            for (String route : GETS) {
                assertThat(send(client, get(route), null)).as("%s GET %s anonymous", version, route).isEqualTo(401);
                assertThat(send(client, get(route), "bob:bob-secret"))
                        .as("%s GET %s without the role", version, route).isEqualTo(403);
            }
        }
    }

    @Test
    void withTheRoleActionsAreDoneOverHttp11AndH2c() throws Exception {
        for (HttpClient.Version version : HttpClient.Version.values()) {
            HttpClient client = HttpClient.newBuilder().version(version).build();
            assertThat(send(client, post("actions/resume").header("Cookie", "shigoto-csrf=t"), "ada:ada-secret"))
                    .as("%s form action", version).isEqualTo(303);
            assertThat(send(client, post("api/queues/default/resume"), "ada:ada-secret")).as("%s API action", version)
                    .isEqualTo(200);
        }
    }

    private HttpRequest.Builder post(String route) {
        return HttpRequest.newBuilder(URI.create(dashboard + route))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Requested-By", "test")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=t&queue=default&id=1&seconds=5&concurrency=2"));
    }

    private HttpRequest.Builder get(String route) {
        return HttpRequest.newBuilder(URI.create(dashboard + route)).GET();
    }

    private static int send(HttpClient client, HttpRequest.Builder request, String credentials)
            throws IOException, InterruptedException {
        if (credentials != null) {
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }
}
