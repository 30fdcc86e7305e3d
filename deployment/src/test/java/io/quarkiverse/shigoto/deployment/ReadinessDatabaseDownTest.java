package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A node whose database stops answering is not ready, and stays live: restarting it would not bring the database
 * back. The test cuts the application off its real PostgreSQL: it ends the application's sessions and forbids new
 * ones, from a session of its own that it keeps to undo that.
 */
class ReadinessDatabaseDownTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.appWith("quarkus-smallrye-health")
            .overrideConfigKey("quarkus.datasource.jdbc.acquisition-timeout", "2s");

    @Test
    void notReadyButLiveWhileTheDatabaseRefusesConnections() throws Exception {
        given().get("/q/health/ready").then().statusCode(200);
        try (Connection admin = DriverManager.getConnection(EmbeddedDatabase.jdbcUrl());
                Statement st = admin.createStatement()) {
            st.execute("ALTER ROLE postgres NOLOGIN");
            try {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE pid <> pg_backend_pid() AND usename = 'postgres'");
                given().get("/q/health/ready").then().statusCode(503)
                        .body("checks.find { it.name == 'shigoto' }.status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'shigoto' }.data.error",
                                startsWith("the database did not answer"));
                given().get("/q/health/live").then().statusCode(200)
                        .body("checks.find { it.name == 'shigoto' }.status", equalTo("UP"));
            } finally {
                st.execute("ALTER ROLE postgres LOGIN");
            }
        }
    }
}
