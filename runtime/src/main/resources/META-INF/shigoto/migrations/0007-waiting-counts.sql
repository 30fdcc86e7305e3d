-- shigoto 0007: scheduled and retryable jobs by queue, for counts that stay cheap however big the backlog.

-- The dashboard, the health check and the gauges count each queue's scheduled and retryable jobs up to a cap, and
-- find the queues that have any with one probe each: both read this index alone (index-only). Only a row entering
-- one of these states adds an entry (an insert for later, a failed attempt, a snooze); claims and completions never
-- touch it.
CREATE INDEX shigoto_jobs_waiting_idx ON {schema}.shigoto_jobs (queue, state)
    WHERE state IN ('scheduled', 'retryable');
