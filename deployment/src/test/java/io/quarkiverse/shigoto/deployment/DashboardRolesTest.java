package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * With roles-allowed set, every page and action needs an authenticated caller with one of the roles.
 */
class DashboardRolesTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .overrideConfigKey("quarkus.shigoto.dashboard.roles-allowed", "ops")
            .overrideConfigKey("quarkus.http.auth.basic", "true")
            .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
            .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
            .overrideConfigKey("quarkus.security.users.embedded.users.ada", "ada-secret")
            .overrideConfigKey("quarkus.security.users.embedded.roles.ada", "ops")
            .overrideConfigKey("quarkus.security.users.embedded.users.bob", "bob-secret")
            .overrideConfigKey("quarkus.security.users.embedded.roles.bob", "sales");

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
}
