package io.quarkiverse.shigoto.runtime.store;

/**
 * Every SQL statement of the engine, alphabetised. {@code {schema}} is the only substituted token (validated once by
 * {@link Schema}); every value is a bound parameter.
 */
final class Sql {

    private Sql() {
    }

    // claims up to ? available jobs of one queue in claim order; SKIP LOCKED so nodes never wait on each other. The
    // work is in the function shigoto_claim (migration 0001), which pins the plan to an ordered scan of the fetch index
    static final String CLAIM = """
            SELECT id, kind, queue, priority, args::text, meta::text, tags, attempt, max_attempts, partition_key,
                   inserted_at, scheduled_at, attempted_at
            FROM {schema}.shigoto_claim(?, ?, ?, ?)
            """;

    // claims up to ? jobs of a fair queue, round-robin across partition keys starting after the last one served (the
    // last parameter); SKIP LOCKED. The work is in shigoto_claim_fair (migration 0003)
    static final String CLAIM_FAIR = """
            SELECT id, kind, queue, priority, args::text, meta::text, tags, attempt, max_attempts, partition_key,
                   inserted_at, scheduled_at, attempted_at
            FROM {schema}.shigoto_claim_fair(?, ?, ?, ?, ?)
            """;

    // claims the limited jobs that fit their kinds' limits, then fills the rest plainly or fairly; SKIP LOCKED, plus
    // a transaction-scoped advisory lock per limited kind so two nodes never both see the same room. A row without a
    // job says when a full rate window frees. The work is in shigoto_claim_limited (migration 0003)
    static final String CLAIM_LIMITED = """
            SELECT (c.job).id, (c.job).kind, (c.job).queue, (c.job).priority, (c.job).args::text, (c.job).meta::text,
                   (c.job).tags, (c.job).attempt, (c.job).max_attempts, (c.job).partition_key, (c.job).inserted_at,
                   (c.job).scheduled_at, (c.job).attempted_at, c.retry_at
            FROM {schema}.shigoto_claim_limited(?, ?, ?, ?, ?, ?::text[], ?::int[], ?::int[], ?::bigint[], ?, ?) c
            """;

    // records finished attempts in one statement; the state/attempt guard leaves a job cancelled or rescued meanwhile
    // untouched, so a late finisher never overwrites it
    static final String FINISH = """
            UPDATE {schema}.shigoto_jobs j
            SET state = f.state::{schema}.shigoto_job_state,
                scheduled_at = coalesce(f.scheduled_at, j.scheduled_at),
                finished_at = f.finished_at,
                attempt = j.attempt - f.refund,
                result = f.result::jsonb,
                errors = CASE WHEN f.error IS NULL THEN j.errors ELSE j.errors || f.error::jsonb END
            FROM unnest(?::bigint[], ?::int[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::int[], ?::text[],
                        ?::text[]) AS f(id, attempt, state, scheduled_at, finished_at, refund, result, error)
            WHERE j.id = f.id AND j.state = 'executing' AND j.attempt = f.attempt
            RETURNING j.id, j.state::text,
                      CASE WHEN f.state = 'discarded' THEN j.args::text END,
                      CASE WHEN f.state = 'discarded' THEN j.errors::text END
            """;

    // the common case of FINISH: attempts that completed without a result, so only ids and attempts travel and no
    // JSON is parsed; same guard
    static final String FINISH_COMPLETED = """
            UPDATE {schema}.shigoto_jobs j
            SET state = 'completed', finished_at = ?
            FROM unnest(?::bigint[], ?::int[]) AS f(id, attempt)
            WHERE j.id = f.id AND j.state = 'executing' AND j.attempt = f.attempt
            RETURNING j.id
            """;

    // streams jobs in with COPY (text format, ids already reserved); the column order is CopyInsert's
    static final String COPY_JOBS = """
            COPY {schema}.shigoto_jobs (id, kind, queue, priority, args, meta, tags, max_attempts, scheduled_at, state,
                                        partition_key, inserted_at, limit_key) FROM STDIN
            """;

    // one job by id, every column
    static final String JOB_BY_ID = """
            SELECT id, kind, queue, state::text, priority, args::text, meta::text, tags, attempt, max_attempts,
                   errors::text, result::text, partition_key, inserted_at, scheduled_at, attempted_at, attempted_by,
                   finished_at
            FROM {schema}.shigoto_jobs
            WHERE id = ?
            """;

    // inserts many jobs from parallel arrays in one statement (no bind-parameter limit); rows come back in input order
    static final String INSERT_MANY = """
            INSERT INTO {schema}.shigoto_jobs (kind, queue, priority, args, meta, tags, max_attempts, scheduled_at,
                                               state, partition_key, inserted_at, limit_key)
            SELECT t.kind, t.queue, t.priority, t.args::jsonb, t.meta::jsonb, t.tags::text[], t.max_attempts,
                   t.scheduled_at, t.state::{schema}.shigoto_job_state, t.partition_key, ?, t.limit_key
            FROM unnest(?::text[], ?::text[], ?::smallint[], ?::text[], ?::text[], ?::text[], ?::int[],
                        ?::timestamptz[], ?::text[], ?::text[], ?::text[])
                 WITH ORDINALITY AS t(kind, queue, priority, args, meta, tags, max_attempts, scheduled_at, state,
                                      partition_key, limit_key, ord)
            ORDER BY t.ord
            RETURNING id
            """;

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

    // inserts one job and, when the last parameter says so, wakes its queue: one round trip, and in autocommit one
    // transaction, for the most common insert; the NOTIFY is delivered at commit like any other
    static final String INSERT_ONE = """
            WITH job AS (
                INSERT INTO {schema}.shigoto_jobs (kind, queue, priority, args, meta, tags, max_attempts, scheduled_at,
                                                   state, partition_key, inserted_at, limit_key)
                VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?::text[], ?, ?, ?::{schema}.shigoto_job_state, ?, ?, ?)
                RETURNING id
            )
            SELECT job.id FROM job LEFT JOIN LATERAL (SELECT pg_notify(?, ?) WHERE ?) wake ON true
            """;

    // the earliest due time among scheduled and retryable jobs, for the stager's next wake-up
    static final String NEXT_DUE = """
            SELECT min(scheduled_at) FROM {schema}.shigoto_jobs WHERE state IN ('scheduled', 'retryable')
            """;

    // wakes the producers of a queue on every node; delivered at commit, so a rolled-back insert wakes nobody
    static final String NOTIFY = """
            SELECT pg_notify(?, ?)
            """;

    // NOTIFY for a JSON array of queues, through Hibernate Reactive (see INSERT_JSON)
    static final String NOTIFY_JSON = """
            SELECT count(pg_notify(CAST(?1 AS text), q.name))
            FROM jsonb_array_elements_text(CAST(CAST(?2 AS text) AS jsonb)) AS q(name)
            """;

    // gives back jobs a stopping node claimed but never started: available again with their attempt returned (no
    // attempt of theirs ran, so no late finisher can match it); the guard skips any job that changed meanwhile
    static final String UNCLAIM = """
            UPDATE {schema}.shigoto_jobs j
            SET state = 'available', attempt = j.attempt - 1, attempted_at = NULL, attempted_by = NULL
            FROM unnest(?::bigint[], ?::int[]) AS f(id, attempt)
            WHERE j.id = f.id AND j.state = 'executing' AND j.attempt = f.attempt
            """;

    // startup: gives waiting jobs of the kinds that are limited now (parameter 1) their limit key, so jobs inserted
    // before a kind became limited obey the limit too; reads only the backlog indexes (fetch and due). Row locks:
    // run under the reconcile advisory lock so starting nodes do not deadlock on each other
    static final String RECONCILE_LIMITED = """
            UPDATE {schema}.shigoto_jobs SET limit_key = kind
            WHERE limit_key IS NULL AND kind = ANY (?::text[])
              AND (state = 'available' OR state IN ('scheduled', 'retryable'))
            """;

    // startup: takes the limit key off waiting jobs of kinds no longer limited (parameter 1), through the index of
    // limited rows; same lock as RECONCILE_LIMITED
    static final String RECONCILE_UNLIMITED = """
            UPDATE {schema}.shigoto_jobs SET limit_key = NULL
            WHERE limit_key IS NOT NULL AND limit_key <> ALL (?::text[])
              AND state IN ('available', 'scheduled', 'retryable', 'pending')
            """;

    // serialises the startup reconciliation of limit keys across nodes; released at commit
    static final String RECONCILE_LOCK = """
            SELECT pg_advisory_xact_lock(1936287590, hashtext(?))
            """;

    // takes ? ids from the job table's sequence, in order, for a COPY that must know its rows' ids
    static final String RESERVE_IDS = """
            SELECT nextval(pg_get_serial_sequence('{schema}.shigoto_jobs', 'id')) FROM generate_series(1, ?)
            """;

    // makes up to ? due scheduled/retryable jobs available; SKIP LOCKED so concurrent stagers never wait
    static final String STAGE = """
            WITH due AS (
                SELECT id FROM {schema}.shigoto_jobs
                WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= ?
                ORDER BY scheduled_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), staged AS (
                UPDATE {schema}.shigoto_jobs j SET state = 'available'
                FROM due
                WHERE j.id = due.id
                RETURNING j.queue
            )
            SELECT queue, count(*) FROM staged GROUP BY queue
            """;
}
