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
 * the cursor's move to its minute and the job's insert, in one transaction (see {@link Sql#CRON_CLAIM}).
 */
public final class CronStore {

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
                PreparedStatement st = c.prepareStatement(schema.render(Sql.CRON_REGISTER))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(Sql.CRON_ENTRIES));
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
                try (PreparedStatement st = c.prepareStatement(schema.render(Sql.CRON_RAN))) {
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
        try (PreparedStatement st = Statements.prepare(c, schema.render(Sql.CRON_CLAIM), JobStore.timestamp(minute), run,
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
