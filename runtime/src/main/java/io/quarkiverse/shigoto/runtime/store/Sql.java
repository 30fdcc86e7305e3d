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

    // takes the leadership lease if it is free or expired, or renews it for its holder; answers a row only to the
    // node that holds the lease afterwards. ON CONFLICT locks the row and re-checks the condition on its newest
    // version, so two nodes taking an expired lease at once cannot both win. Expiry is on the database's clock
    static final String LEADER_ACQUIRE = """
            INSERT INTO {schema}.shigoto_leader AS l (name, node, elected_at, expires_at)
            VALUES ('leader', ?, clock_timestamp(), clock_timestamp() + ? * interval '1 millisecond')
            ON CONFLICT (name) DO UPDATE
            SET node = excluded.node,
                elected_at = CASE WHEN l.node = excluded.node THEN l.elected_at ELSE excluded.elected_at END,
                expires_at = excluded.expires_at
            WHERE l.node = excluded.node OR l.expires_at < clock_timestamp()
            RETURNING elected_at
            """;

    // the current leader, if its lease has not expired
    static final String LEADER = """
            SELECT node, elected_at, expires_at FROM {schema}.shigoto_leader
            WHERE name = 'leader' AND expires_at >= clock_timestamp()
            """;

    // a stopping leader gives the lease up so another node takes it at its next attempt, not after expiry
    static final String LEADER_RELEASE = """
            DELETE FROM {schema}.shigoto_leader WHERE name = 'leader' AND node = ?
            """;

    // the nodes that hold executing jobs but have not heartbeat for ? ms (database clock), or left the node table. A loose scan of the executing index:
    // one probe per distinct node, however many executing jobs (or dead index entries) each has
    static final String LOST_NODES = """
            WITH RECURSIVE running(node) AS (
                (SELECT attempted_by FROM {schema}.shigoto_jobs
                 WHERE state = 'executing' AND attempted_by IS NOT NULL
                 ORDER BY attempted_by LIMIT 1)
                UNION ALL
                SELECT (SELECT j.attempted_by FROM {schema}.shigoto_jobs j
                        WHERE j.state = 'executing' AND j.attempted_by IS NOT NULL AND j.attempted_by > r.node
                        ORDER BY j.attempted_by LIMIT 1)
                FROM running r WHERE r.node IS NOT NULL
            )
            SELECT r.node, n.heartbeat_at FROM running r
                LEFT JOIN {schema}.shigoto_nodes n ON n.id = r.node
            WHERE r.node IS NOT NULL
              AND (n.id IS NULL OR n.heartbeat_at < clock_timestamp() - ? * interval '1 millisecond')
            """;

    // executing jobs of a lost node, after an id cursor, as the claim answered them, for the rescuer
    static final String LOST_JOBS = SharedSql.CLAIMED_COLUMNS + """
            FROM {schema}.shigoto_jobs
            WHERE state = 'executing' AND attempted_by = ? AND id > ?
            ORDER BY id
            LIMIT ?
            """;

    // forgets the nodes silent for longer than ? ms that hold no executing job any more (the rescuer handed theirs
    // over), so restarts under fresh node ids do not pile up rows; one probe of the executing index per silent node
    static final String NODES_FORGET = """
            DELETE FROM {schema}.shigoto_nodes n
            WHERE n.heartbeat_at < clock_timestamp() - ? * interval '1 millisecond'
              AND NOT EXISTS (SELECT 1 FROM {schema}.shigoto_jobs j
                              WHERE j.state = 'executing' AND j.attempted_by = n.id)
            """;

    // how many jobs are executing on the given nodes, counting up to a cap
    static final String EXECUTING_ON = """
            SELECT count(*) FROM (
                SELECT 1 FROM {schema}.shigoto_jobs
                WHERE state = 'executing' AND attempted_by = ANY(?::text[])
                LIMIT ?
            ) capped
            """;

    // how many jobs execute on nodes other than the given lost ones past their kind's timeout plus a grace (the
    // kinds and timeouts this node knows; other kinds are not counted), up to a cap: attempts no node runs any more.
    // Reads the executing index only
    static final String OVERDUE = """
            SELECT count(*) FROM (
                SELECT 1 FROM {schema}.shigoto_jobs j
                JOIN unnest(?::text[], ?::bigint[]) AS t(kind, timeout_ms) ON t.kind = j.kind
                WHERE j.state = 'executing' AND j.attempted_by IS NOT NULL AND NOT j.attempted_by = ANY(?::text[])
                  AND j.attempted_at < clock_timestamp() - (t.timeout_ms + ?) * interval '1 millisecond'
                LIMIT ?
            ) capped
            """;

    // deletes up to ? of the oldest jobs of one finished state that finished before ?, with their dependency edges
    // both ways; answers the ids. A job some pending job still waits on is kept until that one is decided (by the
    // completion that finished it, or the pending sweep), so its verdict sees the real state, not a missing row.
    // SKIP LOCKED: never waits on a row a dashboard action holds. The literal state list repeats the predicate of the
    // finished-jobs index: the bound state reaches the planner as a text cast to the enum by a stable function it
    // cannot fold, so it cannot prove that index applies and, without the list, scans and sorts the whole table for
    // every batch (measured: 0.8 s per batch of 1,000 at a million rows, against under 1 ms through the index)
    private static final String PRUNE_OLD = """
            WITH old AS (
                SELECT o.id FROM {schema}.shigoto_jobs o
                WHERE o.state = ?::{schema}.shigoto_job_state AND o.finished_at < ?
                  AND o.state IN ('completed', 'discarded', 'cancelled')
                  AND NOT EXISTS (SELECT 1 FROM {schema}.shigoto_job_deps d
                                      JOIN {schema}.shigoto_jobs w ON w.id = d.job_id
                                  WHERE d.depends_on = o.id AND w.state = 'pending')
                ORDER BY o.finished_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), gone AS (
                DELETE FROM {schema}.shigoto_jobs j USING old WHERE j.id = old.id
                RETURNING j.*
            ), edges AS (
                DELETE FROM {schema}.shigoto_job_deps d USING gone WHERE d.job_id = gone.id
            ), satisfied AS (
                DELETE FROM {schema}.shigoto_job_deps d USING gone WHERE d.depends_on = gone.id
            )""";

    static final String PRUNE = PRUNE_OLD + """

            SELECT id FROM gone
            """;

    // as PRUNE (and with its state list, for the same reason), but moves the jobs into the archive table
    static final String PRUNE_ARCHIVE = PRUNE_OLD + """
            , archived AS (
                INSERT INTO {schema}.shigoto_jobs_archive SELECT gone.*, ? FROM gone
                ON CONFLICT (id) DO NOTHING
            )
            SELECT id FROM gone
            """;

    // deletes up to ? of the oldest archived jobs archived before ?, read through the archive's archived_at index
    // (migration 0006); SKIP LOCKED like the other pruning batches
    static final String PRUNE_ARCHIVED = """
            DELETE FROM {schema}.shigoto_jobs_archive a
            WHERE a.id IN (SELECT o.id FROM {schema}.shigoto_jobs_archive o WHERE o.archived_at < ?
                           ORDER BY o.archived_at LIMIT ? FOR UPDATE SKIP LOCKED)
            """;

    // drops throughput counts older than ?
    static final String PRUNE_STATS = """
            DELETE FROM {schema}.shigoto_stats WHERE minute < ?
            """;

    // adds one node's outcome counts of one minute and queue
    static final String STATS_ADD = """
            INSERT INTO {schema}.shigoto_stats AS s (minute, queue, node, completed, failed, discarded, cancelled)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (minute, queue, node) DO UPDATE
            SET completed = s.completed + excluded.completed, failed = s.failed + excluded.failed,
                discarded = s.discarded + excluded.discarded, cancelled = s.cancelled + excluded.cancelled
            """;

    // outcome counts of each of the last ? minutes up to the current one (database clock), summed over nodes and
    // queues (one queue when ? is not null); a minute without counts answers zeros
    static final String STATS = """
            SELECT m.minute, coalesce(sum(s.completed), 0), coalesce(sum(s.failed), 0), coalesce(sum(s.discarded), 0),
                   coalesce(sum(s.cancelled), 0)
            FROM generate_series(date_trunc('minute', clock_timestamp()) - (? - 1) * interval '1 minute',
                                 date_trunc('minute', clock_timestamp()), interval '1 minute') AS m(minute)
                LEFT JOIN {schema}.shigoto_stats s ON s.minute = m.minute AND (?::text IS NULL OR s.queue = ?)
            GROUP BY m.minute
            ORDER BY m.minute
            """;

}
