package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.JobState;

/**
 * The statements of the test support's {@code manual} and {@code inline} modes, where no producer claims: a test
 * drains a queue, or an insert runs its own jobs, by claiming exactly the jobs it means to run.
 */
public final class ManualRuns {

    // claims the given jobs that are available, as the producers' claim does (attempt counted, node and time set),
    // in the producers' order: higher priority first, then due time, then id
    static final String CLAIM_IDS = """
            WITH target AS (
                SELECT id FROM {schema}.shigoto_jobs
                WHERE id = ANY(?::bigint[]) AND state = 'available'
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE {schema}.shigoto_jobs j
                SET state = 'executing', attempt = j.attempt + 1, attempted_at = ?, attempted_by = ?
                FROM target
                WHERE j.id = target.id
                RETURNING j.*
            )
            """ + SharedSql.CLAIMED_COLUMNS + """
            FROM claimed
            ORDER BY priority DESC, scheduled_at, id
            """;

    // the available jobs of a queue, in the producers' order, up to a limit
    static final String RUNNABLE = """
            SELECT id FROM {schema}.shigoto_jobs
            WHERE state = 'available' AND queue = ?
            ORDER BY priority DESC, scheduled_at, id
            LIMIT ?
            """;

    // makes the scheduled and retryable jobs of a queue available: those due (parameter 3 false), or all of them, due
    // now (true)
    static final String STAGE_QUEUE = """
            UPDATE {schema}.shigoto_jobs
            SET state = 'available', scheduled_at = least(scheduled_at, ?)
            WHERE queue = ? AND state IN ('scheduled', 'retryable') AND (? OR scheduled_at <= ?)
            """;

    // the states of the given jobs
    static final String STATES = """
            SELECT id, state::text FROM {schema}.shigoto_jobs WHERE id = ANY(?::bigint[])
            """;

    private final DataSource dataSource;
    private final Schema schema;

    ManualRuns(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /**
     * Makes a queue's scheduled and retryable jobs available.
     *
     * @param all {@code true} for all of them (their due time becomes now), {@code false} for those already due
     * @return how many became available
     */
    public int stage(String queue, Instant now, boolean all) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(STAGE_QUEUE))) {
            st.setObject(1, JobStore.timestamp(now));
            st.setString(2, queue);
            st.setBoolean(3, all);
            st.setObject(4, JobStore.timestamp(now));
            return st.executeUpdate();
        }
    }

    /** @return the ids of up to {@code limit} available jobs of a queue, in the order producers claim them */
    public long[] runnable(String queue, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(RUNNABLE))) {
            st.setString(1, queue);
            st.setInt(2, limit);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** @return the given jobs that were available, now claimed by {@code node}, in the order producers run them */
    public List<ClaimedJob> claim(long[] ids, String node, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(CLAIM_IDS))) {
            st.setObject(1, ids);
            st.setObject(2, JobStore.timestamp(now));
            st.setString(3, node);
            List<ClaimedJob> jobs = new ArrayList<>(ids.length);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    jobs.add(JobStore.claimed(rs));
                }
            }
            return jobs;
        }
    }

    /** @return the state of each of the given jobs that exists */
    public Map<Long, JobState> states(long[] ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(STATES))) {
            st.setObject(1, ids);
            Map<Long, JobState> states = new HashMap<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getLong(1), JobState.fromDb(rs.getString(2)));
                }
            }
            return states;
        }
    }
}
