package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * An application with SmallRye Health can leave shigoto's checks out.
 */
class HealthDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.appWith("quarkus-smallrye-health")
            .overrideConfigKey("quarkus.shigoto.health.enabled", "false");

    @Test
    void neitherGroupHasShigotosCheck() {
        for (String group : List.of("/q/health/ready", "/q/health/live")) {
            given().get(group).then().statusCode(200).body("status", equalTo("UP"))
                    .body("checks.name", not(hasItem("shigoto")));
        }
    }
}
