package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch's statements read its members through the batch indexes, not the job table: counting a batch's unfinished
 * members, cancelling what is left of it and retrying its failed members, over a table of 100,000 other jobs and a
 * finished batch of 20,000.
 * Plain JUnit in the store's package (the statements are its own), in a schema of its own.
 */
class BatchPlanTest {

    private static PlanProbe probe;

    @BeforeAll
    static void fillATableWithJobsAndBatches() throws SQLException {
        probe = PlanProbe.migrated("shigoto_batch_plan",
                "INSERT INTO {schema}.shigoto_batches (id, sealed, total) VALUES (1, true, 5000), (2, true, 20000)",
                "INSERT INTO {schema}.shigoto_jobs (state, kind, attempt, finished_at)"
                        + " SELECT 'completed', 'noop', 1, now() FROM generate_series(1, 50000)",
                "INSERT INTO {schema}.shigoto_jobs (kind) SELECT 'noop' FROM generate_series(1, 50000)",
                "INSERT INTO {schema}.shigoto_jobs (kind, batch_id) SELECT 'noop', 1 FROM generate_series(1, 5000)",
                "INSERT INTO {schema}.shigoto_jobs (state, kind, attempt, finished_at, batch_id)"
                        + " SELECT 'completed', 'noop', 1, now(), 2 FROM generate_series(1, 20000)",
                "INSERT INTO {schema}.shigoto_jobs (state, kind, attempt, finished_at, batch_id)"
                        + " SELECT 'discarded', 'noop', 1, now(), 2 FROM generate_series(1, 20)");
    }

    @AfterAll
    static void dropTheSchema() throws SQLException {
        probe.drop();
    }

    @Test
    void aBatchsUnfinishedMembersAreCountedThroughTheBatchIndex() throws SQLException {
        for (String planCache : new String[] { "auto", "force_generic_plan" }) {
            String plan = probe.explain(probe.schema.render(BatchStore.READ), planCache, st -> st.setLong(1, 1));
            assertThat(plan).as("READ, plan_cache_mode %s", planCache).contains("shigoto_jobs_batch_idx")
                    .doesNotContain("Seq Scan on shigoto_jobs");
        }
    }

    @Test
    void cancellingWhatIsLeftOfABatchReadsTheBatchIndex() throws SQLException {
        JobSelection batch = new JobSelection(null, List.of(), List.of(), List.of(), List.of(), null, null, 1L);
        Instant now = Instant.now();
        String plan = probe.explain(batch.render(JobControls.CANCEL, probe.schema), "force_custom_plan", st -> {
            st.setLong(1, 0);
            try (Connection c = probe.dataSource.getConnection()) {
                int i = batch.bind(c, st, 2);
                st.setInt(i, 1000);
                st.setObject(i + 1, JobStore.timestamp(now));
                st.setString(i + 2, now.toString());
                st.setString(i + 3, "plan");
            }
        });
        assertThat(plan).contains("shigoto_jobs_batch_idx").doesNotContain("Seq Scan on shigoto_jobs");
    }

    @Test
    void retryingABatchsFailedMembersReadsTheFailedMembersIndex() throws SQLException {
        JobSelection failed = new JobSelection(null, List.of(), List.of(), List.of("discarded"), List.of(), null, null,
                2L);
        Instant now = Instant.now();
        String plan = probe.explain(failed.render(JobControls.RETRY, probe.schema), "force_custom_plan", st -> {
            st.setLong(1, 0);
            try (Connection c = probe.dataSource.getConnection()) {
                int i = failed.bind(c, st, 2);
                st.setInt(i, 1000);
                st.setObject(i + 1, JobStore.timestamp(now));
            }
        });
        assertThat(plan).contains("shigoto_jobs_batch_failed_idx").doesNotContain("Seq Scan on shigoto_jobs");
    }
}
