-- shigoto 0005: cron. (0004 is taken by another change; the migrator applies whatever versions are missing.)

-- One row per cron entry. handled_through is the entry's cursor: every scheduled minute up to it has been dealt with
-- (run, skipped as older than the catch-up window, or before the entry existed). A node runs a minute only by moving
-- the cursor forward to it, under the row lock and in the transaction that inserts the job, so however many nodes
-- tick, each minute runs once and never after a later one. schedule is the expression and zone the cursor was kept
-- for: when it changes, the cursor starts afresh and nothing of the old schedule is caught up.
CREATE TABLE {schema}.shigoto_cron (
    name            text PRIMARY KEY,
    schedule        text NOT NULL,
    handled_through timestamptz NOT NULL,
    last_run_at     timestamptz,
    last_job_id     bigint
);
