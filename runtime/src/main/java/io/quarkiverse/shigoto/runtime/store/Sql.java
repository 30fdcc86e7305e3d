package io.quarkiverse.shigoto.runtime.store;

/**
 * Every SQL statement of the engine, alphabetised. {@code {schema}} is the only substituted token (validated once by
 * {@link Schema}); every value is a bound parameter.
 */
final class Sql {

    private Sql() {
    }

    // how many jobs of a selection are in the given states, for a bulk confirmation; stops counting at the cap
    static final String COUNT_MATCHING = """
            SELECT count(*) FROM (
                SELECT 1 FROM {schema}.shigoto_jobs
                WHERE state::text = ANY(?::text[]) {where}
                LIMIT ?
            ) capped
            """;

    // a page of scheduled and retryable jobs of a selection soonest due first, after a (scheduled_at, id) cursor:
    // the due index gives the order, scheduled_at >= ? its starting point (a row comparison alone cannot use it)
    static final String JOBS_PAGE_DUE = SharedSql.JOB_COLUMNS + """
            FROM {schema}.shigoto_jobs
            WHERE state IN ('scheduled', 'retryable') AND scheduled_at >= ? AND (scheduled_at, id) > (?, ?) {where}
            ORDER BY scheduled_at, id
            LIMIT ?
            """;

    // a page of the dashboard's jobs list: newest first, between two ids (the lower bound keeps an args search to
    // a window of the table), so deep pages cost no OFFSET scan; {text} is empty or a case-insensitive args search
    static final String JOBS_PAGE = SharedSql.JOB_COLUMNS + """
            FROM {schema}.shigoto_jobs
            WHERE id < ? AND id > ? {where} {text}
            ORDER BY id DESC
            LIMIT ?
            """;

    // exact job counts by state, for the dashboard while the table is small (see DashboardReads)
    static final String STATE_COUNTS = """
            SELECT state::text, count(*) FROM {schema}.shigoto_jobs GROUP BY state
            """;

    // the planner's job counts by state: its row estimate times the state frequencies of the last ANALYZE; no scan
    static final String STATE_ESTIMATES = """
            SELECT f.state, round(greatest(c.reltuples, 0) * f.freq)::bigint
            FROM pg_class c,
                 pg_stats s,
                 unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS f(state, freq)
            WHERE c.oid = to_regclass(?) AND s.schemaname = ? AND s.tablename = 'shigoto_jobs' AND s.attname = 'state'
            """;

    // what the live updates compare: the state, attempt, progress and error count of the given jobs (primary-key
    // lookups), and with the second parameter the newest job's id (one backward step of the primary key)
    static final String FINGERPRINT = """
            SELECT concat_ws('|',
                       (SELECT string_agg(id || ':' || state || ':' || attempt || ':' || coalesce(progress, -1)
                                          || ':' || jsonb_array_length(errors), ',' ORDER BY id)
                        FROM {schema}.shigoto_jobs WHERE id = ANY(?::bigint[])),
                       CASE WHEN ? THEN (SELECT max(id) FROM {schema}.shigoto_jobs)::text END)
            """;

    // the newest job's id (one step down the primary key)
    static final String MAX_ID = """
            SELECT coalesce(max(id), 0) FROM {schema}.shigoto_jobs
            """;

    // available and executing jobs of one queue by partition key: keyed available jobs through the partition index
    // alone (index-only: the key is in it), up to ? rows; limited ones through the limited index (few); executing
    // ones through the executing index (at most the running attempts, plus lost nodes' jobs). Jobs without a key are
    // left out: the queue's own available count less these gives them without reading the backlog
    static final String PARTITION_COUNTS = """
            SELECT partition_key, 'available', count(*) FROM (
                SELECT partition_key FROM {schema}.shigoto_jobs
                WHERE state = 'available' AND queue = ? AND partition_key IS NOT NULL AND limit_key IS NULL LIMIT ?) a
            GROUP BY partition_key
            UNION ALL
            SELECT partition_key, 'available', count(*) FROM (
                SELECT partition_key FROM {schema}.shigoto_jobs
                WHERE state = 'available' AND queue = ? AND limit_key IS NOT NULL AND partition_key IS NOT NULL
                LIMIT ?) l
            GROUP BY partition_key
            UNION ALL
            SELECT partition_key, 'executing', count(*) FROM {schema}.shigoto_jobs
            WHERE state = 'executing' AND attempted_by IS NOT NULL AND queue = ?
            GROUP BY partition_key
            """;

    // waiting jobs by queue and state, each count capped at ? rows, so a big backlog costs a bounded read: the queues
    // with available (plain, then limited) and with scheduled or retryable jobs are found with one index probe each
    // (a skip scan: the next queue after the last one found), then each is counted through the same partial index
    // alone, up to the cap
    static final String QUEUE_COUNTS = """
            WITH RECURSIVE plain(queue) AS (
                (SELECT queue FROM {schema}.shigoto_jobs
                 WHERE state = 'available' AND limit_key IS NULL ORDER BY queue LIMIT 1)
                UNION ALL
                SELECT (SELECT j.queue FROM {schema}.shigoto_jobs j
                        WHERE j.state = 'available' AND j.limit_key IS NULL AND j.queue > p.queue
                        ORDER BY j.queue LIMIT 1)
                FROM plain p WHERE p.queue IS NOT NULL
            ), limited(queue) AS (
                (SELECT queue FROM {schema}.shigoto_jobs
                 WHERE state = 'available' AND limit_key IS NOT NULL ORDER BY queue LIMIT 1)
                UNION ALL
                SELECT (SELECT j.queue FROM {schema}.shigoto_jobs j
                        WHERE j.state = 'available' AND j.limit_key IS NOT NULL AND j.queue > l.queue
                        ORDER BY j.queue LIMIT 1)
                FROM limited l WHERE l.queue IS NOT NULL
            ), due(queue, state) AS (
                (SELECT queue, state FROM {schema}.shigoto_jobs
                 WHERE state IN ('scheduled', 'retryable') ORDER BY queue, state LIMIT 1)
                UNION ALL
                SELECT n.queue, n.state FROM due d, LATERAL (
                    SELECT j.queue, j.state FROM {schema}.shigoto_jobs j
                    WHERE j.state IN ('scheduled', 'retryable') AND (j.queue, j.state) > (d.queue, d.state)
                    ORDER BY j.queue, j.state LIMIT 1) n
            )
            SELECT p.queue, 'available', (SELECT count(*) FROM (SELECT 1 FROM {schema}.shigoto_jobs j
                    WHERE j.state = 'available' AND j.limit_key IS NULL AND j.queue = p.queue LIMIT ?) x)
            FROM plain p WHERE p.queue IS NOT NULL
            UNION ALL
            SELECT l.queue, 'available', (SELECT count(*) FROM (SELECT 1 FROM {schema}.shigoto_jobs j
                    WHERE j.state = 'available' AND j.limit_key IS NOT NULL AND j.queue = l.queue LIMIT ?) x)
            FROM limited l WHERE l.queue IS NOT NULL
            UNION ALL
            SELECT d.queue, d.state::text, (SELECT count(*) FROM (SELECT 1 FROM {schema}.shigoto_jobs j
                    WHERE j.state IN ('scheduled', 'retryable') AND j.state = d.state AND j.queue = d.queue
                    LIMIT ?) x)
            FROM due d
            """;

    // the planner's row count of a table (-1 before its first ANALYZE)
    static final String TABLE_ESTIMATE = """
            SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)
            """;

    // ---- maintenance: leadership, rescue, pruning, throughput counts (migration 0004) ----

}
