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
import io.quarkiverse.shigoto.runtime.store.JobControls.Changed;

/**
 * Dependencies between jobs: checking them before an insert, storing the edges, and deciding pending jobs once
 * their dependencies finished.
 */
public final class Dependencies {

    // forgets the edges to dependencies that completed and were then deleted: they no longer hold anyone back
    static final String DELETE_SATISFIED_EDGES = """
            DELETE FROM {schema}.shigoto_job_deps WHERE depends_on = ANY(?::bigint[])
            """;

    // the jobs one job depends on
    private static final String DEPENDENCIES = """
            SELECT j.id, j.kind, j.queue, j.state::text, j.priority, j.args::text, j.meta::text, j.tags, j.attempt,
                   least(j.attempt_base::bigint + j.max_attempts, 2147483647)::int, j.errors::text, j.result::text,
                   j.partition_key, j.inserted_at, j.scheduled_at, j.attempted_at, j.attempted_by, j.finished_at,
                   j.progress
            FROM {schema}.shigoto_job_deps d JOIN {schema}.shigoto_jobs j ON j.id = d.depends_on
            WHERE d.job_id = ?
            ORDER BY j.id
            """;

    // the results of the dependencies of a job, for JobContext.dependencyResults, with the step name of those that
    // are steps of the job's own workflow (0011), for JobContext.stepResults
    static final String DEPENDENCY_RESULTS = """
            SELECT d.depends_on, j.result::text, w.steps[array_position(w.step_ids, d.depends_on)], j.kind
            FROM {schema}.shigoto_job_deps d
                 LEFT JOIN {schema}.shigoto_jobs j ON j.id = d.depends_on
                 LEFT JOIN {schema}.shigoto_jobs me ON me.id = d.job_id
                 LEFT JOIN {schema}.shigoto_batches w ON w.id = me.batch_id AND w.step_ids IS NOT NULL
            WHERE d.job_id = ?
            ORDER BY d.depends_on
            """;

    // the jobs that depend on one job
    private static final String DEPENDENTS = """
            SELECT j.id, j.kind, j.queue, j.state::text, j.priority, j.args::text, j.meta::text, j.tags, j.attempt,
                   least(j.attempt_base::bigint + j.max_attempts, 2147483647)::int, j.errors::text, j.result::text,
                   j.partition_key, j.inserted_at, j.scheduled_at, j.attempted_at, j.attempted_by, j.finished_at,
                   j.progress
            FROM {schema}.shigoto_job_deps d JOIN {schema}.shigoto_jobs j ON j.id = d.job_id
            WHERE d.depends_on = ?
            ORDER BY j.id
            """;

    // stores dependency edges given as a JSON array of {job_id, depends_on, run_on_failure, hold_on_failure}
    // (Hibernate Reactive style parameters, see JobInserts.INSERT_JSON)
    static final String INSERT_DEPS_JSON = """
            INSERT INTO {schema}.shigoto_job_deps (job_id, depends_on, run_on_failure, hold_on_failure)
            SELECT e.job_id, e.depends_on, e.run_on_failure, coalesce(e.hold_on_failure, false)
            FROM jsonb_to_recordset(CAST(CAST(?1 AS text) AS jsonb))
                 AS e(job_id bigint, depends_on bigint, run_on_failure boolean, hold_on_failure boolean)
            ON CONFLICT DO NOTHING
            """;

    // the states of the given jobs (a JSON array of ids), to check dependencies before an insert (see
    // JobInserts.INSERT_JSON)
    static final String PARENT_STATES_JSON = """
            SELECT p.id, CAST(p.state AS text)
            FROM {schema}.shigoto_jobs p
            WHERE p.id IN (SELECT CAST(x.id AS bigint)
                           FROM jsonb_array_elements_text(CAST(CAST(?1 AS text) AS jsonb)) AS x(id))
            """;

    // decides the pending dependents of the given jobs: available (or scheduled) once every dependency completed,
    // cancelled naming the first dependency that failed; a last row in state 'cursor' carries the highest candidate
    // id. It runs after the dependencies' change committed, so of two dependencies finishing at once on two nodes,
    // the later commit sees both; the sweep catches a dependent whose insert committed after its last dependency's
    // resolution. The work is in shigoto_resolve_dependents (migration 0008), on plans pinned to index probes
    private static final String RESOLVE_DEPENDENTS = """
            SELECT job_id, job_state, job_queue FROM {schema}.shigoto_resolve_dependents(?::bigint[], ?, ?::text)
            """;

    // RESOLVE_DEPENDENTS for the given pending jobs themselves (shigoto_resolve_jobs)
    private static final String RESOLVE_JOBS = """
            SELECT job_id, job_state, job_queue FROM {schema}.shigoto_resolve_jobs(?::bigint[], ?, ?::text)
            """;

    // the sweep's variant of RESOLVE_DEPENDENTS: up to ? pending jobs after a cursor (shigoto_resolve_pending)
    private static final String RESOLVE_PENDING = """
            SELECT job_id, job_state, job_queue FROM {schema}.shigoto_resolve_pending(?, ?, ?, ?::text)
            """;

    /**
     * The stored result of one dependency of a job.
     *
     * @param id the dependency's id
     * @param step its step name in the job's workflow, or {@code null} when it is no step of it
     * @param json its result as JSON, or {@code null} for none (or once it was pruned)
     * @param kind its kind, which an encrypted result is authenticated with, or {@code null} once it was pruned
     */
    public record Result(long id, String step, String json, String kind) {
    }

    /** Pending jobs one sweep looks at. */
    public static final int SWEEP_BATCH = 1_000;
    /** A cascade of cancellations deeper than this is left to the sweep. */
    private static final int MAX_CASCADE = 1_000;

    private final DataSource dataSource;
    private final Schema schema;

    Dependencies(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** The statement answering the states of a JSON array of job ids ({@code ?1}), for reactive clients. */
    public String parentStatesJsonStatement() {
        return schema.render(PARENT_STATES_JSON);
    }

    /** The statement storing edges given as a JSON array ({@code ?1}), for reactive clients. */
    public String insertEdgesJsonStatement() {
        return schema.render(INSERT_DEPS_JSON);
    }

    /** @return the state of each of the given jobs that exists, on the caller's connection */
    public Map<Long, JobState> states(Connection c, long[] ids) throws SQLException {
        Map<Long, JobState> states = new LinkedHashMap<>();
        try (PreparedStatement st = Statements.prepareFresh(c, parentStatesJsonStatement(), JsonCodec.write(ids))) {
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getLong(1), JobState.fromDb(rs.getString(2)));
                }
            }
        }
        return states;
    }

    /** Stores edges (rows of {@link #edgesJson}) on the caller's connection. */
    public void insertEdges(Connection c, String edgesJson) throws SQLException {
        try (PreparedStatement st = Statements.prepare(c, insertEdgesJsonStatement(), edgesJson)) {
            st.executeUpdate();
        }
    }

    /** @return the edges of a job to its dependencies, as {@link #insertEdges} reads them */
    public static void addEdges(List<Map<String, Object>> edges, long jobId, NewJob job) {
        for (long parent : job.dependsOn()) {
            Map<String, Object> e = new LinkedHashMap<>(4);
            e.put("job_id", jobId);
            e.put("depends_on", parent);
            e.put("run_on_failure", job.runOnDependencyFailure());
            if (job.holdOnDependencyFailure()) {
                e.put("hold_on_failure", true);
            }
            edges.add(e);
        }
    }

    /**
     * Decides the pending dependents of jobs that just finished (or were deleted), then the dependents of those it
     * cancelled, and so on.
     *
     * @return the jobs that became available, scheduled or cancelled
     */
    public List<Changed> resolveDependents(long[] finished, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return resolveDependents(c, finished, now);
        }
    }

    /** {@link #resolveDependents(long[], Instant)} on the caller's connection, in its transaction. */
    public List<Changed> resolveDependents(Connection c, long[] finished, Instant now) throws SQLException {
        List<Changed> changed = new ArrayList<>();
        long[] parents = finished;
        try (PreparedStatement st = c.prepareStatement(schema.render(RESOLVE_DEPENDENTS))) {
            for (int depth = 0; parents.length > 0 && depth < MAX_CASCADE; depth++) {
                st.setArray(1, PgArrays.bigints(c, parents));
                bindVerdict(st, 2, now);
                List<Changed> round = changes(st).changed();
                changed.addAll(round);
                parents = round.stream().filter(r -> r.state() == JobState.CANCELLED).mapToLong(Changed::id).toArray();
            }
        }
        return changed;
    }

    /**
     * Decides the given pending jobs (retried dependents), and cascades as {@link #resolveDependents} does.
     *
     * @return the jobs that became available, scheduled or cancelled
     */
    public List<Changed> resolveJobs(long[] jobs, Instant now) throws SQLException {
        List<Changed> changed;
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(RESOLVE_JOBS))) {
            st.setArray(1, PgArrays.bigints(c, jobs));
            bindVerdict(st, 2, now);
            changed = new ArrayList<>(changes(st).changed());
        }
        long[] cancelled = changed.stream().filter(r -> r.state() == JobState.CANCELLED).mapToLong(Changed::id)
                .toArray();
        if (cancelled.length > 0) {
            changed.addAll(resolveDependents(cancelled, now));
        }
        return changed;
    }

    /**
     * The sweep: decides up to {@link #SWEEP_BATCH} pending jobs with an id above {@code afterId}, the backstop for a
     * dependent whose insert committed after its dependencies were resolved.
     *
     * @return what changed, and the cursor for the next call (0: start over)
     */
    public Resolution resolvePending(long afterId, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(RESOLVE_PENDING))) {
            st.setLong(1, afterId);
            st.setInt(2, SWEEP_BATCH);
            bindVerdict(st, 3, now);
            Resolution swept = changes(st);
            long[] cancelled = swept.changed().stream().filter(r -> r.state() == JobState.CANCELLED)
                    .mapToLong(Changed::id).toArray();
            if (cancelled.length == 0) {
                return swept;
            }
            List<Changed> changed = new ArrayList<>(swept.changed());
            changed.addAll(resolveDependents(cancelled, now));
            return new Resolution(changed, swept.cursor());
        }
    }

    /** Forgets edges to completed jobs that were deleted, so their dependents do not count them as failed. */
    public void forgetCompleted(long[] deleted) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(DELETE_SATISFIED_EDGES))) {
            st.setArray(1, PgArrays.bigints(c, deleted));
            st.executeUpdate();
        }
    }

    /** @return the jobs a job depends on */
    public List<JobView> dependencies(long id) throws SQLException {
        return views(DEPENDENCIES, id);
    }

    /** @return the jobs that depend on a job */
    public List<JobView> dependents(long id) throws SQLException {
        return views(DEPENDENTS, id);
    }

    /** @return the stored results of a job's dependencies, in id order */
    public List<Result> results(long id) throws SQLException {
        List<Result> results = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.plannedFresh(
                        c.prepareStatement(schema.render(DEPENDENCY_RESULTS)))) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    results.add(new Result(rs.getLong(1), rs.getString(3), rs.getString(2), rs.getString(4)));
                }
            }
        }
        return results;
    }

    private List<JobView> views(String sql, long id) throws SQLException {
        List<JobView> views = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(schema.render(sql))) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    views.add(JobStore.view(rs));
                }
            }
        }
        return views;
    }

    private static void bindVerdict(PreparedStatement st, int index, Instant now) throws SQLException {
        st.setObject(index, JobStore.timestamp(now));
        st.setString(index + 1, now.toString());
    }

    private static Resolution changes(PreparedStatement st) throws SQLException {
        List<Changed> changed = new ArrayList<>();
        long cursor = 0;
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                if ("cursor".equals(rs.getString(2))) {
                    cursor = rs.getLong(1);
                } else {
                    changed.add(new Changed(rs.getLong(1), JobState.fromDb(rs.getString(2)), rs.getString(3)));
                }
            }
        }
        return new Resolution(changed, cursor);
    }

    /**
     * What a resolution changed.
     *
     * @param changed the jobs that became available, scheduled or cancelled
     * @param cursor the highest id the sweep looked at, 0 when it found no pending job
     */
    public record Resolution(List<Changed> changed, long cursor) {
    }
}
