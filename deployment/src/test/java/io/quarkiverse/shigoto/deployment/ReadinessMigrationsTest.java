package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A node is not ready while the schema lacks a migration its code needs (someone else owns the schema and has not
 * applied it yet), and the check says which one.
 */
class ReadinessMigrationsTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.appWith("quarkus-smallrye-health");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void readyOnlyWithEveryMigrationApplied() throws Exception {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'shigoto' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'shigoto' }.data.schema-version", equalTo(3));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM shigoto_migrations WHERE version = 3");
            try {
                given().get("/q/health/ready").then().statusCode(503)
                        .body("checks.find { it.name == 'shigoto' }.status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'shigoto' }.data.schema-version", equalTo(2))
                        .body("checks.find { it.name == 'shigoto' }.data.expected-version", equalTo(3))
                        .body("checks.find { it.name == 'shigoto' }.data.missing-migrations", equalTo("[3]"));
            } finally {
                st.execute("INSERT INTO shigoto_migrations (version, description) VALUES (3, 'restored by the test')");
            }
        }
        // liveness does not depend on the schema: a restart would not apply the migration
        given().get("/q/health/live").then().statusCode(200);
    }
}
