package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pruner's statements, planned by PostgreSQL over a table of many old finished jobs, read them through the
 * finished-jobs index in finish order and stop at the batch size: a plan that scans and sorts the whole table for
 * every batch makes pruning a million jobs take half an hour and load the database all along. Plain JUnit in the
 * store's package (the statements are its own), on the test PostgreSQL, in a schema of its own.
 */
class PrunePlanTest {

    private static PlanProbe probe;

    @BeforeAll
    static void fillATableWithOldFinishedJobs() throws SQLException {
        probe = PlanProbe.migrated("shigoto_prune_plan",
                "INSERT INTO {schema}.shigoto_jobs (state, kind, attempt, finished_at)"
                        + " SELECT 'completed', 'noop', 1, now() - interval '2 days' + g * interval '1 millisecond'"
                        + " FROM generate_series(1, 50000) g",
                "INSERT INTO {schema}.shigoto_jobs (kind) SELECT 'noop' FROM generate_series(1, 5000)");
    }

    @AfterAll
    static void dropTheSchema() throws SQLException {
        probe.drop();
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
        return probe.explain(probe.schema.render(sql), planCache, st -> {
            st.setString(1, "completed");
            st.setObject(2, JobStore.timestamp(now.minus(Duration.ofDays(1))));
            st.setInt(3, 1000);
            if (archive) {
                st.setObject(4, JobStore.timestamp(now));
            }
        });
    }
}
