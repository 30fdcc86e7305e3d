package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * The dashboard lives at its configured path under the HTTP root path, and nowhere else.
 */
class DashboardPathTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .overrideConfigKey("quarkus.http.root-path", "/app")
            .overrideConfigKey("quarkus.shigoto.dashboard.path", "/jobs-admin");

    @Test
    void theDashboardIsServedAtItsPathUnderTheRootPath() {
        given().basePath("").get("/app/jobs-admin").then().statusCode(200)
                .body(containsString("<h1>Overview</h1>"))
                .body(containsString("href=\"/app/jobs-admin\""));
        given().basePath("").get("/jobs-admin").then().statusCode(404);
        given().basePath("").get("/app/shigoto").then().statusCode(404);
    }
}
