-- shigoto 0004: what the leader's maintenance needs: a leadership lease, the index the rescuer finds the jobs of lost
-- nodes by, the index the pruner finds old finished jobs by, the archive pruned jobs may move to, and per-minute
-- outcome counts for the dashboard's throughput chart.

-- One row while some node leads: it renews its lease well before it expires; any node may take an expired lease.
-- Expiry is measured on the database's clock, so nodes with skewed clocks agree on it.
CREATE TABLE {schema}.shigoto_leader (
    name       text PRIMARY KEY,
    node       text NOT NULL,
    elected_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

-- Executing jobs by the node that runs them. The predicate names attempted_by, which completions never mention, so a
-- completion (WHERE state = 'executing' AND id = ...) cannot be planned on this index and walk its dead entries:
-- only the rescuer and the dashboard's stuck-job count, which ask by node, read it.
CREATE INDEX shigoto_jobs_executing_idx ON {schema}.shigoto_jobs (attempted_by)
    WHERE state = 'executing' AND attempted_by IS NOT NULL;

-- Finished jobs by state and finish time: the pruner deletes the oldest of one state in bounded batches.
CREATE INDEX shigoto_jobs_finished_idx ON {schema}.shigoto_jobs (state, finished_at)
    WHERE state IN ('completed', 'discarded', 'cancelled');

-- Where pruned jobs go when quarkus.shigoto.prune.mode=archive: the job's columns plus when it was archived.
CREATE TABLE {schema}.shigoto_jobs_archive (
    LIKE {schema}.shigoto_jobs INCLUDING DEFAULTS,
    archived_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id)
);

-- Outcomes per minute, queue and node, added by each node with its heartbeat (a node never contends with another on
-- these rows). The dashboard's throughput chart sums them; the pruner drops rows older than a day.
CREATE TABLE {schema}.shigoto_stats (
    minute    timestamptz NOT NULL,
    queue     text NOT NULL,
    node      text NOT NULL,
    completed integer NOT NULL DEFAULT 0,
    failed    integer NOT NULL DEFAULT 0,
    discarded integer NOT NULL DEFAULT 0,
    cancelled integer NOT NULL DEFAULT 0,
    PRIMARY KEY (minute, queue, node)
);
