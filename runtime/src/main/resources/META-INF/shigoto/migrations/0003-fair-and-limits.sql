-- shigoto 0003: fair claiming across partitions, rate limits and cluster-wide concurrency per kind.
-- The schema placeholder in this file is replaced by quarkus.shigoto.schema.

-- The kind of a job whose worker has a rate limit or a concurrency limit, set at insert; NULL for every other job, so
-- only limited jobs enter the indexes below. A nullable column without a default: adding it rewrites nothing.
ALTER TABLE {schema}.shigoto_jobs ADD COLUMN limit_key text;

-- Limited jobs must never be claimed by the plain claim, which knows nothing of their limits: they leave the fetch
-- index. The index is otherwise the same, so the plain claim reads it exactly as before (the new condition is implied
-- by the predicate and costs no filter).
DROP INDEX {schema}.shigoto_jobs_fetch_idx;
CREATE INDEX shigoto_jobs_fetch_idx ON {schema}.shigoto_jobs (queue, priority DESC, scheduled_at, id)
    WHERE state = 'available' AND limit_key IS NULL;

-- Fair queues enumerate the partitions that have available jobs with one probe each, then read each partition in
-- claim order. Only jobs with a partition key are here: a job without one costs nothing extra.
CREATE INDEX shigoto_jobs_partition_idx ON {schema}.shigoto_jobs (queue, partition_key, priority DESC, scheduled_at, id)
    WHERE state = 'available' AND partition_key IS NOT NULL AND limit_key IS NULL;

-- The limited claim: per queue, the limited kinds that have available jobs (one probe each), and each kind's jobs in
-- claim order.
CREATE INDEX shigoto_jobs_limited_idx ON {schema}.shigoto_jobs (queue, limit_key, priority DESC, scheduled_at, id)
    WHERE state = 'available' AND limit_key IS NOT NULL;

-- How many jobs of a limited kind execute now. Unlike an index on all executing jobs (see 0001) a completion can never
-- use it (its predicate names limit_key), and only limited jobs leave dead entries in it.
CREATE INDEX shigoto_jobs_limited_executing_idx ON {schema}.shigoto_jobs (limit_key)
    WHERE state = 'executing' AND limit_key IS NOT NULL;

-- Attempts of a limited kind started in a rate window; also finds every limited row, whatever its state, when a kind
-- stops being limited.
CREATE INDEX shigoto_jobs_limited_attempts_idx ON {schema}.shigoto_jobs (limit_key, attempted_at)
    WHERE limit_key IS NOT NULL;

-- The plain claim, as in 0001 but leaving limited jobs alone (same planner settings, same plan).
CREATE OR REPLACE FUNCTION {schema}.shigoto_claim(p_queue text, p_limit integer, p_now timestamptz, p_node text)
    RETURNS SETOF {schema}.shigoto_jobs
    LANGUAGE plpgsql
    SET enable_bitmapscan = off
    SET enable_sort = off
AS $$
BEGIN
    RETURN QUERY
    WITH picked AS (
        SELECT j.id FROM {schema}.shigoto_jobs j
        WHERE j.state = 'available' AND j.queue = p_queue AND j.limit_key IS NULL
        ORDER BY j.priority DESC, j.scheduled_at, j.id
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE {schema}.shigoto_jobs j
    SET state = 'executing', attempt = j.attempt + 1, attempted_at = p_now, attempted_by = p_node
    FROM picked
    WHERE j.id = picked.id
    RETURNING j.*;
END
$$;

-- The claim of a fair queue: round-robin across the partition keys that have available jobs, starting after
-- p_after (the partition the previous claim served last) and wrapping around, so one partition's backlog delays
-- another's jobs by at most one round. Each partition gets an equal share of p_limit; what partitions cannot fill
-- (too few jobs, rows locked by other nodes) goes to those that filled theirs. Rows come back in round-robin order:
-- every partition's first job, then every partition's second, and so on. Jobs without a partition key take the room
-- the partitions leave, through the plain claim: finding them among the partitioned jobs would need either an index
-- entry for every plain job or a walk past every partitioned job. Same planner settings as shigoto_claim, and no JIT:
-- the few rows it sorts at the end cost "disabled" (enable_sort), which pushes the plan over jit_above_cost, and
-- compiling it took 200 ms where the claim takes a fraction of one.
CREATE FUNCTION {schema}.shigoto_claim_fair(p_queue text, p_limit integer, p_now timestamptz, p_node text,
                                            p_after text)
    RETURNS SETOF {schema}.shigoto_jobs
    LANGUAGE plpgsql
    SET enable_bitmapscan = off
    SET enable_sort = off
    SET jit = off
AS $$
DECLARE
    v_keys text[] := '{}';
    v_key text;
    v_pass integer;
    v_active integer[];
    v_full integer[];
    v_taken integer[];
    v_ids bigint[] := '{}';
    v_ranks integer[] := '{}';
    v_ords integer[] := '{}';
    v_share integer;
    v_left integer := p_limit;
    v_got integer;
    v_id bigint;
    v_i integer;
    v_claimed integer := 0;
BEGIN
    -- at most p_limit partitions, one index probe each: first those after p_after, then, wrapping around, those
    -- from the start up to p_after
    FOR v_pass IN 1..2 LOOP
        EXIT WHEN v_pass = 2 AND p_after IS NULL;
        v_key := CASE WHEN v_pass = 1 THEN p_after END;
        LOOP
            EXIT WHEN cardinality(v_keys) >= p_limit;
            IF v_key IS NULL THEN
                SELECT j.partition_key INTO v_key FROM {schema}.shigoto_jobs j
                WHERE j.state = 'available' AND j.queue = p_queue AND j.partition_key IS NOT NULL
                  AND j.limit_key IS NULL
                ORDER BY j.partition_key LIMIT 1;
            ELSE
                SELECT j.partition_key INTO v_key FROM {schema}.shigoto_jobs j
                WHERE j.state = 'available' AND j.queue = p_queue AND j.partition_key > v_key AND j.limit_key IS NULL
                ORDER BY j.partition_key LIMIT 1;
            END IF;
            EXIT WHEN v_key IS NULL OR v_pass = 2 AND v_key > p_after;
            v_keys := v_keys || v_key;
        END LOOP;
    END LOOP;

    -- equal shares, then the room left to the partitions that filled theirs; each share read in claim order
    v_active := ARRAY(SELECT generate_series(1, cardinality(v_keys)));
    v_taken := array_fill(0, ARRAY[cardinality(v_keys)]);
    WHILE v_left > 0 AND cardinality(v_active) > 0 LOOP
        v_share := ceil(v_left::numeric / cardinality(v_active));
        v_full := '{}';
        FOREACH v_i IN ARRAY v_active LOOP
            v_got := 0;
            FOR v_id IN
                SELECT j.id FROM {schema}.shigoto_jobs j
                WHERE j.state = 'available' AND j.queue = p_queue AND j.partition_key = v_keys[v_i]
                  AND j.limit_key IS NULL AND j.id <> ALL (v_ids)
                ORDER BY j.priority DESC, j.scheduled_at, j.id
                LIMIT v_share
                FOR UPDATE SKIP LOCKED
            LOOP
                v_got := v_got + 1;
                v_ids := v_ids || v_id;
                v_ranks := v_ranks || (v_taken[v_i] + v_got);
                v_ords := v_ords || v_i;
            END LOOP;
            v_taken[v_i] := v_taken[v_i] + v_got;
            IF v_got = v_share THEN
                v_full := v_full || v_i;
            END IF;
        END LOOP;
        v_left := p_limit - cardinality(v_ids);
        v_active := v_full;
    END LOOP;

    -- the first p_limit rows in round-robin order; rows locked beyond them are released at commit
    RETURN QUERY
    WITH picked AS (
        SELECT p.id, p.rank, p.ord FROM unnest(v_ids, v_ranks, v_ords) AS p(id, rank, ord)
        ORDER BY p.rank, p.ord
        LIMIT p_limit
    ), claimed AS (
        UPDATE {schema}.shigoto_jobs j
        SET state = 'executing', attempt = j.attempt + 1, attempted_at = p_now, attempted_by = p_node
        FROM picked
        WHERE j.id = picked.id
        RETURNING j.*
    )
    SELECT c.* FROM claimed c JOIN picked p ON p.id = c.id ORDER BY p.rank, p.ord;
    GET DIAGNOSTICS v_claimed = ROW_COUNT;

    IF v_claimed < p_limit THEN
        RETURN QUERY SELECT * FROM {schema}.shigoto_claim(p_queue, p_limit - v_claimed, p_now, p_node);
    END IF;
END
$$;

-- The claim of a queue when this application has limited kinds: first the limited jobs that fit their limits (at
-- most p_limited_room of them), then the rest of p_limit through the fair or the plain claim. For each limited kind
-- with jobs available in the queue it takes a transaction-scoped advisory lock on the kind, so two nodes never both
-- see the same room; the counts below run after the lock, each with a fresh snapshot, so they see every claim
-- committed before it. A limit that blocks leaves the jobs available (never claimed, so never snoozed); for a rate
-- limit one row with a NULL job says when the window frees. Kinds not in p_kinds (no longer limited) are claimed as
-- if unlimited, so their jobs are never stranded. No JIT, as for shigoto_claim_fair.
CREATE FUNCTION {schema}.shigoto_claim_limited(p_queue text, p_limit integer, p_now timestamptz, p_node text,
                                               p_limited_room integer, p_kinds text[], p_concurrency integer[],
                                               p_rate integer[], p_per_ms bigint[], p_fair boolean, p_after text)
    RETURNS TABLE (job {schema}.shigoto_jobs, retry_at timestamptz)
    LANGUAGE plpgsql
    SET enable_bitmapscan = off
    SET enable_sort = off
    SET jit = off
AS $$
DECLARE
    v_kind text;
    v_i integer;
    v_room integer := least(p_limited_room, p_limit);
    v_fit integer;
    v_count bigint;
    v_since timestamptz;
    v_free timestamptz;
    v_retry timestamptz;
    v_got bigint;
    v_claimed integer := 0;
BEGIN
    LOOP
        EXIT WHEN v_room <= 0;
        IF v_kind IS NULL THEN
            SELECT j.limit_key INTO v_kind FROM {schema}.shigoto_jobs j
            WHERE j.state = 'available' AND j.queue = p_queue AND j.limit_key IS NOT NULL
            ORDER BY j.limit_key LIMIT 1;
        ELSE
            SELECT j.limit_key INTO v_kind FROM {schema}.shigoto_jobs j
            WHERE j.state = 'available' AND j.queue = p_queue AND j.limit_key > v_kind
            ORDER BY j.limit_key LIMIT 1;
        END IF;
        EXIT WHEN v_kind IS NULL;

        PERFORM pg_advisory_xact_lock(1936287589, hashtext('{schema}.' || v_kind));
        v_fit := v_room;
        v_i := array_position(p_kinds, v_kind);
        IF v_i IS NOT NULL AND p_concurrency[v_i] > 0 THEN
            SELECT count(*) INTO v_count FROM {schema}.shigoto_jobs j
            WHERE j.state = 'executing' AND j.limit_key = v_kind;
            v_fit := least(v_fit, p_concurrency[v_i] - v_count);
        END IF;
        IF v_i IS NOT NULL AND p_rate[v_i] > 0 THEN
            v_since := p_now - p_per_ms[v_i] * interval '1 millisecond';
            SELECT count(*) INTO v_count FROM {schema}.shigoto_jobs j
            WHERE j.limit_key = v_kind AND j.attempted_at > v_since;
            v_fit := least(v_fit, p_rate[v_i] - v_count);
        END IF;

        v_got := 0;
        IF v_fit > 0 THEN
            RETURN QUERY
            WITH picked AS (
                SELECT j.id FROM {schema}.shigoto_jobs j
                WHERE j.state = 'available' AND j.queue = p_queue AND j.limit_key = v_kind
                ORDER BY j.priority DESC, j.scheduled_at, j.id
                LIMIT v_fit
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE {schema}.shigoto_jobs j
                SET state = 'executing', attempt = j.attempt + 1, attempted_at = p_now, attempted_by = p_node
                FROM picked
                WHERE j.id = picked.id
                RETURNING j.*
            )
            SELECT c::{schema}.shigoto_jobs, NULL::timestamptz FROM claimed c;
            GET DIAGNOSTICS v_got = ROW_COUNT;
            v_room := v_room - v_got;
            v_claimed := v_claimed + v_got;
        END IF;

        IF v_i IS NOT NULL AND p_rate[v_i] > 0 AND v_count + v_got >= p_rate[v_i] THEN
            -- the window is full: room comes back when its oldest starts leave it
            SELECT j.attempted_at + p_per_ms[v_i] * interval '1 millisecond' INTO v_free
            FROM {schema}.shigoto_jobs j
            WHERE j.limit_key = v_kind AND j.attempted_at > v_since
            ORDER BY j.attempted_at
            OFFSET v_count + v_got - p_rate[v_i] LIMIT 1;
            v_retry := least(v_retry, v_free);
        END IF;
    END LOOP;

    IF v_retry IS NOT NULL THEN
        RETURN QUERY SELECT NULL::{schema}.shigoto_jobs, v_retry;
    END IF;
    IF v_claimed < p_limit THEN
        IF p_fair THEN
            RETURN QUERY SELECT c, NULL::timestamptz
                FROM {schema}.shigoto_claim_fair(p_queue, p_limit - v_claimed, p_now, p_node, p_after) c;
        ELSE
            RETURN QUERY SELECT c, NULL::timestamptz
                FROM {schema}.shigoto_claim(p_queue, p_limit - v_claimed, p_now, p_node) c;
        END IF;
    END IF;
END
$$;
