package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;

/**
 * The insert half of the store: single inserts, bulk inserts ({@code unnest} for small batches, {@code COPY} for
 * large ones) and wake-up notifications, always on the caller's connection so they join its transaction. Over 300
 * lines: over a quarter of it is its statements, kept beside the code that binds them.
 */
public final class JobInserts {

    // inserts many jobs given as one JSON array, through Hibernate Reactive's native queries (which take ?N
    // parameters and cannot parse :: casts); rows come back in input order
    static final String INSERT_JSON = """
            INSERT INTO {schema}.shigoto_jobs (kind, queue, priority, args, meta, tags, max_attempts, scheduled_at,
                                               state, partition_key, inserted_at, limit_key)
            SELECT r.kind, r.queue, r.priority, r.args, r.meta, ARRAY(SELECT jsonb_array_elements_text(r.tags)),
                   r.max_attempts, r.scheduled_at, CAST(r.state AS {schema}.shigoto_job_state), r.partition_key,
                   CAST(CAST(?2 AS text) AS timestamptz), r.limit_key
            FROM ROWS FROM (jsonb_to_recordset(CAST(CAST(?1 AS text) AS jsonb))
                     AS (kind text, queue text, priority smallint, args jsonb, meta jsonb, tags jsonb,
                         max_attempts integer, scheduled_at timestamptz, state text, partition_key text,
                         limit_key text))
                 WITH ORDINALITY AS r(kind, queue, priority, args, meta, tags, max_attempts, scheduled_at, state,
                                      partition_key, limit_key, ord)
            ORDER BY r.ord
            RETURNING id
            """;

    // inserts many jobs from parallel arrays in one statement (no bind-parameter limit); rows come back in input order
    // (the second parameter is the batch of all the rows, or null)
    static final String INSERT_MANY = """
            INSERT INTO {schema}.shigoto_jobs (kind, queue, priority, args, meta, tags, max_attempts, scheduled_at,
                                               state, partition_key, inserted_at, limit_key, batch_id)
            SELECT t.kind, t.queue, t.priority, t.args::jsonb, t.meta::jsonb, t.tags::text[], t.max_attempts,
                   t.scheduled_at, t.state::{schema}.shigoto_job_state, t.partition_key, ?, t.limit_key, ?::bigint
            FROM unnest(?::text[], ?::text[], ?::smallint[], ?::text[], ?::text[], ?::text[], ?::int[],
                        ?::timestamptz[], ?::text[], ?::text[], ?::text[])
                 WITH ORDINALITY AS t(kind, queue, priority, args, meta, tags, max_attempts, scheduled_at, state,
                                      partition_key, limit_key, ord)
            ORDER BY t.ord
            RETURNING id
            """;

    // inserts one job: one round trip, and in autocommit one transaction, for the most common insert
    static final String INSERT_ONE = """
            INSERT INTO {schema}.shigoto_jobs (kind, queue, priority, args, meta, tags, max_attempts, scheduled_at, state,
                                               partition_key, inserted_at, limit_key)
            VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?::text[], ?, ?, ?::{schema}.shigoto_job_state, ?, ?, ?)
            RETURNING id
            """;

    // INSERT_ONE that also wakes its queue on every node (the last two parameters: channel and queue), still one
    // round trip; the NOTIFY is delivered at commit like any other. Most inserts need none (see InsertNotifier), and
    // take the plain statement, which PostgreSQL runs with less work
    static final String INSERT_ONE_WAKE = """
            WITH job AS (
                INSERT INTO {schema}.shigoto_jobs (kind, queue, priority, args, meta, tags, max_attempts, scheduled_at,
                                                   state, partition_key, inserted_at, limit_key)
                VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?::text[], ?, ?, ?::{schema}.shigoto_job_state, ?, ?, ?)
                RETURNING id
            )
            SELECT job.id FROM job, LATERAL (SELECT pg_notify(?, ?)) wake
            """;

    // inserts unique jobs given as one JSON array (see INSERT_JSON). A row whose key is held by a job in one of its
    // blocking states stores nothing: the unique index serialises concurrent inserts of a key, and DO UPDATE locks and
    // answers the existing job, changing what the new row's unique_options ask for (replace bits from 256, debounce
    // 16384; see UniqueSpec) as long as that job has not started. xmax is set only on rows this statement updated,
    // which tells conflicts from new jobs: each row answers the new id, or the found job as JSON (so a conflict
    // shows what the job is now). The rows must have distinct keys. When ?4 is true it also wakes the queues
    // of the new available jobs on channel ?3 (delivered at commit), so one unique insert is one round trip
    static final String INSERT_UNIQUE_JSON = """
            WITH job AS (
                INSERT INTO {schema}.shigoto_jobs AS j (kind, queue, priority, args, meta, tags, max_attempts, scheduled_at,
                                                        state, partition_key, inserted_at, unique_key, unique_options,
                                                        limit_key, batch_id)
                SELECT r.kind, r.queue, r.priority, r.args, r.meta, ARRAY(SELECT jsonb_array_elements_text(r.tags)),
                       r.max_attempts, r.scheduled_at, CAST(r.state AS {schema}.shigoto_job_state), r.partition_key,
                       CAST(CAST(?2 AS text) AS timestamptz), decode(r.unique_key, 'hex'), r.unique_options, r.limit_key,
                       r.batch_id
                FROM ROWS FROM (jsonb_to_recordset(CAST(CAST(?1 AS text) AS jsonb))
                         AS (kind text, queue text, priority smallint, args jsonb, meta jsonb, tags jsonb,
                             max_attempts integer, scheduled_at timestamptz, state text, partition_key text,
                             unique_key text, unique_options integer, limit_key text, batch_id bigint))
                     WITH ORDINALITY AS r(kind, queue, priority, args, meta, tags, max_attempts, scheduled_at, state,
                                          partition_key, unique_key, unique_options, limit_key, batch_id, ord)
                ORDER BY r.ord
                ON CONFLICT (unique_key)
                    WHERE unique_key IS NOT NULL AND (unique_options & {schema}.shigoto_state_bit(state)) <> 0
                DO UPDATE SET
                    args = CASE WHEN excluded.unique_options & 256 <> 0 AND j.state IN ('pending', 'scheduled',
                                'available', 'retryable') THEN excluded.args ELSE j.args END,
                    priority = CASE WHEN excluded.unique_options & 512 <> 0 AND j.state IN ('pending', 'scheduled',
                                'available', 'retryable') THEN excluded.priority ELSE j.priority END,
                    max_attempts = CASE WHEN excluded.unique_options & 1024 <> 0 AND j.state IN ('pending', 'scheduled',
                                'available', 'retryable') THEN excluded.max_attempts ELSE j.max_attempts END,
                    scheduled_at = CASE WHEN excluded.unique_options & (2048 | 16384) <> 0 AND j.state IN ('pending',
                                'scheduled', 'available', 'retryable') THEN excluded.scheduled_at ELSE j.scheduled_at END,
                    state = CASE WHEN excluded.unique_options & (2048 | 16384) <> 0 AND j.state IN ('scheduled',
                                'available')
                            THEN CASE WHEN excluded.scheduled_at > CAST(CAST(?2 AS text) AS timestamptz)
                                      THEN CAST('scheduled' AS {schema}.shigoto_job_state)
                                      ELSE CAST('available' AS {schema}.shigoto_job_state) END
                            ELSE j.state END,
                    tags = CASE WHEN excluded.unique_options & 4096 <> 0 AND j.state IN ('pending', 'scheduled',
                                'available', 'retryable') THEN excluded.tags ELSE j.tags END,
                    meta = CASE WHEN excluded.unique_options & 8192 <> 0 AND j.state IN ('pending', 'scheduled',
                                'available', 'retryable') THEN excluded.meta ELSE j.meta END
                RETURNING j.id, j.queue, j.state, CAST(j.xmax AS text) <> '0' AS conflict,
                          CASE WHEN CAST(j.xmax AS text) <> '0'
                               THEN CAST(to_jsonb(j) - 'unique_key' - 'limit_key' AS text) END AS found
            ), wake AS (
                SELECT count(pg_notify(CAST(?3 AS text), q.queue)) AS sent
                FROM (SELECT DISTINCT queue FROM job WHERE NOT conflict AND state = 'available') q
                WHERE CAST(?4 AS boolean)
            )
            SELECT job.id, job.found FROM job WHERE (SELECT sent FROM wake) >= 0
            """;

    // NOTIFY for a JSON array of queues, through Hibernate Reactive (see INSERT_JSON)
    private static final String NOTIFY_JSON = """
            SELECT count(pg_notify(CAST(?1 AS text), q.name))
            FROM jsonb_array_elements_text(CAST(CAST(?2 AS text) AS jsonb)) AS q(name)
            """;

    private final Schema schema;
    private final String insertOne;
    private final String insertOneWake;
    private final String insertMany;
    private final CopyInsert copyInsert;

    JobInserts(Schema schema) {
        this.schema = schema;
        this.insertOne = schema.render(INSERT_ONE);
        this.insertOneWake = schema.render(INSERT_ONE_WAKE);
        this.insertMany = schema.render(INSERT_MANY);
        this.copyInsert = new CopyInsert(schema);
    }

    /**
     * The insert statement for clients that cannot bind arrays (Hibernate Reactive): parameter 1 is
     * {@link #rowsJson(List)}, parameter 2 the insert time as ISO-8601 text.
     */
    public String insertJsonStatement() {
        return schema.render(INSERT_JSON);
    }

    /**
     * The unique insert statement, for every client: parameter 1 is {@link #rowsJson(List)} of unique jobs with
     * distinct keys, parameter 2 the insert time as ISO-8601 text, parameter 3 the wake-up channel, parameter 4
     * whether to wake the queues of new available jobs; each row answers {@link #uniqueView}'s id and found job.
     */
    public String insertUniqueJsonStatement() {
        return schema.render(INSERT_UNIQUE_JSON);
    }

    /**
     * Stores unique jobs with distinct keys on the caller's connection, or finds the jobs holding their keys; with
     * {@code wake}, the same statement wakes the queues of the new available jobs at commit.
     *
     * @return per job, in order, the stored job or the existing one with {@code conflict} set
     */
    public List<JobView> insertUnique(Connection c, List<NewJob> jobs, Instant now, boolean wake)
            throws SQLException {
        return insertUnique(c, jobs, now, wake, null);
    }

    /**
     * {@link #insertUnique(Connection, List, Instant, boolean)} for members of a batch: the new jobs join it (a
     * conflict answers the existing job, which does not).
     *
     * @param batch the batch of the new jobs, or {@code null}
     */
    public List<JobView> insertUnique(Connection c, List<NewJob> jobs, Instant now, boolean wake, Long batch)
            throws SQLException {
        List<JobView> views = new ArrayList<>(jobs.size());
        try (PreparedStatement st = Statements.prepare(c, insertUniqueJsonStatement(), rowsJson(jobs, batch),
                now.toString(), schema.insertChannel(), wake)) {
            try (ResultSet rs = st.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    views.add(uniqueView(jobs.get(i), rs.getLong(1), rs.getString(2), now));
                }
            }
        }
        return views;
    }

    /**
     * @param found the existing job as JSON when the insert found one, else {@code null}
     * @return the job a unique insert answers: the new one as requested, or the one found, flagged as a conflict
     */
    public static JobView uniqueView(NewJob job, long id, String found, Instant now) {
        if (found != null) {
            return view(found, true);
        }
        return new JobView(id, job.kind(), job.queue(), job.state(), job.priority(), job.args(), job.meta(), job.tags(),
                0, job.maxAttempts(), List.of(), null, job.partitionKey(), now, job.scheduledAt(), null, null, null,
                null, false);
    }

    /** @return a job as {@code to_jsonb} of its row writes it */
    static JobView view(String json, boolean conflict) {
        Map<String, Object> row = JsonCodec.readObject(json);
        Object args = row.get("args");
        Object meta = row.get("meta");
        Object errors = row.get("errors");
        return new JobView(number(row, "id"), (String) row.get("kind"), (String) row.get("queue"),
                JobState.fromDb((String) row.get("state")), (int) number(row, "priority"), object(args),
                object(meta), strings(row.get("tags")), (int) number(row, "attempt"),
                (int) (number(row, "attempt_base") + number(row, "max_attempts")),
                JsonCodec.readErrors(errors == null ? "[]" : JsonCodec.write(errors)), row.get("result"),
                (String) row.get("partition_key"), time(row, "inserted_at"), time(row, "scheduled_at"),
                time(row, "attempted_at"), (String) row.get("attempted_by"), time(row, "finished_at"),
                row.get("progress") == null ? null : (int) number(row, "progress"),
                conflict);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<String> strings(Object value) {
        List<String> list = new ArrayList<>();
        if (value instanceof List<?> l) {
            l.forEach(v -> list.add((String) v));
        }
        return List.copyOf(list);
    }

    private static long number(Map<String, Object> row, String key) {
        return ((Number) row.get(key)).longValue();
    }

    private static Instant time(Map<String, Object> row, String key) {
        Object v = row.get(key);
        return v == null ? null : OffsetDateTime.parse((String) v).toInstant();
    }

    /** The notify statement for such clients: parameter 1 the channel, parameter 2 a JSON array of queue names. */
    public String notifyJsonStatement() {
        return NOTIFY_JSON;
    }

    /** @return the jobs as the JSON array {@link #insertJsonStatement()} reads */
    public static String rowsJson(List<NewJob> jobs) {
        return rowsJson(jobs, null);
    }

    /** @param batch the batch of every row, or {@code null} (then the rows say nothing of one) */
    static String rowsJson(List<NewJob> jobs, Long batch) {
        List<Map<String, Object>> rows = new ArrayList<>(jobs.size());
        for (NewJob j : jobs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", j.kind());
            row.put("queue", j.queue());
            row.put("priority", j.priority());
            row.put("args", new RawJson(j.argsJson()));
            row.put("meta", new RawJson(j.metaJson()));
            row.put("tags", j.tags());
            row.put("max_attempts", j.maxAttempts());
            row.put("scheduled_at", j.scheduledAt().toString());
            row.put("state", j.state().dbName());
            row.put("partition_key", j.partitionKey());
            row.put("limit_key", j.limitKey());
            if (j.unique()) {
                row.put("unique_key", HexFormat.of().formatHex(j.uniqueKey()));
                row.put("unique_options", j.uniqueOptions());
            }
            if (batch != null) {
                row.put("batch_id", batch);
            }
            rows.add(row);
        }
        return JsonCodec.write(rows);
    }

    /**
     * Stores jobs on the caller's connection (and so in its transaction, if any).
     *
     * @return the new ids, in the order of {@code jobs}
     */
    public long[] insert(Connection c, List<NewJob> jobs, Instant now) throws SQLException {
        return insert(c, jobs, now, null);
    }

    /**
     * Stores jobs on the caller's connection, all of them members of a batch.
     *
     * @param batch the batch, or {@code null} for none
     * @return the new ids, in the order of {@code jobs}
     */
    public long[] insert(Connection c, List<NewJob> jobs, Instant now, Long batch) throws SQLException {
        long[] ids = new long[jobs.size()];
        if (copies(jobs.size())) {
            copyInsert.insert(c, jobs.size(), jobs::get, now, ids, 0, batch);
            return ids;
        }
        insertChunk(c, jobs, now, ids, 0, batch);
        return ids;
    }

    /**
     * Stores plain jobs (not unique, without dependencies) through COPY, making job {@code i} with {@code make} while
     * the rows already sent are parsed. When {@code make} throws, the exception goes up with some rows sent: only for a
     * transaction the caller owns and rolls back.
     *
     * @param ids one slot per job, filled with the new ids before the first job is made (so {@code make} may use them)
     */
    public void insertStreamed(Connection c, long[] ids, IntFunction<NewJob> make, Instant now) throws SQLException {
        insertStreamed(c, ids, make, now, null);
    }

    /** {@link #insertStreamed(Connection, long[], IntFunction, Instant)}, every job a member of {@code batch}. */
    public void insertStreamed(Connection c, long[] ids, IntFunction<NewJob> make, Instant now, Long batch)
            throws SQLException {
        copyInsert.insert(c, ids.length, make, now, ids, 0, batch);
    }

    /** @return whether a batch of this many plain jobs goes through COPY */
    public static boolean copies(int n) {
        return n >= CopyInsert.MIN_ROWS;
    }

    /**
     * Stores one job on the caller's connection, waking its queue at commit when {@code wake} is set; in autocommit
     * this is one round trip in all.
     *
     * @return the new id
     */
    public long insertOne(Connection c, NewJob job, Instant now, boolean wake) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(wake ? insertOneWake : insertOne)) {
            st.setString(1, job.kind());
            st.setString(2, job.queue());
            st.setShort(3, (short) job.priority());
            st.setString(4, job.argsJson());
            st.setString(5, job.metaJson());
            st.setString(6, PgArrays.literal(job.tags()));
            st.setInt(7, job.maxAttempts());
            st.setObject(8, JobStore.timestamp(job.scheduledAt()));
            st.setString(9, job.state().dbName());
            st.setString(10, job.partitionKey());
            st.setObject(11, JobStore.timestamp(now));
            st.setString(12, job.limitKey());
            if (wake) {
                st.setString(13, schema.insertChannel());
                st.setString(14, job.queue());
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void insertChunk(Connection c, List<NewJob> chunk, Instant now, long[] ids, int offset, Long batch)
            throws SQLException {
        int n = chunk.size();
        String[] kind = new String[n], queue = new String[n], args = new String[n], meta = new String[n],
                tags = new String[n], scheduled = new String[n], state = new String[n], partition = new String[n],
                limitKey = new String[n];
        Short[] priority = new Short[n];
        Integer[] maxAttempts = new Integer[n];
        for (int i = 0; i < n; i++) {
            NewJob j = chunk.get(i);
            kind[i] = j.kind();
            queue[i] = j.queue();
            priority[i] = (short) j.priority();
            args[i] = j.argsJson();
            meta[i] = j.metaJson();
            tags[i] = PgArrays.literal(j.tags());
            maxAttempts[i] = j.maxAttempts();
            scheduled[i] = j.scheduledAt().toString();
            state[i] = j.state().dbName();
            partition[i] = j.partitionKey();
            limitKey[i] = j.limitKey();
        }
        try (PreparedStatement st = c.prepareStatement(insertMany)) {
            st.setObject(1, JobStore.timestamp(now));
            if (batch == null) {
                st.setNull(2, java.sql.Types.BIGINT);
            } else {
                st.setLong(2, batch);
            }
            st.setArray(3, c.createArrayOf("text", kind));
            st.setArray(4, c.createArrayOf("text", queue));
            st.setArray(5, c.createArrayOf("int2", priority));
            st.setArray(6, c.createArrayOf("text", args));
            st.setArray(7, c.createArrayOf("text", meta));
            st.setArray(8, c.createArrayOf("text", tags));
            st.setArray(9, c.createArrayOf("int4", maxAttempts));
            st.setArray(10, c.createArrayOf("text", scheduled));
            st.setArray(11, c.createArrayOf("text", state));
            st.setArray(12, c.createArrayOf("text", partition));
            st.setArray(13, c.createArrayOf("text", limitKey));
            try (ResultSet rs = st.executeQuery()) {
                int i = offset;
                while (rs.next()) {
                    ids[i++] = rs.getLong(1);
                }
            }
        }
    }

    /**
     * Sends one wake-up per queue, delivered when the caller's transaction commits.
     */
    public void notifyQueues(Connection c, Collection<String> queues) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SharedSql.NOTIFY)) {
            for (String queue : queues) {
                st.setString(1, schema.insertChannel());
                st.setString(2, queue);
                st.execute();
            }
        }
    }
}
