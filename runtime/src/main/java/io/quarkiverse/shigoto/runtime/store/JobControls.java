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

import io.quarkiverse.shigoto.JobProgressed;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;

/**
 * Actions on stored jobs from outside their workers: cancel, retry, snooze, delete, progress, listings. Bulk actions
 * walk their selection in id order in batches, each its own short transaction, so a million matching rows never
 * hold locks for long; their statements carry {@code {where}}, which {@link JobSelection#render} fills in.
 */
public final class JobControls {

    // cancels up to ? unfinished jobs of a selection, in id order after a cursor; FOR UPDATE waits for a completion
    // or claim in flight and re-checks the row, so a job that finished meanwhile is left alone. Answers each job as a
    // Controlled row (what it was; the node of an executing one, which must interrupt it). The ids again as an array keep the update
    // on primary-key lookups whatever the planner guesses the batch's size to be (see DELETE)
    static final String CANCEL = """
            WITH target AS (
                SELECT id, state AS was FROM {schema}.shigoto_jobs
                WHERE state IN ('pending', 'scheduled', 'available', 'retryable', 'executing') AND id > ? {where}
                ORDER BY id
                LIMIT ?
                FOR UPDATE
            )
            UPDATE {schema}.shigoto_jobs j
            SET state = 'cancelled', finished_at = ?,
                errors = j.errors || jsonb_build_array(jsonb_build_object('attempt', j.attempt, 'at', ?::text,
                                                                          'type', 'cancelled', 'message', ?::text))
            FROM target
            WHERE j.id = target.id AND j.id = ANY(ARRAY(SELECT id FROM target))
            RETURNING j.id, target.was::text, 'cancelled', j.kind, j.queue, j.attempt, j.attempted_by
            """;

    // deletes up to ? jobs of a selection that are not executing, in id order after a cursor, with their own
    // dependency edges; answers each deleted job (a Controlled row) so the caller can resolve its dependents. The ids
    // go to the delete as an array, which PostgreSQL looks up through the primary key whatever it guesses the batch's
    // size to be (joined, a guess of thousands makes it hash the whole table)
    static final String DELETE = """
            WITH target AS (
                SELECT id FROM {schema}.shigoto_jobs
                WHERE state <> 'executing' AND id > ? {where}
                ORDER BY id
                LIMIT ?
                FOR UPDATE
            ), gone AS (
                DELETE FROM {schema}.shigoto_jobs j
                WHERE j.id = ANY(ARRAY(SELECT id FROM target)) AND j.state <> 'executing'
                RETURNING j.id, j.state, j.kind, j.queue, j.attempt, j.attempted_by
            ), edges AS (
                DELETE FROM {schema}.shigoto_job_deps d USING gone WHERE d.job_id = gone.id
            )
            SELECT id, state::text, NULL, kind, queue, attempt, attempted_by FROM gone
            """;

    // stores the progress of running attempts in one statement (shigoto_progress, migration 0008: pinned to
    // primary-key probes like JobStore.FINISH); the guard skips attempts that are over
    static final String PROGRESS = """
            SELECT {schema}.shigoto_progress(?::bigint[], ?::int[], ?::smallint[])
            """;

    // stores the progress of one job from outside its worker, unless it finished; answers what its event names
    static final String PROGRESS_ONE = """
            UPDATE {schema}.shigoto_jobs
            SET progress = ?
            WHERE id = ? AND state NOT IN ('completed', 'discarded', 'cancelled')
            RETURNING kind, queue, attempt, attempted_by
            """;

    // retries up to ? jobs of a selection that are retryable, discarded or cancelled (id order after a cursor): due
    // now with a full attempt budget again (attempt keeps growing, so no late finisher of an old attempt can match);
    // a job with dependencies waits for them again. A unique job whose key another job holds meanwhile is left alone:
    // it would duplicate that job. The ids as an array: see CANCEL
    static final String RETRY = """
            WITH target AS (
                SELECT id, state AS was FROM {schema}.shigoto_jobs t
                WHERE state IN ('retryable', 'discarded', 'cancelled') AND id > ? {where}
                  AND NOT EXISTS (SELECT 1 FROM {schema}.shigoto_jobs o
                                  WHERE o.unique_key = t.unique_key AND o.id <> t.id
                                    AND o.unique_options & {schema}.shigoto_state_bit(o.state) <> 0)
                ORDER BY id
                LIMIT ?
                FOR UPDATE
            )
            UPDATE {schema}.shigoto_jobs j
            SET state = CASE WHEN EXISTS (SELECT 1 FROM {schema}.shigoto_job_deps d WHERE d.job_id = j.id)
                             THEN 'pending' ELSE 'available' END::{schema}.shigoto_job_state,
                scheduled_at = ?, attempt_base = j.attempt, finished_at = NULL
            FROM target
            WHERE j.id = target.id AND j.id = ANY(ARRAY(SELECT id FROM target))
              AND j.state IN ('retryable', 'discarded', 'cancelled')
            RETURNING j.id, target.was::text, j.state::text, j.kind, j.queue, j.attempt, j.attempted_by
            """;

    // moves a job that has not started to a later due time; a pending job keeps waiting for its dependencies; a
    // unique job whose key another job holds is left alone (see RETRY)
    static final String SNOOZE = """
            UPDATE {schema}.shigoto_jobs t
            SET scheduled_at = ?,
                state = CASE WHEN state = 'pending' THEN state ELSE 'scheduled' END::{schema}.shigoto_job_state
            WHERE id = ? AND state IN ('pending', 'scheduled', 'available', 'retryable')
              AND NOT EXISTS (SELECT 1 FROM {schema}.shigoto_jobs o
                              WHERE o.unique_key = t.unique_key AND o.id <> t.id
                                AND o.unique_options & {schema}.shigoto_state_bit(o.state) <> 0)
            RETURNING kind, queue, attempt
            """;

    /** Rows per statement of a bulk action. */
    static final int BATCH = 5_000;

    /**
     * A job a dependency resolution changed.
     *
     * @param id the job
     * @param state its state after the resolution
     * @param queue its queue
     */
    public record Changed(long id, JobState state, String queue) {
    }

    /**
     * A job a control action (cancel, retry, delete) changed.
     *
     * @param id the job
     * @param was its state before the action
     * @param state its state after the action, {@code null} for a delete
     * @param kind its kind
     * @param queue its queue
     * @param attempt its latest attempt
     * @param node the node that ran its latest attempt, {@code null} when none ran
     */
    public record Controlled(long id, JobState was, JobState state, String kind, String queue, int attempt,
            String node) {
    }

    /**
     * The progress of a running attempt.
     *
     * @param id the job
     * @param kind the job's kind
     * @param queue the job's queue
     * @param attempt the attempt that reported it
     * @param percent the progress
     */
    public record Progress(long id, String kind, String queue, int attempt, int percent) {
    }

    @FunctionalInterface
    private interface Extra {
        void bind(PreparedStatement st, int index) throws SQLException;
    }

    private final DataSource dataSource;
    private final Schema schema;

    JobControls(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /**
     * Cancels the unfinished jobs of a selection, executing ones included (their nodes must interrupt them).
     *
     * @return the cancelled jobs
     */
    public List<Controlled> cancel(JobSelection selection, Instant now, String reason) throws SQLException {
        return batched(CANCEL, selection, (st, i) -> {
            st.setObject(i, JobStore.timestamp(now));
            st.setString(i + 1, now.toString());
            st.setString(i + 2, reason);
        });
    }

    /**
     * Makes the retryable, discarded and cancelled jobs of a selection due now with a full attempt budget.
     *
     * @return the retried jobs, now {@code available} or {@code pending} (when they have dependencies)
     */
    public List<Controlled> retry(JobSelection selection, Instant now) throws SQLException {
        return batched(RETRY, selection, (st, i) -> st.setObject(i, JobStore.timestamp(now)));
    }

    /**
     * Deletes the jobs of a selection that are not executing.
     *
     * @return the deleted jobs
     */
    public List<Controlled> delete(JobSelection selection) throws SQLException {
        return batched(DELETE, selection, null);
    }

    /**
     * @return the snoozed job ({@code was} and {@code node} left out), or {@code null} when no job with that id had
     *         not started
     */
    public Controlled snooze(long id, Instant until) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(SNOOZE))) {
            st.setObject(1, JobStore.timestamp(until));
            st.setLong(2, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new Controlled(id, null, JobState.SCHEDULED, rs.getString(1), rs.getString(2),
                        rs.getInt(3), null) : null;
            }
        }
    }

    /** Stores the latest progress of running attempts in one statement. */
    public void progress(List<Progress> updates) throws SQLException {
        int n = updates.size();
        Long[] id = new Long[n];
        Integer[] attempt = new Integer[n];
        Short[] percent = new Short[n];
        for (int i = 0; i < n; i++) {
            Progress p = updates.get(i);
            id[i] = p.id();
            attempt[i] = p.attempt();
            percent[i] = (short) p.percent();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(PROGRESS))) {
            st.setArray(1, c.createArrayOf("int8", id));
            st.setArray(2, c.createArrayOf("int4", attempt));
            st.setArray(3, c.createArrayOf("int2", percent));
            st.executeQuery().close();
        }
    }

    /** @return what was stored, as its event, or {@code null} when no unfinished job has that id */
    public JobProgressed progress(long id, int percent) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(PROGRESS_ONE))) {
            st.setShort(1, (short) percent);
            st.setLong(2, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new JobProgressed(id, rs.getString(1), rs.getString(2), rs.getInt(3),
                        rs.getString(4), percent) : null;
            }
        }
    }

    /** @return up to {@code limit} jobs of a selection with an id above {@code afterId}, in id order */
    public List<JobView> jobs(JobSelection selection, long afterId, int limit) throws SQLException {
        List<JobView> views = new ArrayList<>();
        if (selection.empty()) {
            return views;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(selection.render(SharedSql.JOBS, schema))) {
            st.setLong(1, afterId);
            int i = selection.bind(c, st, 2);
            st.setInt(i, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    views.add(JobStore.view(rs));
                }
            }
        }
        return views;
    }

    /** Runs a bulk action's statement batch after batch; each row is id, was, state, kind, queue, attempt, node. */
    private List<Controlled> batched(String sql, JobSelection selection, Extra extra) throws SQLException {
        List<Controlled> changed = new ArrayList<>();
        if (selection.empty()) {
            return changed;
        }
        // the few kinds, queues and nodes of a large action are held once, not once per row
        Map<String, String> names = new HashMap<>();
        String statement = selection.render(sql, schema);
        long cursor = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.plannedFresh(c.prepareStatement(statement))) {
            while (true) {
                st.setLong(1, cursor);
                int i = selection.bind(c, st, 2);
                st.setInt(i, BATCH);
                if (extra != null) {
                    extra.bind(st, i + 1);
                }
                int rows = 0;
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        String state = rs.getString(3);
                        changed.add(new Controlled(id, JobState.fromDb(rs.getString(2)),
                                state == null ? null : JobState.fromDb(state), shared(names, rs.getString(4)),
                                shared(names, rs.getString(5)), rs.getInt(6), shared(names, rs.getString(7))));
                        cursor = Math.max(cursor, id);
                        rows++;
                    }
                }
                if (rows == 0 || selection.ids() != null && selection.ids().length <= BATCH) {
                    return changed;
                }
            }
        }
    }

    private static String shared(Map<String, String> names, String name) {
        return name == null ? null : names.computeIfAbsent(name, n -> n);
    }
}
