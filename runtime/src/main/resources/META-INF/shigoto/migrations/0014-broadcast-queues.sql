-- shigoto 0014: broadcast queues, whose every job is performed once by every live node that runs the queue.
--
-- A job inserted into a broadcast queue (quarkus.shigoto.queues."q".broadcast) waits like any other. The first node
-- whose producer claims in the queue fans it out: the job becomes the broadcast (state executing, attempted by no
-- node, broadcast_id = its own id, attempt = its fan-outs) and gets one delivery per node that is live then and runs
-- the queue: a job row of the same kind, args and meta with broadcast_id = the broadcast, broadcast_node = the node
-- and broadcast_round = the fan-out it belongs to. A node claims only its own deliveries of the broadcast's current
-- fan-out, so each delivery retries, snoozes, times out and is rescued as any job does, on its node. The broadcast
-- finishes in the transaction that finishes its last delivery: completed when every delivery completed (a node that
-- left the cluster counts as done), discarded when one was discarded, cancelled when one was cancelled.
--
-- Deliveries carry the limit key '$broadcast' (no kind can be named so): it keeps them out of the plain claim's
-- index, so neither the fan-out's walk nor a plain claim (a node that runs the queue without broadcast=true) passes
-- over other nodes' deliveries, and no kind's limit ever counts them. Jobs of other queues have none of the three
-- columns set and pay nothing but the triggers' conditions and the partial indexes' predicates.

ALTER TABLE {schema}.shigoto_jobs
    ADD COLUMN broadcast_id bigint, ADD COLUMN broadcast_node text, ADD COLUMN broadcast_round integer;
ALTER TABLE {schema}.shigoto_jobs_archive
    ADD COLUMN broadcast_id bigint, ADD COLUMN broadcast_node text, ADD COLUMN broadcast_round integer;

-- A broadcast's deliveries (and the broadcast itself), for its page and for the check whether it is done
CREATE INDEX shigoto_jobs_broadcast_idx ON {schema}.shigoto_jobs (broadcast_id, broadcast_node)
    WHERE broadcast_id IS NOT NULL;

-- The broadcasts whose deliveries run, for the leader's sweep of broadcasts no transaction could close
CREATE INDEX shigoto_jobs_broadcasting_idx ON {schema}.shigoto_jobs (id)
    WHERE broadcast_id IS NOT NULL AND broadcast_node IS NULL AND state = 'executing';

-- A node's claim of its deliveries, in the order of the plain claim
CREATE INDEX shigoto_jobs_delivery_fetch_idx ON {schema}.shigoto_jobs (broadcast_node, queue, priority DESC,
                                                                      scheduled_at, id)
    WHERE state = 'available' AND broadcast_node IS NOT NULL;

-- The deliveries waiting for their node, for the leader's check of nodes that left the cluster
CREATE INDEX shigoto_jobs_delivery_waiting_idx ON {schema}.shigoto_jobs (broadcast_node)
    WHERE broadcast_node IS NOT NULL AND state IN ('available', 'scheduled', 'retryable');

-- Fans out up to p_limit waiting jobs of a broadcast queue (and as many of limited kinds), in claim order, SKIP
-- LOCKED (two nodes fanning out at once take different jobs): each gets one delivery per node that heartbeat within
-- p_node_timeout_ms and runs the queue, and always one for p_node, the node fanning out (it runs the queue, though
-- its own heartbeat may lag). Deliveries of an earlier fan-out still waiting (a delivery retried by hand together
-- with its broadcast) are superseded. Wakes the queue on every node at commit, so the other nodes claim their
-- deliveries. Answers how many jobs and deliveries it wrote.
CREATE FUNCTION {schema}.shigoto_broadcast_fan_out(p_queue text, p_limit integer, p_now timestamptz,
                                                   p_node_timeout_ms bigint, p_channel text, p_node text)
    RETURNS TABLE (broadcasts integer, deliveries integer)
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS $$
DECLARE
    v_parents bigint[];
    v_deliveries integer;
BEGIN
    -- jobs of limited kinds too, read from their own index on both sides of the deliveries' key: a limit shared by
    -- the cluster cannot hold back a job every node must perform
    WITH plain AS (
        SELECT j.id FROM {schema}.shigoto_jobs j
        WHERE j.state = 'available' AND j.queue = p_queue AND j.limit_key IS NULL AND j.broadcast_node IS NULL
        ORDER BY j.priority DESC, j.scheduled_at, j.id
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ), below AS (
        SELECT j.id FROM {schema}.shigoto_jobs j
        WHERE j.state = 'available' AND j.queue = p_queue AND j.limit_key < '$broadcast' AND j.broadcast_node IS NULL
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ), above AS (
        SELECT j.id FROM {schema}.shigoto_jobs j
        WHERE j.state = 'available' AND j.queue = p_queue AND j.limit_key > '$broadcast' AND j.broadcast_node IS NULL
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ), picked AS (
        SELECT id FROM plain UNION ALL SELECT id FROM below UNION ALL SELECT id FROM above
    ), marked AS (
        UPDATE {schema}.shigoto_jobs j
        SET state = 'executing', attempt = j.attempt + 1, attempted_at = p_now, attempted_by = NULL,
            broadcast_id = j.id, limit_key = NULL, result = NULL, progress = NULL
        FROM picked
        WHERE j.id = picked.id
        RETURNING j.id
    )
    SELECT coalesce(array_agg(marked.id ORDER BY marked.id), '{}') INTO v_parents FROM marked;
    IF cardinality(v_parents) = 0 THEN
        RETURN QUERY SELECT 0, 0;
        RETURN;
    END IF;
    INSERT INTO {schema}.shigoto_jobs (kind, queue, priority, args, meta, tags, max_attempts, scheduled_at,
                                       inserted_at, state, limit_key, broadcast_id, broadcast_node, broadcast_round)
    SELECT j.kind, j.queue, j.priority, j.args, j.meta, j.tags, j.max_attempts, p_now, p_now, 'available',
           '$broadcast', j.id, n.id, j.attempt
    FROM {schema}.shigoto_jobs j
    CROSS JOIN LATERAL (
        SELECT n.id FROM {schema}.shigoto_nodes n
        WHERE n.queues ? p_queue AND n.heartbeat_at >= clock_timestamp() - p_node_timeout_ms * interval '1 millisecond'
        UNION
        SELECT p_node
    ) n
    WHERE j.id = ANY (v_parents)
    ORDER BY j.id, n.id;
    GET DIAGNOSTICS v_deliveries = ROW_COUNT;
    -- after the new deliveries exist, so the broadcast cannot look done while the old ones are superseded
    UPDATE {schema}.shigoto_jobs d
    SET state = 'cancelled', finished_at = p_now,
        errors = d.errors || jsonb_build_array(jsonb_build_object(
            'attempt', d.attempt, 'at', to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            'type', 'superseded', 'message', 'its broadcast job ' || d.broadcast_id || ' was fanned out again'))
    WHERE d.broadcast_id = ANY (v_parents) AND d.broadcast_node IS NOT NULL
      AND d.state IN ('available', 'scheduled', 'retryable', 'pending')
      AND d.broadcast_round < (SELECT b.attempt FROM {schema}.shigoto_jobs b WHERE b.id = d.broadcast_id);
    PERFORM pg_notify(p_channel, p_queue);
    RETURN QUERY SELECT cardinality(v_parents), v_deliveries;
END
$$;

-- A node's claim of its own deliveries: shigoto_claim with the node in the index, taking only deliveries of their
-- broadcast's current fan-out while it runs (a delivery retried by hand while its broadcast is over, or waiting to
-- be superseded, is left alone)
CREATE FUNCTION {schema}.shigoto_claim_deliveries(p_queue text, p_limit integer, p_now timestamptz, p_node text)
    RETURNS SETOF {schema}.shigoto_jobs
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_sort = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS $$
BEGIN
    RETURN QUERY
    WITH picked AS (
        SELECT j.id FROM {schema}.shigoto_jobs j
        WHERE j.state = 'available' AND j.broadcast_node = p_node AND j.queue = p_queue
          AND EXISTS (SELECT 1 FROM {schema}.shigoto_jobs b
                      WHERE b.id = j.broadcast_id AND b.state = 'executing' AND b.attempt = j.broadcast_round)
        ORDER BY j.priority DESC, j.scheduled_at, j.id
        LIMIT p_limit
        FOR UPDATE OF j SKIP LOCKED
    )
    UPDATE {schema}.shigoto_jobs j
    SET state = 'executing', attempt = j.attempt + 1, attempted_at = p_now, attempted_by = p_node
    FROM picked
    WHERE j.id = picked.id
    RETURNING j.*;
END
$$;

-- Finishes a broadcast whose deliveries of its current fan-out are all finished (or deleted): completed, unless one
-- was discarded (discarded) or cancelled (cancelled), a delivery given up because its node left (node-left) or lost
-- on its last attempt by a node that died (node-lost) counting as done.
--
-- Transactions finishing the last deliveries of a broadcast on several nodes at once must not each see the others'
-- as unfinished, so closing takes a transaction-scoped lock first and reads the deliveries after it, in a statement
-- of its own (a snapshot taken once the others committed). It is one lock for every broadcast of the schema, not one
-- per broadcast: a completion statement finishing deliveries of several broadcasts would take per-broadcast locks in
-- its rows' order, another node's in another, and deadlock (deliveries finish at the same moment everywhere, that
-- is what they are for); one lock cannot be taken in two orders. Under it, the broadcast's row is taken SKIP LOCKED,
-- never waited for: whoever holds it (a cancel waiting for this very delivery, a retry, a duplicate insert in a
-- long transaction) must not hold up every close of the cluster, nor deadlock with this one. A close skipped so is
-- done by the leader's sweep (BroadcastStore.CLOSABLE), as is one whose transaction saw a delivery another had
-- not committed yet. A broadcast that is not executing any more returns before the lock.
--
-- Counts the broadcast into its batch even inside the completer's statement, which counts only its own rows, and
-- releases its dependents (one level: deeper ones, and a dependent whose other dependency committed meanwhile, by the
-- pending sweep), all before it restores the completer's setting.
CREATE FUNCTION {schema}.shigoto_broadcast_close(p_broadcast bigint, p_now timestamptz)
    RETURNS void
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS $$
DECLARE
    v {schema}.shigoto_jobs%ROWTYPE;
    v_state text;
    v_counted text;
    v_finished integer;
    v_finished_at timestamptz;
    v_released record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM {schema}.shigoto_jobs
                   WHERE id = p_broadcast AND state = 'executing' AND broadcast_id = id) THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(1936287591, hashtext('{schema}'));
    SELECT * INTO v FROM {schema}.shigoto_jobs
    WHERE id = p_broadcast AND state = 'executing' AND broadcast_id = id
    FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT CASE WHEN count(*) FILTER (WHERE d.state NOT IN ('completed', 'discarded', 'cancelled')) > 0 THEN NULL
                WHEN bool_or(d.state = 'discarded' AND (d.errors -> -1 ->> 'type') IS DISTINCT FROM 'node-lost')
                    THEN 'discarded'
                WHEN bool_or(d.state = 'cancelled' AND (d.errors -> -1 ->> 'type') IS DISTINCT FROM 'node-left')
                    THEN 'cancelled'
                ELSE 'completed' END,
           -- the moment its last delivery finished, on whichever node's clock: not always the one committing last
           greatest(p_now, max(d.finished_at))
    INTO v_state, v_finished_at
    FROM {schema}.shigoto_jobs d
    WHERE d.broadcast_id = p_broadcast AND d.broadcast_node IS NOT NULL AND d.broadcast_round = v.attempt;
    IF v_state IS NULL THEN
        RETURN;
    END IF;
    v_counted := current_setting('shigoto.counted', true);
    PERFORM set_config('shigoto.counted', 'off', true);
    UPDATE {schema}.shigoto_jobs SET state = v_state::{schema}.shigoto_job_state, finished_at = v_finished_at
    WHERE id = p_broadcast AND state = 'executing';
    GET DIAGNOSTICS v_finished = ROW_COUNT;
    IF v_finished > 0 THEN
        -- a dependent cancelled because the broadcast failed is counted in its own batch by its trigger, so the
        -- completer's setting stays off until here
        FOR v_released IN
            SELECT DISTINCT r.job_queue FROM {schema}.shigoto_resolve_dependents(
                    ARRAY[p_broadcast], p_now, to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) r
            WHERE r.job_state = 'available'
        LOOP
            PERFORM pg_notify('shigoto_insert_{schema}', v_released.job_queue);
        END LOOP;
    END IF;
    PERFORM set_config('shigoto.counted', coalesce(v_counted, 'off'), true);
END
$$;

-- Reopens a finished broadcast when one of its current fan-out's deliveries is retried by hand. It waits for the
-- broadcast's row, so a close that read the delivery still finished (it holds the row) commits first and the
-- broadcast is reopened after it, and a close starting meanwhile skips the row. A broadcast whose unique key a newer
-- job holds now stays as it is (its delivery is then given up by the leader's sweep): reopening it would break the
-- unique index.
CREATE FUNCTION {schema}.shigoto_broadcast_reopen(p_broadcast bigint, p_round integer)
    RETURNS void
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
AS $$
BEGIN
    PERFORM 1 FROM {schema}.shigoto_jobs WHERE id = p_broadcast FOR UPDATE;
    UPDATE {schema}.shigoto_jobs b SET state = 'executing', finished_at = NULL
    WHERE b.id = p_broadcast AND b.broadcast_id = b.id AND b.state IN ('completed', 'discarded', 'cancelled')
      AND b.attempt = p_round
      AND (b.unique_key IS NULL OR (b.unique_options & {schema}.shigoto_state_bit('executing')) = 0
           OR NOT EXISTS (SELECT 1 FROM {schema}.shigoto_jobs o
                          WHERE o.unique_key = b.unique_key AND o.id <> b.id
                            AND (o.unique_options & {schema}.shigoto_state_bit(o.state)) <> 0));
END
$$;

CREATE FUNCTION {schema}.shigoto_delivery_changed()
    RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM {schema}.shigoto_broadcast_close(OLD.broadcast_id, now());
    ELSIF NEW.state IN ('completed', 'discarded', 'cancelled') THEN
        PERFORM {schema}.shigoto_broadcast_close(OLD.broadcast_id, coalesce(NEW.finished_at, now()));
    ELSE
        PERFORM {schema}.shigoto_broadcast_reopen(OLD.broadcast_id, OLD.broadcast_round);
    END IF;
    RETURN NULL;
END
$$;

-- A delivery entering a final state may finish its broadcast; one leaving it (a retry by hand) reopens it
CREATE TRIGGER shigoto_delivery_state
    AFTER UPDATE OF state ON {schema}.shigoto_jobs
    FOR EACH ROW
    WHEN (OLD.broadcast_node IS NOT NULL AND OLD.state IS DISTINCT FROM NEW.state
          AND ((NEW.state IN ('completed', 'discarded', 'cancelled')
                AND OLD.state NOT IN ('completed', 'discarded', 'cancelled'))
               OR (OLD.state IN ('completed', 'discarded', 'cancelled')
                   AND NEW.state NOT IN ('completed', 'discarded', 'cancelled'))))
    EXECUTE FUNCTION {schema}.shigoto_delivery_changed();

-- a delivery deleted before it finished no longer holds its broadcast back
CREATE TRIGGER shigoto_delivery_deleted
    AFTER DELETE ON {schema}.shigoto_jobs
    FOR EACH ROW
    WHEN (OLD.broadcast_node IS NOT NULL AND OLD.state NOT IN ('completed', 'discarded', 'cancelled'))
    EXECUTE FUNCTION {schema}.shigoto_delivery_changed();

-- Cancelling a broadcast cancels its unfinished deliveries, and tells the nodes running them to stop, in payloads
-- under NOTIFY's limit (as NodeSignals splits them)
CREATE FUNCTION {schema}.shigoto_broadcast_cancelled()
    RETURNS trigger
    LANGUAGE plpgsql
    SET enable_seqscan = off
    SET enable_bitmapscan = off
AS $$
DECLARE
    v_id bigint;
    v_payload text := '';
BEGIN
    FOR v_id IN
        WITH cancelled AS (
            UPDATE {schema}.shigoto_jobs d
            SET state = 'cancelled', finished_at = NEW.finished_at,
                errors = d.errors || jsonb_build_array(jsonb_build_object(
                    'attempt', d.attempt, 'at', to_char(coalesce(NEW.finished_at, now()) AT TIME ZONE 'UTC',
                                                        'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    'type', 'cancelled', 'message', 'its broadcast job ' || NEW.id || ' was cancelled'))
            WHERE d.broadcast_id = NEW.id AND d.broadcast_node IS NOT NULL
              AND d.state NOT IN ('completed', 'discarded', 'cancelled')
            RETURNING d.id, d.attempted_by
        )
        SELECT c.id FROM cancelled c WHERE c.attempted_by IS NOT NULL ORDER BY c.id
    LOOP
        IF length(v_payload) > 7900 THEN
            PERFORM pg_notify('shigoto_control_{schema}', 'cancel' || v_payload);
            v_payload := '';
        END IF;
        v_payload := v_payload || ' ' || v_id;
    END LOOP;
    IF v_payload <> '' THEN
        PERFORM pg_notify('shigoto_control_{schema}', 'cancel' || v_payload);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER shigoto_broadcast_cancelled
    AFTER UPDATE OF state ON {schema}.shigoto_jobs
    FOR EACH ROW
    WHEN (OLD.broadcast_id IS NOT NULL AND OLD.broadcast_node IS NULL AND OLD.state = 'executing'
          AND NEW.state = 'cancelled')
    EXECUTE FUNCTION {schema}.shigoto_broadcast_cancelled();
