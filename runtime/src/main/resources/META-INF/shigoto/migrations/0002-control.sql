-- shigoto 0002: unique jobs, retries that restore the attempt budget, dependencies, persisted queue controls and the
-- node registry. Adding columns with constant defaults only touches the catalog, so this is quick on a big table.

-- attempt_base: the attempt count when the job was last retried by hand; a job is discarded once it used
-- max_attempts attempts since then. attempt itself only grows, so a late finisher of an old attempt can never match
-- a new one.
-- unique_key: SHA-256 of the fields the job is unique by (never the plaintext args). unique_options: the low 8 bits
-- are the states in which the job blocks a duplicate (see shigoto_state_bit), the higher bits the replace and
-- debounce options of the insert that stored it.
ALTER TABLE {schema}.shigoto_jobs
    ADD COLUMN attempt_base   integer NOT NULL DEFAULT 0 CHECK (attempt_base >= 0),
    ADD COLUMN unique_key     bytea,
    ADD COLUMN unique_options integer;

CREATE FUNCTION {schema}.shigoto_state_bit(s {schema}.shigoto_job_state) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE s
        WHEN 'pending' THEN 1 WHEN 'scheduled' THEN 2 WHEN 'available' THEN 4 WHEN 'executing' THEN 8
        WHEN 'retryable' THEN 16 WHEN 'completed' THEN 32 WHEN 'discarded' THEN 64 WHEN 'cancelled' THEN 128 END
$$;

-- At most one job per key among the jobs in one of their blocking states. Jobs without a key are not in this index,
-- so plain jobs pay nothing but the predicate; a job leaving its blocking states leaves the index and stops blocking.
CREATE UNIQUE INDEX shigoto_jobs_unique_idx ON {schema}.shigoto_jobs (unique_key)
    WHERE unique_key IS NOT NULL AND (unique_options & {schema}.shigoto_state_bit(state)) <> 0;

-- A pending job waits for every job it depends on. The edges stay after the wait so a job can list its dependencies
-- and read their results; run_on_failure: the dependent runs even if this dependency is discarded or cancelled.
CREATE TABLE {schema}.shigoto_job_deps (
    job_id         bigint NOT NULL,
    depends_on     bigint NOT NULL,
    run_on_failure boolean NOT NULL DEFAULT false,
    PRIMARY KEY (job_id, depends_on)
);

CREATE INDEX shigoto_job_deps_parent_idx ON {schema}.shigoto_job_deps (depends_on);

-- The sweep that resolves pending jobs walks only these.
CREATE INDEX shigoto_jobs_pending_idx ON {schema}.shigoto_jobs (id) WHERE state = 'pending';

-- Queue controls shared by every node: a paused queue is claimed by none; concurrency replaces the configured one.
CREATE TABLE {schema}.shigoto_queues (
    name        text PRIMARY KEY,
    paused      boolean NOT NULL DEFAULT false,
    concurrency integer CHECK (concurrency >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every running node, refreshed by its heartbeat; a node that stops deletes its row.
CREATE TABLE {schema}.shigoto_nodes (
    id           text PRIMARY KEY,
    host         text NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    queues       jsonb NOT NULL DEFAULT '{}'
);
