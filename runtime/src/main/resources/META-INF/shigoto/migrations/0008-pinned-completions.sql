-- shigoto 0008: completions, progress and unclaims on plans that stay right however the table grows.

-- These statements join the job table to arrays of ids. Prepared, PostgreSQL plans them for the given values five
-- times, then caches one generic plan if that looks no dearer, and keeps it until the table's statistics change. On
-- a near-empty table (a new install, a table just pruned) the cheapest generic plan reads the whole table, which is
-- right for five rows and wrong forever after: at 200,000 rows one single-job completion took 24-32 ms instead of
-- 0.16 ms, and under a steady stream of jobs completions fell behind (the continuous-load collapse). A probe of the
-- primary key per id is the right plan at any size, so these functions rule the others out, as shigoto_claim does
-- for its scan (PL/pgSQL caches each statement's plan per connection, with these settings applied).

-- Attempts that completed without a result: only ids and attempts travel. The state/attempt guard leaves a job
-- cancelled or rescued meanwhile untouched, so a late finisher never overwrites it. Answers the ids it changed, each
-- with whether some job depends on it (one probe of the dependency index): only those need their dependents
-- decided, so a completion without dependents costs no second statement.
CREATE FUNCTION {schema}.shigoto_finish_completed(p_finished_at timestamptz, p_ids bigint[], p_attempts integer[])
    RETURNS TABLE (job_id bigint, has_dependents boolean)
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS $$
BEGIN
    RETURN QUERY
    UPDATE {schema}.shigoto_jobs j
    SET state = 'completed', finished_at = p_finished_at
    FROM unnest(p_ids, p_attempts) AS f(id, attempt)
    WHERE j.id = f.id AND j.state = 'executing' AND j.attempt = f.attempt
    RETURNING j.id, EXISTS (SELECT 1 FROM {schema}.shigoto_job_deps d WHERE d.depends_on = j.id);
END
$$;

-- Any other finished attempts (failed, snoozed, discarded, with a result or progress), same guard. An attempt's
-- error entry gets the node that claimed it and when it started (the row's attempted_by/at, which belong to this
-- attempt under the guard): a later attempt overwrites those columns, the entry keeps them for the timeline.
-- Answers each changed job's new state, for a discarded one its args and errors (for the discard event), and
-- whether some job depends on it.
CREATE FUNCTION {schema}.shigoto_finish(p_ids bigint[], p_attempts integer[], p_states text[],
                                        p_scheduled_at timestamptz[], p_finished_at timestamptz[],
                                        p_refunds integer[], p_results text[], p_errors text[],
                                        p_progress smallint[])
    RETURNS TABLE (job_id bigint, job_state text, discarded_args text, discarded_errors text,
                   has_dependents boolean)
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS $$
BEGIN
    RETURN QUERY
    UPDATE {schema}.shigoto_jobs j
    SET state = f.state::{schema}.shigoto_job_state,
        scheduled_at = coalesce(f.scheduled_at, j.scheduled_at),
        finished_at = f.finished_at,
        attempt = j.attempt - f.refund,
        result = f.result::jsonb,
        progress = coalesce(f.progress, j.progress),
        errors = CASE WHEN f.error IS NULL THEN j.errors
                      ELSE j.errors || (f.error::jsonb || jsonb_strip_nulls(jsonb_build_object(
                          'node', j.attempted_by, 'startedAt',
                          to_char(j.attempted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))))
                 END
    FROM unnest(p_ids, p_attempts, p_states, p_scheduled_at, p_finished_at, p_refunds, p_results, p_errors,
                p_progress) AS f(id, attempt, state, scheduled_at, finished_at, refund, result, error, progress)
    WHERE j.id = f.id AND j.state = 'executing' AND j.attempt = f.attempt
    RETURNING j.id, j.state::text,
              CASE WHEN f.state = 'discarded' THEN j.args::text END,
              CASE WHEN f.state = 'discarded' THEN j.errors::text END,
              EXISTS (SELECT 1 FROM {schema}.shigoto_job_deps d WHERE d.depends_on = j.id);
END
$$;

-- The latest progress of running attempts; the guard skips attempts that are over. Answers how many it stored.
CREATE FUNCTION {schema}.shigoto_progress(p_ids bigint[], p_attempts integer[], p_progress smallint[])
    RETURNS integer
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE {schema}.shigoto_jobs j
    SET progress = f.progress
    FROM unnest(p_ids, p_attempts, p_progress) AS f(id, attempt, progress)
    WHERE j.id = f.id AND j.state = 'executing' AND j.attempt = f.attempt;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- Gives back jobs a stopping node claimed but never started: available again with their attempt returned (no
-- attempt of theirs ran, so no late finisher can match it); the guard skips any job that changed meanwhile.
-- Answers how many it gave back.
CREATE FUNCTION {schema}.shigoto_unclaim(p_ids bigint[], p_attempts integer[])
    RETURNS integer
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE {schema}.shigoto_jobs j
    SET state = 'available', attempt = j.attempt - 1, attempted_at = NULL, attempted_by = NULL
    FROM unnest(p_ids, p_attempts) AS f(id, attempt)
    WHERE j.id = f.id AND j.state = 'executing' AND j.attempt = f.attempt;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- Decides pending jobs (the candidates): available (or scheduled) once every dependency completed, cancelled naming
-- the first dependency that failed. Answers the jobs it changed, then a row in state 'cursor' with the highest
-- candidate id. Every completion batch runs it (through shigoto_resolve_dependents), so it is pinned like the rest.
CREATE FUNCTION {schema}.shigoto_resolve_jobs(p_candidates bigint[], p_now timestamptz, p_at text)
    RETURNS TABLE (job_id bigint, job_state text, job_queue text)
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH candidates AS (
        SELECT DISTINCT c.id FROM unnest(p_candidates) AS c(id)
    ), verdict AS (
        SELECT d.job_id AS id,
               bool_and(p.state IS NOT DISTINCT FROM 'completed'
                        OR (d.run_on_failure AND (p.id IS NULL OR p.state IN ('discarded', 'cancelled'))))
                   AS ready,
               min(d.depends_on) FILTER (WHERE NOT d.run_on_failure
                                         AND (p.id IS NULL OR p.state IN ('discarded', 'cancelled')))
                   AS failed_on
        FROM candidates k
             JOIN {schema}.shigoto_job_deps d ON d.job_id = k.id
             LEFT JOIN {schema}.shigoto_jobs p ON p.id = d.depends_on
        GROUP BY d.job_id
    ), changed AS (
        UPDATE {schema}.shigoto_jobs j
        SET state = CASE WHEN v.failed_on IS NOT NULL THEN 'cancelled'
                         WHEN j.scheduled_at > p_now THEN 'scheduled'
                         ELSE 'available' END::{schema}.shigoto_job_state,
            finished_at = CASE WHEN v.failed_on IS NOT NULL THEN p_now END,
            errors = CASE WHEN v.failed_on IS NULL THEN j.errors
                          ELSE j.errors || jsonb_build_array(jsonb_build_object(
                              'attempt', j.attempt, 'at', p_at, 'type', 'dependency-failed',
                              'message', 'dependency ' || v.failed_on || coalesce(
                                  (SELECT ' was ' || f.state FROM {schema}.shigoto_jobs f
                                   WHERE f.id = v.failed_on), ' no longer exists')))
                     END
        FROM verdict v
        WHERE j.id = v.id AND j.state = 'pending' AND (v.failed_on IS NOT NULL OR v.ready)
        RETURNING j.id, j.state::text AS state, j.queue
    )
    SELECT changed.id, changed.state, changed.queue FROM changed
    UNION ALL
    SELECT max(candidates.id), 'cursor', NULL FROM candidates;
END
$$;

-- The pending dependents of jobs that just finished (or were deleted), decided as above.
CREATE FUNCTION {schema}.shigoto_resolve_dependents(p_parents bigint[], p_now timestamptz, p_at text)
    RETURNS TABLE (job_id bigint, job_state text, job_queue text)
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS $$
BEGIN
    RETURN QUERY
    SELECT r.job_id, r.job_state, r.job_queue
    FROM {schema}.shigoto_resolve_jobs(
             ARRAY(SELECT d.job_id FROM {schema}.shigoto_job_deps d WHERE d.depends_on = ANY(p_parents)),
             p_now, p_at) r;
END
$$;

-- The sweep's variant: up to p_limit pending jobs after a cursor, in id order through the pending index.
CREATE FUNCTION {schema}.shigoto_resolve_pending(p_after bigint, p_limit integer, p_now timestamptz, p_at text)
    RETURNS TABLE (job_id bigint, job_state text, job_queue text)
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
    SET enable_sort = off
AS $$
BEGIN
    RETURN QUERY
    SELECT r.job_id, r.job_state, r.job_queue
    FROM {schema}.shigoto_resolve_jobs(
             ARRAY(SELECT w.id FROM {schema}.shigoto_jobs w WHERE w.state = 'pending' AND w.id > p_after
                   ORDER BY w.id LIMIT p_limit),
             p_now, p_at) r;
END
$$;
