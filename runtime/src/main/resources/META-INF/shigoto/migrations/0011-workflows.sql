-- shigoto 0011: workflows, and dependents that are held when a dependency fails.
--
-- A workflow is a sealed batch (0010) whose members are named steps waiting for each other through the dependency
-- edges (0002): its counters, its finish and its members' batch_id are the batch's. The step names live here, in the
-- workflow's row and in the order the steps were inserted (parents before children), not in the job rows: a job of
-- no workflow pays nothing for them, and a step finds its parents' names through its own batch.

ALTER TABLE {schema}.shigoto_batches ADD COLUMN steps text[], ADD COLUMN step_ids bigint[];

-- A batch's members that failed (discarded or cancelled), for the dashboard's and retryBy's "retry the failed members
-- of this batch" and for counting them: few rows, and a completion enters neither this index nor the unfinished
-- members' (0010), so a member that completes still costs no index entry.
CREATE INDEX shigoto_jobs_batch_failed_idx ON {schema}.shigoto_jobs (batch_id)
    WHERE batch_id IS NOT NULL AND state IN ('discarded', 'cancelled');

-- Finished batches by when they finished, for the pruner (a small table; open and running batches are not in it).
CREATE INDEX shigoto_batches_finished_idx ON {schema}.shigoto_batches (finished_at) WHERE finished_at IS NOT NULL;

-- hold_on_failure: the dependent neither runs nor is cancelled when this dependency fails; it stays pending until the
-- dependency is retried and completes (or is deleted: nothing can retry that one, and the dependent is cancelled).
ALTER TABLE {schema}.shigoto_job_deps ADD COLUMN hold_on_failure boolean NOT NULL DEFAULT false;

-- 0008's verdict, with held edges: a held dependency that failed neither readies nor cancels its dependent.
CREATE OR REPLACE FUNCTION {schema}.shigoto_resolve_jobs(p_candidates bigint[], p_now timestamptz, p_at text)
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
                                         AND (p.id IS NULL
                                              OR (NOT d.hold_on_failure AND p.state IN ('discarded', 'cancelled'))))
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
