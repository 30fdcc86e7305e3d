package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.JobView;

/**
 * The cron table: one row per entry with its cursor, the scheduled minute up to which it has been dealt with. A run is
 * the cursor's move to its minute and the job's insert, in one transaction (see {@link #CRON_CLAIM}).
 */
public final class CronStore {

    // claims a scheduled minute of a cron entry by moving its cursor forward to it, as a run (second parameter true)
    // or a skip; a concurrent claim of another node waits on the row lock, then finds the cursor moved and changes
    // nothing, so each minute is claimed once across the cluster
    private static final String CRON_CLAIM = """
            UPDATE {schema}.shigoto_cron
            SET handled_through = ?1, last_run_at = CASE WHEN ?2 THEN ?1 ELSE last_run_at END
            WHERE name = ?3 AND handled_through < ?1
            """;

    // every cron entry's cursor and last run, for the scheduler and the read side
    private static final String CRON_ENTRIES = """
            SELECT name, schedule, handled_through, last_run_at, last_job_id FROM {schema}.shigoto_cron ORDER BY name
            """;

    // records the job a cron run inserted, in the transaction of its claim
    private static final String CRON_RAN = """
            UPDATE {schema}.shigoto_cron SET last_job_id = ? WHERE name = ?
            """;

    // registers cron entries (names, schedules, one cursor start) the first time any node sees them, and starts the
    // cursor of an entry whose schedule changed afresh (no catch-up of the old schedule); the cursor never moves back.
    // Entries registered as they are are filtered out first, so the usual tick locks no row
    private static final String CRON_REGISTER = """
            INSERT INTO {schema}.shigoto_cron AS c (name, schedule, handled_through)
            SELECT e.name, e.schedule, ?::timestamptz FROM unnest(?::text[], ?::text[]) AS e(name, schedule)
            WHERE NOT EXISTS (SELECT 1 FROM {schema}.shigoto_cron k WHERE k.name = e.name AND k.schedule = e.schedule)
            ON CONFLICT (name) DO UPDATE
            SET schedule = excluded.schedule, handled_through = greatest(c.handled_through, excluded.handled_through)
            WHERE c.schedule <> excluded.schedule
            """;

    /**
     * The stored state of a cron entry.
     *
     * @param name the entry
     * @param schedule the expression and zone its cursor was kept for
     * @param handledThrough every scheduled minute up to this one has run or been skipped
     * @param lastRunAt the scheduled minute of its last run, or {@code null}
     * @param lastJobId the job its last run inserted, or {@code null}
     */
    public record CronRow(String name, String schedule, Instant handledThrough, Instant lastRunAt, Long lastJobId) {
    }

    private final DataSource dataSource;
    private final Schema schema;
    private final JobInserts inserts;

    CronStore(DataSource dataSource, Schema schema, JobInserts inserts) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.inserts = inserts;
    }

    /**
     * Registers entries that have no row yet, and restarts the cursor of those whose schedule changed, at
     * {@code handledThrough}.
     *
     * @param schedules the schedule of each entry by name, sorted by name so that nodes lock rows in one order
     */
    public void register(Map<String, String> schedules, Instant handledThrough) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(CRON_REGISTER))) {
            st.setObject(1, JobStore.timestamp(handledThrough));
            st.setArray(2, c.createArrayOf("text", schedules.keySet().toArray()));
            st.setArray(3, c.createArrayOf("text", schedules.values().toArray()));
            st.executeUpdate();
        }
    }

    /** @return every stored entry by name, sorted */
    public Map<String, CronRow> rows() throws SQLException {
        Map<String, CronRow> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(CRON_ENTRIES));
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), new CronRow(rs.getString(1), rs.getString(2), JobStore.instant(rs, 3),
                        JobStore.instant(rs, 4), (Long) rs.getObject(5, Long.class)));
            }
        }
        return rows;
    }

    /**
     * Runs a scheduled minute of an entry: claims it and inserts its job in one transaction, waking the job's queue at
     * commit.
     *
     * @param job the job, due at {@code minute}
     * @return the id of the job, or empty when the minute was claimed already (by another node)
     */
    public OptionalLong run(String name, Instant minute, NewJob job, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!claim(c, name, minute, true)) {
                    c.rollback();
                    return OptionalLong.empty();
                }
                long id = insert(c, job, now);
                try (PreparedStatement st = c.prepareStatement(schema.render(CRON_RAN))) {
                    st.setLong(1, id);
                    st.setString(2, name);
                    st.executeUpdate();
                }
                c.commit();
                return OptionalLong.of(id);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Skips the scheduled minutes of an entry up to {@code through} without running them.
     *
     * @return whether this call moved the cursor (it did not when another node skipped or ran them first)
     */
    public boolean skip(String name, Instant through) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return claim(c, name, through, false);
        }
    }

    private boolean claim(Connection c, String name, Instant minute, boolean run) throws SQLException {
        try (PreparedStatement st = Statements.prepare(c, schema.render(CRON_CLAIM), JobStore.timestamp(minute), run,
                name)) {
            return st.executeUpdate() == 1;
        }
    }

    /** A unique worker's cron job may find its key held: the run is then answered by the job holding it. */
    private long insert(Connection c, NewJob job, Instant now) throws SQLException {
        if (job.unique()) {
            List<JobView> stored = inserts.insertUnique(c, List.of(job), now, true);
            return stored.get(0).id();
        }
        return inserts.insertOne(c, job, now, true);
    }
}
