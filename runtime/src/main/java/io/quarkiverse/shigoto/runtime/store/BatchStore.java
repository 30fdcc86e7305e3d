package io.quarkiverse.shigoto.runtime.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.BatchState;
import io.quarkiverse.shigoto.BatchView;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.WorkflowView;

/**
 * The batches table (migrations 0010, 0011): creating a batch, adding members to an open one, sealing, reading one
 * back; a workflow is a sealed batch whose members are its steps.
 * Members' outcomes are counted by the database itself, in the transactions that change them (see the migration).
 */
public final class BatchStore {

    static final String ADD_MEMBERS = """
            UPDATE {schema}.shigoto_batches SET total = total + ? WHERE id = ?
            """;

    // a workflow's step names and their jobs, parents before children (see 0011)
    static final String ADD_STEPS = """
            UPDATE {schema}.shigoto_batches SET steps = ?, step_ids = ? WHERE id = ?
            """;

    // one page of batches or of workflows, newest first, before an id; by name (ILIKE pattern, or NULL) and state
    // (open, running, finished, or NULL); through the primary key backwards
    static final String BATCH_PAGE = """
            SELECT id, name, steps IS NOT NULL, sealed, total, completed, discarded, cancelled, deleted, inserted_at,
                   finished_at
            FROM {schema}.shigoto_batches
            WHERE id < ? AND (steps IS NOT NULL) = ? AND (?::text IS NULL OR name ILIKE ?)
              AND (?::text IS NULL OR ? = CASE WHEN finished_at IS NOT NULL THEN 'finished'
                                                WHEN sealed THEN 'running' ELSE 'open' END)
            ORDER BY id DESC
            LIMIT ?
            """;

    // a new batch, open until its members are stored; the callbacks as resolved jobs (see 0010)
    static final String CREATE = """
            INSERT INTO {schema}.shigoto_batches (name, meta, callbacks, inserted_at)
            VALUES (?, ?::jsonb, ?::jsonb, ?)
            RETURNING id
            """;

    // what the live updates of a batch's page compare: its counters, and for a workflow its steps' states
    static final String FINGERPRINT = """
            SELECT concat_ws('|', b.total, b.completed, b.discarded, b.cancelled, b.deleted, b.sealed, b.finished_at,
                             (SELECT string_agg(j.state::text, ',' ORDER BY s.ord)
                              FROM unnest(b.step_ids) WITH ORDINALITY AS s(id, ord)
                                   LEFT JOIN {schema}.shigoto_jobs j ON j.id = s.id))
            FROM {schema}.shigoto_batches b WHERE b.id = ?
            """;

    // whether a batch is a workflow; nothing for a missing batch
    static final String IS_WORKFLOW = """
            SELECT step_ids IS NOT NULL FROM {schema}.shigoto_batches WHERE id = ?
            """;

    // locks an open batch against a concurrent seal while members join it; answers nothing for a missing batch
    static final String LOCK = """
            SELECT sealed FROM {schema}.shigoto_batches WHERE id = ? FOR UPDATE
            """;

    // the batch or workflow a job belongs to, with its step name in a workflow
    static final String MEMBERSHIP = """
            SELECT b.id, b.step_ids IS NOT NULL, b.steps[array_position(b.step_ids, j.id)]
            FROM {schema}.shigoto_jobs j JOIN {schema}.shigoto_batches b ON b.id = j.batch_id
            WHERE j.id = ?
            """;

    // the batch with its members that have not finished, by state, with their progress summed, in one statement
    // so that both are one snapshot (a member finishing in between is either unfinished or counted, never both);
    // the batch index holds exactly these members (finished ones are counted in the batch row)
    static final String READ = """
            SELECT b.id, b.name, b.meta::text, b.sealed, b.total, b.completed, b.discarded, b.cancelled, b.deleted,
                   b.callbacks::text, b.callback_ids, b.inserted_at, b.finished_at, m.states, m.counts, m.progress
            FROM {schema}.shigoto_batches b
            LEFT JOIN LATERAL (
                SELECT array_agg(s.state) AS states, array_agg(s.n) AS counts, sum(s.progress) AS progress
                FROM (SELECT j.state::text AS state, count(*)::integer AS n, sum(coalesce(j.progress, 0)) AS progress
                      FROM {schema}.shigoto_jobs j
                      WHERE j.batch_id = b.id AND j.state NOT IN ('completed', 'discarded', 'cancelled')
                      GROUP BY j.state) s
            ) m ON true
            WHERE b.id = ?
            """;

    static final String SEAL = """
            SELECT {schema}.shigoto_batch_seal(?, ?, ?)
            """;

    // the first of a batch's members that have not finished, in id order, through the batch index
    static final String UNFINISHED = SharedSql.JOB_COLUMNS + """
            FROM {schema}.shigoto_jobs
            WHERE batch_id = ? AND state NOT IN ('completed', 'discarded', 'cancelled')
            ORDER BY id
            LIMIT ?
            """;

    // a workflow's steps in order, each with its job (from the archive once pruned there) and the jobs it waits for
    static final String WORKFLOW_STEPS = """
            SELECT s.step, s.id, coalesce(j.kind, a.kind), coalesce(j.state, a.state)::text,
                   coalesce(j.result, a.result)::text,
                   ARRAY(SELECT d.depends_on FROM {schema}.shigoto_job_deps d WHERE d.job_id = s.id
                         ORDER BY d.depends_on)
            FROM {schema}.shigoto_batches b
                 CROSS JOIN LATERAL unnest(b.steps, b.step_ids) WITH ORDINALITY AS s(step, id, ord)
                 LEFT JOIN {schema}.shigoto_jobs j ON j.id = s.id
                 LEFT JOIN {schema}.shigoto_jobs_archive a ON j.id IS NULL AND a.id = s.id
            WHERE b.id = ?
            ORDER BY s.ord
            """;

    private final DataSource dataSource;
    private final Schema schema;
    private final String create;
    private final String lock;
    private final String addMembers;
    private final String seal;
    private final String read;
    private final String fingerprint;
    private final String membership;
    private final String isWorkflow;
    private final String unfinished;
    private final String page;
    private final String addSteps;
    private final String workflowSteps;

    BatchStore(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.create = schema.render(CREATE);
        this.lock = schema.render(LOCK);
        this.addMembers = schema.render(ADD_MEMBERS);
        this.seal = schema.render(SEAL);
        this.read = schema.render(READ);
        this.fingerprint = schema.render(FINGERPRINT);
        this.membership = schema.render(MEMBERSHIP);
        this.isWorkflow = schema.render(IS_WORKFLOW);
        this.unfinished = schema.render(UNFINISHED);
        this.page = schema.render(BATCH_PAGE);
        this.addSteps = schema.render(ADD_STEPS);
        this.workflowSteps = schema.render(WORKFLOW_STEPS);
    }

    /**
     * Stores a new, open batch on the caller's connection.
     *
     * @param callbacksJson the callbacks as resolved jobs, see {@link #callbackRow}
     * @return its id
     */
    public long create(Connection c, String name, String metaJson, String callbacksJson, Instant now)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(create)) {
            st.setString(1, name);
            st.setString(2, metaJson);
            st.setString(3, callbacksJson);
            st.setObject(4, JobStore.timestamp(now));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Locks a batch for new members, in the caller's transaction.
     *
     * @return empty when no batch has that id, else whether it is sealed
     */
    public Optional<Boolean> lockSealed(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(lock)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    /** Counts new members into a batch, in the transaction that stored them. */
    public void addMembers(Connection c, long id, int count) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(addMembers)) {
            st.setInt(1, count);
            st.setLong(2, id);
            st.executeUpdate();
        }
    }

    /** Records a workflow's steps: their names and jobs, parents before children. */
    public void addSteps(Connection c, long id, List<String> names, long[] jobIds) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(addSteps)) {
            st.setArray(1, c.createArrayOf("text", names.toArray()));
            st.setArray(2, PgArrays.bigints(c, jobIds));
            st.setLong(3, id);
            st.executeUpdate();
        }
    }

    /**
     * Seals a batch, finishing it at once when every member is over (its callbacks then wake their queues at commit).
     *
     * @return whether it was open
     */
    public boolean seal(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(seal)) {
            st.setLong(1, id);
            st.setObject(2, JobStore.timestamp(now));
            st.setString(3, schema.insertChannel());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** @return the batch, or empty */
    public Optional<BatchView> batch(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return batch(c, id);
        }
    }

    /** @return the batch as the caller's connection sees it, or empty */
    public Optional<BatchView> batch(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(read)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<JobState, Integer> byState = new EnumMap<>(JobState.class);
                Array states = rs.getArray(14);
                if (states != null) {
                    String[] names = (String[]) states.getArray();
                    Integer[] counts = (Integer[]) rs.getArray(15).getArray();
                    for (int i = 0; i < names.length; i++) {
                        byState.put(JobState.fromDb(names[i]), counts[i]);
                    }
                }
                long progressSum = rs.getLong(16);
                boolean sealed = rs.getBoolean(4);
                int total = rs.getInt(5), completed = rs.getInt(6), discarded = rs.getInt(7),
                        cancelled = rs.getInt(8), deleted = rs.getInt(9);
                Instant finishedAt = JobStore.instant(rs, 13);
                Array ids = rs.getArray(11);
                Long[] callbackIds = ids == null ? new Long[0] : (Long[]) ids.getArray();
                Arrays.sort(callbackIds);
                List<BatchView.Callback> callbacks = callbacks(JsonCodec.readList(rs.getString(10)), callbackIds,
                        finishedAt != null, completed, discarded, cancelled, deleted);
                BatchState state = finishedAt != null ? BatchState.FINISHED
                        : sealed ? BatchState.RUNNING : BatchState.OPEN;
                // finished members from the counters (also those pruned since); one deleted before it finished
                // counts as finished for the progress
                putCount(byState, JobState.COMPLETED, completed);
                putCount(byState, JobState.DISCARDED, discarded);
                putCount(byState, JobState.CANCELLED, cancelled);
                int done = completed + discarded + cancelled + deleted;
                int progress = total == 0 ? (finishedAt != null ? 100 : 0)
                        : (int) Math.min(100, (progressSum + 100L * done) / total);
                return Optional.of(new BatchView(rs.getLong(1), rs.getString(2),
                        state, total, completed, discarded, cancelled, deleted, Map.copyOf(byState), progress,
                        callbacks, JsonCodec.readObjectOrEmpty(rs.getString(3)), JobStore.instant(rs, 12), finishedAt));
            }
        }
    }

    /**
     * The batch or workflow a job belongs to.
     *
     * @param batch the batch's (or workflow's) id
     * @param workflow whether it is a workflow
     * @param step the job's step name in the workflow, or {@code null}
     */
    public record Membership(long batch, boolean workflow, String step) {
    }

    /** @return the batch or workflow the job belongs to, or empty */
    public Optional<Membership> membership(long jobId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(membership)) {
            st.setLong(1, jobId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Membership(rs.getLong(1), rs.getBoolean(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /** @return whether the batch is a workflow (false for a missing one) */
    public boolean isWorkflow(long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(isWorkflow)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** @return the first {@code limit} of the batch's members that have not finished, in id order */
    public List<JobView> unfinished(long id, int limit) throws SQLException {
        List<JobView> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(unfinished)) {
            st.setLong(1, id);
            st.setInt(2, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    jobs.add(JobStore.view(rs));
                }
            }
        }
        return jobs;
    }

    /** @return what a batch's page shows that can change (counters, a workflow's step states); empty when gone */
    public String fingerprint(long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(fingerprint)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? String.valueOf(rs.getString(1)) : "";
            }
        }
    }

    /**
     * A batch or workflow as a list shows it: its counters, without its members.
     *
     * @param workflow whether it is a workflow
     * @param state open, running or finished
     */
    public record Summary(long id, String name, boolean workflow, BatchState state, int total, int completed,
            int discarded, int cancelled, int deleted, Instant insertedAt, Instant finishedAt) {

        /** @return how many members finished (or were deleted before they finished) */
        public int finished() {
            return completed + discarded + cancelled + deleted;
        }
    }

    /**
     * @param workflows workflows, or batches that are not workflows
     * @param nameContains text the name must contain (case-insensitively), or {@code null}
     * @param state the state, or {@code null} for any
     * @param before only ids below this
     * @return up to {@code limit} of them, newest first
     */
    public List<Summary> page(boolean workflows, String nameContains, BatchState state, long before, int limit)
            throws SQLException {
        String pattern = nameContains == null ? null
                : "%" + nameContains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String stateName = state == null ? null : state.name().toLowerCase(Locale.ROOT);
        List<Summary> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(page)) {
            st.setLong(1, before);
            st.setBoolean(2, workflows);
            st.setString(3, pattern);
            st.setString(4, pattern);
            st.setString(5, stateName);
            st.setString(6, stateName);
            st.setInt(7, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Instant finishedAt = JobStore.instant(rs, 11);
                    BatchState s = finishedAt != null ? BatchState.FINISHED
                            : rs.getBoolean(4) ? BatchState.RUNNING : BatchState.OPEN;
                    rows.add(new Summary(rs.getLong(1), rs.getString(2), rs.getBoolean(3), s, rs.getInt(5),
                            rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), JobStore.instant(rs, 10),
                            finishedAt));
                }
            }
        }
        return rows;
    }

    /** @return the workflow, its counters and its steps read in one snapshot, or empty */
    public Optional<WorkflowView> workflow(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return workflow(c, id);
            } finally {
                c.rollback();
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(true);
            }
        }
    }

    /** @return the workflow as the caller's connection sees it, or empty (also for a batch that is no workflow) */
    public Optional<WorkflowView> workflow(Connection c, long id) throws SQLException {
        Optional<BatchView> batch = batch(c, id);
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<String[]> rest = new ArrayList<>();
        List<Long[]> parents = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(workflowSteps)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    ids.add(rs.getLong(2));
                    rest.add(new String[] { rs.getString(3), rs.getString(4), rs.getString(5) });
                    parents.add((Long[]) rs.getArray(6).getArray());
                }
            }
        }
        if (names.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, String> nameOf = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            nameOf.put(ids.get(i), names.get(i));
        }
        List<WorkflowView.Step> steps = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            List<String> after = new ArrayList<>();
            for (Long p : parents.get(i)) {
                String parent = nameOf.get(p);
                if (parent != null) {
                    after.add(parent);
                }
            }
            String[] r = rest.get(i);
            steps.add(new WorkflowView.Step(names.get(i), ids.get(i), r[0], r[1] == null ? null : JobState.fromDb(r[1]),
                    List.copyOf(after), r[2] == null ? null : JsonCodec.readValue(r[2])));
        }
        return Optional.of(new WorkflowView(id, batch.get().name(), batch.get(), List.copyOf(steps)));
    }

    private static void putCount(Map<JobState, Integer> byState, JobState state, int count) {
        if (count > 0) {
            byState.put(state, count);
        }
    }

    /**
     * The callbacks, each with the job the batch's finish inserted for it: the finish inserts the due ones in their
     * stored order, in one statement, so their ids ascend in that order.
     */
    static List<BatchView.Callback> callbacks(List<Object> stored, Long[] ids, boolean finished, int completed,
            int discarded, int cancelled, int deleted) {
        List<BatchView.Callback> out = new ArrayList<>(stored.size());
        int next = 0;
        for (Object o : stored) {
            @SuppressWarnings("unchecked")
            Map<String, Object> cb = (Map<String, Object>) o;
            String on = String.valueOf(cb.get("on"));
            boolean due = finished && switch (on) {
                case "completed" -> discarded == 0 && cancelled == 0 && deleted == 0;
                case "discarded" -> discarded > 0;
                case "cancelled" -> cancelled + deleted > 0;
                default -> true;
            };
            Long jobId = due && next < ids.length ? ids[next++] : null;
            out.add(new BatchView.Callback(on, String.valueOf(cb.get("kind")), String.valueOf(cb.get("queue")),
                    jobId));
        }
        return out;
    }

    /**
     * @param on the outcome the callback waits for
     * @param job the callback, resolved like any insert
     * @return the callback as the batches table keeps it (see 0010)
     */
    public static Map<String, Object> callbackRow(String on, NewJob job) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("on", on);
        row.put("kind", job.kind());
        row.put("queue", job.queue());
        row.put("priority", job.priority());
        row.put("max_attempts", job.maxAttempts());
        row.put("args", new RawJson(job.argsJson()));
        row.put("meta", new RawJson(job.metaJson()));
        row.put("tags", job.tags());
        row.put("limit_key", job.limitKey());
        return row;
    }
}
