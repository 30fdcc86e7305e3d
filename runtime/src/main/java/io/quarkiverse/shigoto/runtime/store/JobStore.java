package io.quarkiverse.shigoto.runtime.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;

/**
 * The engine's access to the job table over JDBC: claims, completions, staging and reads (inserts are in
 * {@link JobInserts}, fair and limited claims in {@link JobClaims}). Over 300 lines: its hot-path statements stand
 * beside the code that binds them, and it hands out the store's other parts. Its statements are the constants at the
 * top, in {@code {schema}} form (see {@link Schema#render}); this class binds values and maps rows. Methods taking a
 * {@link Connection} run in the caller's transaction; the others borrow a pooled connection for one auto-committed
 * statement.
 */
public final class JobStore {

    // claims up to ? available jobs of one queue in claim order; SKIP LOCKED so nodes never wait on each other. The
    // work is in the function shigoto_claim (migration 0001), which pins the plan to an ordered scan of the fetch index
    private static final String CLAIM = SharedSql.CLAIMED_COLUMNS + """
            FROM {schema}.shigoto_claim(?, ?, ?, ?)
            """;

    // records finished attempts in one statement, through shigoto_finish (migration 0008), whose plan probes the
    // primary key per job however the table grew since the plan was cached; its state/attempt guard leaves a job
    // cancelled or rescued meanwhile untouched, so a late finisher never overwrites it. Each row says whether some
    // job depends on the finished one
    static final String FINISH = """
            SELECT job_id, job_state, discarded_args, discarded_errors, has_dependents
            FROM {schema}.shigoto_finish(?::bigint[], ?::int[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::int[],
                                         ?::text[], ?::text[], ?::smallint[])
            """;

    // the common case of FINISH: attempts that completed without a result, so only ids and attempts travel and no
    // JSON is parsed; same guard and pinned plan (shigoto_finish_completed, migration 0008)
    static final String FINISH_COMPLETED = """
            SELECT job_id, has_dependents FROM {schema}.shigoto_finish_completed(?, ?::bigint[], ?::int[])
            """;

    // one job by id, every column
    static final String JOB_BY_ID = SharedSql.JOB_COLUMNS + """
            FROM {schema}.shigoto_jobs
            WHERE id = ?
            """;

    // the earliest due time among scheduled and retryable jobs, for the stager's next wake-up
    static final String NEXT_DUE = """
            SELECT min(scheduled_at) FROM {schema}.shigoto_jobs WHERE state IN ('scheduled', 'retryable')
            """;

    // which of the given jobs are no longer executing (cancelled meanwhile), for a node checking its running attempts
    static final String NOT_EXECUTING = """
            SELECT id FROM {schema}.shigoto_jobs WHERE id = ANY(?::bigint[]) AND state <> 'executing'
            """;

    // makes up to ? due scheduled/retryable jobs available; SKIP LOCKED so concurrent stagers never wait. A unique job
    // that would block as available but not where it is now may find its key held by an equal job: then it (and any
    // later equal job of the batch) is cancelled as a duplicate naming the holder, never left to break the index
    static final String STAGE = """
            WITH due AS (
                SELECT id, state, unique_key, unique_options FROM {schema}.shigoto_jobs
                WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= ?
                ORDER BY scheduled_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), verdict AS (
                SELECT due.id,
                       CASE WHEN due.unique_key IS NULL OR due.unique_options & 4 = 0
                                 OR due.unique_options & {schema}.shigoto_state_bit(due.state) <> 0 THEN NULL
                            ELSE coalesce(
                                (SELECT o.id FROM {schema}.shigoto_jobs o
                                 WHERE o.unique_key = due.unique_key AND o.id <> due.id
                                   AND o.unique_options & {schema}.shigoto_state_bit(o.state) <> 0
                                 LIMIT 1),
                                nullif(first_value(due.id) OVER (PARTITION BY due.unique_key ORDER BY due.id), due.id))
                       END AS holder
                FROM due
            ), staged AS (
                UPDATE {schema}.shigoto_jobs j
                SET state = CASE WHEN v.holder IS NULL THEN 'available'
                                 ELSE 'cancelled' END::{schema}.shigoto_job_state,
                    finished_at = CASE WHEN v.holder IS NULL THEN j.finished_at ELSE ?::timestamptz END,
                    errors = CASE WHEN v.holder IS NULL THEN j.errors
                                  ELSE j.errors || jsonb_build_array(jsonb_build_object(
                                      'attempt', j.attempt, 'at', ?::text, 'type', 'unique-conflict',
                                      'message', 'a duplicate of job ' || v.holder || ', which holds the unique key'))
                             END
                FROM verdict v
                WHERE j.id = v.id
                RETURNING j.queue, j.state
            )
            SELECT queue, count(*) FROM staged WHERE state = 'available' GROUP BY queue
            """;

    // gives back jobs a stopping node claimed but never started (shigoto_unclaim, migration 0008: pinned to
    // primary-key probes like FINISH): available again with their attempt returned, so no late finisher can match
    // it; the guard skips any job that changed meanwhile. Answers how many
    static final String UNCLAIM = """
            SELECT {schema}.shigoto_unclaim(?::bigint[], ?::int[])
            """;

    // discards the available jobs of one queue whose attempt counter is at the integer maximum (no release writes
    // that): the claim's increment would fail, and every claim of the queue with it. Runs only after a claim failed
    // that way; the two halves read the queue's available jobs through the fetch index and the limited-jobs index.
    // The error entry names the column
    static final String UNCLAIMABLE = """
            UPDATE {schema}.shigoto_jobs
            SET state = 'discarded', finished_at = ?,
                errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', ?::text,
                    'type', 'invalid-row',
                    'message', 'column attempt holds ' || attempt || ', the largest integer: no attempt can follow'))
            WHERE id IN (SELECT id FROM {schema}.shigoto_jobs
                         WHERE state = 'available' AND queue = ? AND limit_key IS NULL AND attempt = 2147483647
                         UNION ALL
                         SELECT id FROM {schema}.shigoto_jobs
                         WHERE state = 'available' AND queue = ? AND limit_key IS NOT NULL AND attempt = 2147483647)
              AND state = 'available'
            """;

    static final Comparator<ClaimedJob> CLAIM_ORDER = Comparator.comparingInt(ClaimedJob::priority).reversed()
            .thenComparing(ClaimedJob::scheduledAt).thenComparingLong(ClaimedJob::id);

    private final DataSource dataSource;
    private final Schema schema;
    private final String claim;
    private final JobClaims claims;
    private final DashboardReads dashboard;
    private final String finish;
    private final String finishCompleted;
    private final String jobById;
    private final String nextDue;
    private final String stage;
    private final String unclaim;
    private final JobInserts inserts;
    private final JobControls controls;
    private final Dependencies dependencies;
    private final BatchStore batches;
    private final ClusterStore cluster;
    private final MaintenanceStore maintenance;
    private final CronStore cron;
    private final ManualRuns manualRuns;
    private final WaitReads waits;
    private final EncryptedRows encryptedRows;
    private final BreakerStore breakers;
    private final SheddingStore shedding;
    private final BroadcastStore broadcasts;

    public JobStore(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.claim = schema.render(CLAIM);
        this.finish = schema.render(FINISH);
        this.finishCompleted = schema.render(FINISH_COMPLETED);
        this.jobById = schema.render(JOB_BY_ID);
        this.nextDue = schema.render(NEXT_DUE);
        this.stage = schema.render(STAGE);
        this.unclaim = schema.render(UNCLAIM);
        this.inserts = new JobInserts(schema);
        this.controls = new JobControls(dataSource, schema);
        this.dependencies = new Dependencies(dataSource, schema);
        this.batches = new BatchStore(dataSource, schema);
        this.cluster = new ClusterStore(dataSource, schema);
        this.maintenance = new MaintenanceStore(dataSource, schema);
        this.cron = new CronStore(dataSource, schema, inserts);
        this.claims = new JobClaims(dataSource, schema);
        this.manualRuns = new ManualRuns(dataSource, schema);
        this.dashboard = new DashboardReads(dataSource, schema);
        this.waits = new WaitReads(dataSource, schema);
        this.encryptedRows = new EncryptedRows(dataSource, schema);
        this.breakers = new BreakerStore(dataSource, schema);
        this.shedding = new SheddingStore(dataSource, schema);
        this.broadcasts = new BroadcastStore(dataSource, schema);
    }

    /** @return broadcast queues' fan-out, claims and deliveries */
    public BroadcastStore broadcasts() {
        return broadcasts;
    }

    /** @return the leader's load shedding */
    public SheddingStore shedding() {
        return shedding;
    }

    /** @return the circuit breakers' rows */
    public BreakerStore breakers() {
        return breakers;
    }

    /** @return the re-encryption of jobs encrypted with an older key */
    public EncryptedRows encryptedRows() {
        return encryptedRows;
    }

    /** @return what the dashboard reads to say why a waiting job is not running */
    public WaitReads waits() {
        return waits;
    }

    /** @return the dashboard's reads */
    public DashboardReads dashboard() {
        return dashboard;
    }

    /** @return actions on stored jobs: cancel, retry, snooze, delete, progress, listings */
    public JobControls controls() {
        return controls;
    }

    /** @return the batches */
    public BatchStore batches() {
        return batches;
    }

    /** @return dependencies between jobs */
    public Dependencies dependencies() {
        return dependencies;
    }

    /** @return queue controls, nodes and control messages */
    public ClusterStore cluster() {
        return cluster;
    }

    /** @return leadership, rescue, pruning and throughput counts */
    public MaintenanceStore maintenance() {
        return maintenance;
    }

    /** @return the cron entries' cursors and runs */
    public CronStore cron() {
        return cron;
    }

    /** @return the runs of the test support's manual and inline modes */
    public ManualRuns manualRuns() {
        return manualRuns;
    }

    /** @return the claims of fair queues and limited kinds */
    public JobClaims claims() {
        return claims;
    }

    /** @return the insert half of the store, which always works on the caller's connection */
    public JobInserts inserts() {
        return inserts;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Schema schema() {
        return schema;
    }

    /**
     * Claims up to {@code limit} available jobs of a queue for this node.
     *
     * @return the claimed jobs, highest priority first
     */
    public List<ClaimedJob> claim(String queue, int limit, String node, Instant now) throws SQLException {
        List<ClaimedJob> jobs = new ArrayList<>(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(claim)) {
            st.setString(1, queue);
            st.setInt(2, limit);
            st.setObject(3, timestamp(now));
            st.setString(4, node);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    jobs.add(claimed(rs));
                }
            }
        }
        jobs.sort(CLAIM_ORDER);
        return jobs;
    }

    /** Maps a claimed row; never throws for what the row holds (see {@link ClaimedRows}). */
    static ClaimedJob claimed(ResultSet rs) throws SQLException {
        return ClaimedRows.map(rs);
    }

    /**
     * Makes claimed jobs that never started available again.
     *
     * @return how many were given back
     */
    public int unclaim(List<ClaimedJob> jobs) throws SQLException {
        Long[] id = new Long[jobs.size()];
        Integer[] attempt = new Integer[jobs.size()];
        for (int i = 0; i < id.length; i++) {
            id[i] = jobs.get(i).id();
            attempt[i] = jobs.get(i).attempt();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(unclaim)) {
            st.setArray(1, c.createArrayOf("int8", id));
            st.setArray(2, c.createArrayOf("int4", attempt));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Discards the available jobs of a queue that no claim can take because their attempt counter cannot grow (see
     * {@link #UNCLAIMABLE}).
     *
     * @return how many were discarded
     */
    public int discardUnclaimable(String queue, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.plannedFresh(c.prepareStatement(schema.render(UNCLAIMABLE)))) {
            st.setObject(1, timestamp(now));
            st.setString(2, now.toString());
            st.setString(3, queue);
            st.setString(4, queue);
            return st.executeUpdate();
        }
    }

    /**
     * Writes finished attempts in one statement.
     *
     * @return the completions the database accepted; the others lost their claim (cancelled, rescued) meanwhile
     */
    public List<FinishedJob> finish(List<Completion> completions) throws SQLException {
        List<Completion> plain = new ArrayList<>(completions.size());
        List<Completion> other = new ArrayList<>();
        for (Completion c : completions) {
            (c.isPlainCompletion() ? plain : other).add(c);
        }
        List<FinishedJob> accepted = new ArrayList<>(completions.size());
        try (Connection c = dataSource.getConnection()) {
            if (!plain.isEmpty()) {
                finishCompleted(c, plain, accepted);
            }
            if (!other.isEmpty()) {
                finishAny(c, other, accepted);
            }
        }
        return accepted;
    }

    private void finishCompleted(Connection c, List<Completion> completions, List<FinishedJob> accepted)
            throws SQLException {
        int n = completions.size();
        Long[] id = new Long[n];
        Integer[] attempt = new Integer[n];
        // one finish time for the batch, the latest: its jobs finished within the same write window (milliseconds)
        Instant finishedAt = completions.get(0).finishedAt();
        for (int i = 0; i < n; i++) {
            Completion done = completions.get(i);
            id[i] = done.id();
            attempt[i] = done.attempt();
            if (done.finishedAt().isAfter(finishedAt)) {
                finishedAt = done.finishedAt();
            }
        }
        try (PreparedStatement st = c.prepareStatement(finishCompleted)) {
            st.setObject(1, timestamp(finishedAt));
            st.setArray(2, c.createArrayOf("int8", id));
            st.setArray(3, c.createArrayOf("int4", attempt));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    accepted.add(new FinishedJob(rs.getLong(1), JobState.COMPLETED, null, null, rs.getBoolean(2)));
                }
            }
        }
    }

    private void finishAny(Connection c, List<Completion> completions, List<FinishedJob> accepted)
            throws SQLException {
        int n = completions.size();
        Long[] id = new Long[n];
        Integer[] attempt = new Integer[n], refund = new Integer[n];
        String[] state = new String[n], scheduled = new String[n], finished = new String[n], result = new String[n],
                error = new String[n];
        Short[] progress = new Short[n];
        for (int i = 0; i < n; i++) {
            Completion done = completions.get(i);
            id[i] = done.id();
            attempt[i] = done.attempt();
            state[i] = done.state().dbName();
            scheduled[i] = done.scheduledAt() == null ? null : done.scheduledAt().toString();
            finished[i] = done.finishedAt() == null ? null : done.finishedAt().toString();
            refund[i] = done.refundAttempt() ? 1 : 0;
            result[i] = done.resultJson();
            error[i] = done.errorJson();
            progress[i] = done.progress() == null ? null : done.progress().shortValue();
        }
        try (PreparedStatement st = c.prepareStatement(finish)) {
            st.setArray(1, c.createArrayOf("int8", id));
            st.setArray(2, c.createArrayOf("int4", attempt));
            st.setArray(3, c.createArrayOf("text", state));
            st.setArray(4, c.createArrayOf("text", scheduled));
            st.setArray(5, c.createArrayOf("text", finished));
            st.setArray(6, c.createArrayOf("int4", refund));
            st.setArray(7, c.createArrayOf("text", result));
            st.setArray(8, c.createArrayOf("text", error));
            st.setArray(9, c.createArrayOf("int2", progress));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    accepted.add(new FinishedJob(rs.getLong(1), JobState.fromDb(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
    }

    /**
     * Makes up to {@code limit} due scheduled and retryable jobs available.
     *
     * @return how many jobs became available, per queue
     */
    public Map<String, Integer> stage(Instant now, int limit) throws SQLException {
        Map<String, Integer> staged = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(stage)) {
            st.setObject(1, timestamp(now));
            st.setInt(2, limit);
            st.setObject(3, timestamp(now));
            st.setString(4, now.toString());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    staged.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return staged;
    }

    /** @return the earliest due time of a scheduled or retryable job */
    public Optional<Instant> nextDue() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(nextDue);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return Optional.ofNullable(instant(rs, 1));
        }
    }

    /** @return those of the given jobs that are no longer executing */
    public long[] notExecuting(long[] ids) throws SQLException {
        List<Long> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.plannedFresh(c.prepareStatement(schema.render(NOT_EXECUTING)))) {
            st.setArray(1, PgArrays.bigints(c, ids));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
        }
        return found.stream().mapToLong(Long::longValue).toArray();
    }

    /** Reads one job with a pooled connection. */
    public Optional<JobView> job(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return job(c, id);
        }
    }

    /** Reads one job on the caller's connection. */
    public Optional<JobView> job(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(jobById)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    /** Maps a row of the shared column list of JOB_BY_ID, JOBS, DEPENDENCIES and DEPENDENTS. */
    static JobView view(ResultSet rs) throws SQLException {
        return new JobView(rs.getLong(1), rs.getString(2), rs.getString(3), JobState.fromDb(rs.getString(4)),
                rs.getInt(5), lenientObject(rs.getString(6)), lenientObject(rs.getString(7)), strings(rs.getArray(8)),
                rs.getInt(9), rs.getInt(10), JsonCodec.readErrors(rs.getString(11)),
                JsonCodec.readValue(rs.getString(12)), rs.getString(13), instant(rs, 14), instant(rs, 15),
                instant(rs, 16), rs.getString(17), instant(rs, 18), (Integer) rs.getObject(19, Integer.class), false);
    }

    /** Reading a job must not fail on a row whose args are not an object; the executor reports that case. */
    private static Map<String, Object> lenientObject(String json) {
        try {
            return JsonCodec.readObject(json);
        } catch (IllegalArgumentException e) {
            return Map.of("_invalid", json);
        }
    }

    /** Reading a job must not fail on tags no release writes (NULL elements, nested arrays): those are left out. */
    static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        List<String> list = new ArrayList<>(values.length);
        for (Object v : values) {
            if (v instanceof String tag) {
                list.add(tag);
            }
        }
        return List.copyOf(list);
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Reads a {@code timestamptz} column. The claim's hot path reads its timestamps as epoch microseconds instead
     * (see {@link ClaimedRows#micros}).
     */
    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime ts = rs.getObject(column, OffsetDateTime.class);
        return ts == null ? null : ts.toInstant();
    }
}
