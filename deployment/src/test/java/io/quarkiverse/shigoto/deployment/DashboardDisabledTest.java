package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * An application can turn the dashboard off entirely.
 */
class DashboardDisabledTest {

    static final String JDBC_URL = EmbeddedDatabase.jdbcUrl();

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .overrideConfigKey("quarkus.datasource.jdbc.url", JDBC_URL)
            .overrideConfigKey("quarkus.shigoto.dashboard.enabled", "false")
            .setAfterAllCustomizer(EmbeddedDatabase::stop);

    @Test
    void noPageIsServed() {
        given().get("/shigoto").then().statusCode(404);
    }
}
