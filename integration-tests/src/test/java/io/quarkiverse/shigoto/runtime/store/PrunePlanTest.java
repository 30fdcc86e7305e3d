package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.quarkiverse.shigoto.it.db.TestDatabase;

/**
 * The pruner's statements, planned by PostgreSQL over a table of many old finished jobs, read them through the
 * finished-jobs index in finish order and stop at the batch size: a plan that scans and sorts the whole table for
 * every batch makes pruning a million jobs take half an hour and load the database all along. Plain JUnit in the
 * store's package (the statements are its own), on the test PostgreSQL, in a schema of its own.
 */
class PrunePlanTest {

    private static final Schema SCHEMA = Schema.of("shigoto_prune_plan");
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void fillATableWithOldFinishedJobs() throws SQLException {
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.get().jdbcUrlWithCredentials());
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA.name() + " CASCADE");
            Migrator.migrate(c, SCHEMA);
            st.execute(SCHEMA.render("INSERT INTO {schema}.shigoto_jobs (state, kind, attempt, finished_at)"
                    + " SELECT 'completed', 'noop', 1, now() - interval '2 days' + g * interval '1 millisecond'"
                    + " FROM generate_series(1, 50000) g"));
            st.execute(SCHEMA.render("INSERT INTO {schema}.shigoto_jobs (kind) SELECT 'noop' FROM generate_series(1, 5000)"));
            st.execute(SCHEMA.render("ANALYZE {schema}.shigoto_jobs"));
        }
    }

    @AfterAll
    static void dropTheSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + SCHEMA.name() + " CASCADE");
        }
    }

    @Test
    void pruningReadsTheOldestJobsThroughTheFinishedJobsIndex() throws SQLException {
        for (String planCache : new String[] { "auto", "force_generic_plan" }) {
            assertThat(plan(MaintenanceStore.PRUNE, false, planCache)).as("PRUNE, plan_cache_mode %s", planCache)
                    .contains("shigoto_jobs_finished_idx").doesNotContain("Seq Scan on shigoto_jobs o ");
            assertThat(plan(MaintenanceStore.PRUNE_ARCHIVE, true, planCache)).as("PRUNE_ARCHIVE, plan_cache_mode %s", planCache)
                    .contains("shigoto_jobs_finished_idx").doesNotContain("Seq Scan on shigoto_jobs o ");
        }
    }

    /** EXPLAINs a prune statement bound as {@link MaintenanceStore#prune} binds it. */
    private static String plan(String sql, boolean archive, String planCache) throws SQLException {
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET plan_cache_mode = " + planCache);
            }
            try (PreparedStatement st = c.prepareStatement("EXPLAIN " + SCHEMA.render(sql))) {
                st.setString(1, "completed");
                st.setObject(2, JobStore.timestamp(now.minus(Duration.ofDays(1))));
                st.setInt(3, 1000);
                if (archive) {
                    st.setObject(4, JobStore.timestamp(now));
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            }
        }
    }
}
