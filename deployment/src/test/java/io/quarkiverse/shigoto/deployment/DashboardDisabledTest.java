package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * An application can turn the dashboard off entirely.
 */
class DashboardDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .overrideConfigKey("quarkus.shigoto.dashboard.enabled", "false");

    @Test
    void noPageIsServed() {
        given().get("/shigoto").then().statusCode(404);
    }
}
