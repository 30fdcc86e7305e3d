package io.quarkiverse.shigoto.runtime.store;

/**
 * The statements more than one store class sends, and the column lists several statements start with; every other
 * statement is a constant at the top of the one class that binds it. A statement names its schema as
 * {@code {schema}}, which {@link Schema#render} substitutes; {@link #JOBS} also carries {@code {where}}, which
 * {@link JobSelection#render} fills in. Every value is a bound parameter (a selection's states aside, see
 * {@link Schema#render}).
 */
final class SharedSql {

    // the columns of a claimed job, as ClaimedRows maps them (JobClaims.CLAIM_LIMITED reads the same ones from its
    // function's composite rows). They carry timestamps as microseconds since the epoch: float arithmetic in
    // PostgreSQL, a long in Java, where parsing three timestamps per claimed job stood out in the claim's profile
    static final String CLAIMED_COLUMNS = """
            SELECT id, kind, queue, priority, args::text, meta::text, tags, attempt,
                   least(attempt_base::bigint + max_attempts, 2147483647)::int, partition_key,
                   (date_part('epoch', inserted_at) * 1000000)::bigint,
                   (date_part('epoch', scheduled_at) * 1000000)::bigint,
                   (date_part('epoch', attempted_at) * 1000000)::bigint
            """;

    // the columns of a job as JobStore.view reads them
    static final String JOB_COLUMNS = """
            SELECT id, kind, queue, state::text, priority, args::text, meta::text, tags, attempt,
                   least(attempt_base::bigint + max_attempts, 2147483647)::int, errors::text, result::text,
                   partition_key, inserted_at, scheduled_at, attempted_at, attempted_by, finished_at, progress
            """;

    // jobs of a selection in id order after a cursor, for listings (and the dashboard's oldest-first pages)
    static final String JOBS = JOB_COLUMNS + """
            FROM {schema}.shigoto_jobs
            WHERE id > ? {where}
            ORDER BY id
            LIMIT ?
            """;

    // wakes the producers of a queue on every node; delivered at commit, so a rolled-back insert wakes nobody
    static final String NOTIFY = """
            SELECT pg_notify(?, ?)
            """;

    // the persisted controls of every queue that has any
    static final String QUEUES = """
            SELECT name, paused, concurrency, shedding_since FROM {schema}.shigoto_queues ORDER BY name
            """;

    private SharedSql() {
    }
}
