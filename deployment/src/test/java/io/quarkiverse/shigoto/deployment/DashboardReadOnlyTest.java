package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A read-only dashboard renders no form and accepts no action, even one with a valid token.
 */
class DashboardReadOnlyTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .overrideConfigKey("quarkus.shigoto.queues.default.concurrency", "1")
            .overrideConfigKey("quarkus.shigoto.dashboard.read-only", "true");

    @Test
    void noActionIsOfferedOrAccepted() {
        given().get("/shigoto").then().statusCode(200).body(containsString("data-queue=\"default\""))
                .body(not(containsString("<form method=\"post\"")));
        given().cookie("shigoto-csrf", "t").formParam("_csrf", "t").formParam("queue", "default")
                .post("/shigoto/actions/pause").then().statusCode(403).body(containsString("read-only"));
    }
}
