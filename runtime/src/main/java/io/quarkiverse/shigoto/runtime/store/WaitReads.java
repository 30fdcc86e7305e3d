package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;

/**
 * What the dashboard reads to say why a waiting job is not running: the jobs ahead of it in its queue, the queue's
 * executing attempts by node, its kind's limit counts, its dependencies, the other partitions of a fair queue, and
 * the holder of its unique key. Every read is bounded by an index and, where it counts, by {@link #CAP}.
 */
public final class WaitReads {

    /** Counting stops here: "1000 or more". */
    public static final int CAP = 1_000;

    // available jobs of the queue a claim takes before this one (priority first, then due time, then id), through the
    // fetch index; the limited variant through the limited index
    static final String AHEAD = """
            SELECT count(*) FROM (
                SELECT 1 FROM {schema}.shigoto_jobs j
                WHERE j.state = 'available' AND j.queue = ? AND j.limit_key IS NULL AND j.id <> ?
                  AND (j.priority > ? OR (j.priority = ? AND (j.scheduled_at < ? OR (j.scheduled_at = ? AND j.id < ?))))
                LIMIT ?) ahead
            """;

    static final String AHEAD_LIMITED = """
            SELECT count(*) FROM (
                SELECT 1 FROM {schema}.shigoto_jobs j
                WHERE j.state = 'available' AND j.queue = ? AND j.limit_key = ? AND j.id <> ?
                  AND (j.priority > ? OR (j.priority = ? AND (j.scheduled_at < ? OR (j.scheduled_at = ? AND j.id < ?))))
                LIMIT ?) ahead
            """;

    // the queue's executing attempts by node
    static final String EXECUTING_BY_NODE = """
            SELECT attempted_by, count(*) FROM {schema}.shigoto_jobs
            WHERE state = 'executing' AND queue = ? AND attempted_by IS NOT NULL
            GROUP BY attempted_by
            """;

    // a limited kind's executing attempts, as the limited claim counts them
    static final String KIND_EXECUTING = """
            SELECT count(*) FROM {schema}.shigoto_jobs WHERE state = 'executing' AND limit_key = ?
            """;

    // a limited kind's attempts started since an instant, as the limited claim counts them
    static final String KIND_STARTED = """
            SELECT count(*) FROM {schema}.shigoto_jobs WHERE limit_key = ? AND attempted_at > ?
            """;

    // the jobs a job waits for, with how it treats their failure
    static final String PARENTS = """
            SELECT d.depends_on, p.state::text, d.run_on_failure, d.hold_on_failure
            FROM {schema}.shigoto_job_deps d LEFT JOIN {schema}.shigoto_jobs p ON p.id = d.depends_on
            WHERE d.job_id = ?
            ORDER BY d.depends_on
            """;

    // the other partition keys of a queue with available jobs, through the fair claim's partition index
    static final String PARTITIONS = """
            SELECT count(*) FROM (
                SELECT DISTINCT partition_key FROM {schema}.shigoto_jobs
                WHERE state = 'available' AND queue = ? AND partition_key IS NOT NULL AND partition_key <> ?
                LIMIT ?) keys
            """;

    // another job holding the same unique key in one of its blocking states, through the unique index
    static final String UNIQUE_HOLDER = """
            SELECT o.id, o.state::text
            FROM {schema}.shigoto_jobs j
                 JOIN {schema}.shigoto_jobs o ON o.unique_key = j.unique_key AND o.id <> j.id
                      AND (o.unique_options & {schema}.shigoto_state_bit(o.state)) <> 0
            WHERE j.id = ? AND j.unique_key IS NOT NULL
            LIMIT 1
            """;

    /**
     * A job a waiting job depends on.
     *
     * @param id its id
     * @param state its state, or {@code null} once it no longer exists
     * @param runOnFailure whether the dependent runs even if it fails
     * @param holdOnFailure whether the dependent is held when it fails
     */
    public record Parent(long id, JobState state, boolean runOnFailure, boolean holdOnFailure) {
    }

    /**
     * The job holding a unique key.
     *
     * @param id its id
     * @param state its state
     */
    public record Holder(long id, JobState state) {
    }

    private final DataSource dataSource;
    private final Schema schema;

    WaitReads(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** @return how many available jobs a claim of the job's queue takes before it, up to {@link #CAP} */
    public long ahead(JobView job, String limitKey) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(limitKey == null ? AHEAD : AHEAD_LIMITED))) {
            int i = 1;
            st.setString(i++, job.queue());
            if (limitKey != null) {
                st.setString(i++, limitKey);
            }
            st.setLong(i++, job.id());
            st.setInt(i++, job.priority());
            st.setInt(i++, job.priority());
            st.setObject(i++, JobStore.timestamp(job.scheduledAt()));
            st.setObject(i++, JobStore.timestamp(job.scheduledAt()));
            st.setLong(i++, job.id());
            st.setInt(i, CAP);
            return single(st);
        }
    }

    /** @return the queue's executing attempts by node */
    public Map<String, Long> executingByNode(String queue) throws SQLException {
        Map<String, Long> byNode = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(EXECUTING_BY_NODE))) {
            st.setString(1, queue);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    byNode.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return byNode;
    }

    /** @return how many jobs of a limited kind execute now */
    public long kindExecuting(String limitKey) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(KIND_EXECUTING))) {
            st.setString(1, limitKey);
            return single(st);
        }
    }

    /** @return how many attempts of a limited kind started after {@code since} */
    public long kindStarted(String limitKey, Instant since) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(KIND_STARTED))) {
            st.setString(1, limitKey);
            st.setObject(2, JobStore.timestamp(since));
            return single(st);
        }
    }

    /** @return the jobs the job waits for, in id order */
    public List<Parent> parents(long id) throws SQLException {
        List<Parent> parents = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(schema.render(PARENTS))) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(2);
                    parents.add(new Parent(rs.getLong(1), state == null ? null : JobState.fromDb(state),
                            rs.getBoolean(3), rs.getBoolean(4)));
                }
            }
        }
        return parents;
    }

    /** @return how many other partition keys of the queue have available jobs, up to {@link #CAP} */
    public long otherPartitions(String queue, String partitionKey) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(PARTITIONS))) {
            st.setString(1, queue);
            st.setString(2, partitionKey == null ? "" : partitionKey);
            st.setInt(3, CAP);
            return single(st);
        }
    }

    /** @return another job holding the job's unique key, or {@code null} */
    public Holder uniqueHolder(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(UNIQUE_HOLDER))) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new Holder(rs.getLong(1), JobState.fromDb(rs.getString(2))) : null;
            }
        }
    }

    private static long single(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
