package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.runtime.store.Migrator;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A node is not ready while the schema lacks a migration its code needs (someone else owns the schema and has not
 * applied it yet), and the check says which one. Its details count the jobs lost nodes left executing; the rescuer
 * waits an hour here, so they stay stuck while the test looks.
 */
class ReadinessTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.appWith("quarkus-smallrye-health")
            .overrideConfigKey("quarkus.shigoto.rescue-interval", "1h");

    static final int LATEST = Migrator.latestVersion();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void readyOnlyWithEveryMigrationApplied() throws Exception {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'shigoto' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'shigoto' }.data.schema-version", equalTo(LATEST));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM shigoto_migrations WHERE version = " + LATEST);
            try {
                given().get("/q/health/ready").then().statusCode(503)
                        .body("checks.find { it.name == 'shigoto' }.status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'shigoto' }.data.schema-version", equalTo(LATEST - 1))
                        .body("checks.find { it.name == 'shigoto' }.data.expected-version", equalTo(LATEST))
                        .body("checks.find { it.name == 'shigoto' }.data.missing-migrations", equalTo("[" + LATEST + "]"));
            } finally {
                st.execute("INSERT INTO shigoto_migrations (version, description) VALUES (" + LATEST
                        + ", 'restored by the test')");
            }
        }
        // liveness does not depend on the schema: a restart would not apply the migration
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void jobsLeftExecutingByALostNodeAreCountedAsStuck() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO shigoto_jobs (kind, queue, state, attempt, attempted_by, attempted_at)"
                    + " VALUES ('lost', 'readiness', 'executing', 1, 'node-that-died', now())");
            try {
                given().get("/q/health/ready").then().statusCode(200)
                        .body("checks.find { it.name == 'shigoto' }.data.stuck-jobs", equalTo(1));
            } finally {
                st.execute("DELETE FROM shigoto_jobs WHERE queue = 'readiness'");
            }
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'shigoto' }.data.stuck-jobs", equalTo(0));
    }
}
