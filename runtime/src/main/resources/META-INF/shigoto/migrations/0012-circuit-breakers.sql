-- shigoto 0012: circuit breakers.
--
-- One row per kind whose breaker has seen an attempt. The limited claim (replaced below) reads it under the kind's
-- advisory lock: while open (reopens_at in the future) none of the kind's jobs is claimed, and from reopens_at on
-- (half-open) at most `trials` of them execute at once. Outcomes are recorded by shigoto_breaker_record, one call per
-- batch of stored outcomes of breaker kinds; the row's lock orders the nodes' calls.
--
-- recent: the outcomes of the latest attempts while closed, oldest first, '1' for a failure; at most the breaker's
-- request volume long. changed_at: the last change of state; an outcome counts only for the state it started in (an
-- attempt that started before the change belongs to a window that no longer exists).
CREATE TABLE {schema}.shigoto_breakers (
    kind        text PRIMARY KEY,
    state       text NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open')),
    recent      varbit NOT NULL DEFAULT B'',
    opened_at   timestamptz,
    reopens_at  timestamptz,
    trials      integer NOT NULL DEFAULT 1 CHECK (trials > 0),
    successes   integer NOT NULL DEFAULT 0,
    opened_by   text,
    changed_at  timestamptz NOT NULL
);

-- Records stored outcomes of breaker kinds and answers every change of state it made, for the events and metrics.
-- One row per outcome: its kind, when its attempt started, whether it failed; the kind's settings ride along (the
-- same for every row of a kind). Closed: the outcomes join the window, and a full window whose failure share reaches
-- the ratio opens the breaker. Half-open (open, reopens_at passed): a failed trial opens it again, `trials` successes
-- close it. Open: outcomes of attempts started before it opened are ignored.
CREATE FUNCTION {schema}.shigoto_breaker_record(p_kinds text[], p_started timestamptz[], p_failed boolean[],
                                                p_volume integer[], p_ratio float8[], p_delay_ms bigint[],
                                                p_trials integer[], p_now timestamptz, p_node text)
    RETURNS TABLE (kind text, state text, reopens_at timestamptz, failures integer, attempts integer,
                   from_trial boolean)
    LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v record;
    b {schema}.shigoto_breakers;
    v_bits varbit;
    v_failures integer;
BEGIN
    FOR v IN
        SELECT o.kind, min(o.volume) AS volume, min(o.ratio) AS ratio, min(o.delay_ms) AS delay_ms,
               min(o.trials) AS trials,
               array_agg(o.failed ORDER BY o.started) AS failed, array_agg(o.started ORDER BY o.started) AS started
        FROM unnest(p_kinds, p_started, p_failed, p_volume, p_ratio, p_delay_ms, p_trials)
             AS o(kind, started, failed, volume, ratio, delay_ms, trials)
        GROUP BY o.kind
        ORDER BY o.kind
    LOOP
        INSERT INTO {schema}.shigoto_breakers AS t (kind, trials, changed_at)
        VALUES (v.kind, v.trials, '-infinity')
        ON CONFLICT (kind) DO NOTHING;
        SELECT * INTO b FROM {schema}.shigoto_breakers t WHERE t.kind = v.kind FOR UPDATE;

        IF b.state = 'closed' THEN
            v_bits := b.recent;
            FOR i IN 1 .. array_length(v.failed, 1) LOOP
                IF v.started[i] >= b.changed_at THEN
                    v_bits := v_bits || CASE WHEN v.failed[i] THEN B'1' ELSE B'0' END;
                END IF;
            END LOOP;
            IF length(v_bits) > v.volume THEN
                v_bits := substring(v_bits FROM length(v_bits) - v.volume + 1);
            END IF;
            v_failures := length(replace(v_bits::text, '0', ''));
            -- ceil: 7 failures of 100 at a ratio of 0.07, whatever the float product's last bit says
            IF length(v_bits) >= v.volume AND v_failures >= ceil(v.ratio * v.volume - 1e-9) THEN
                UPDATE {schema}.shigoto_breakers t
                SET state = 'open', recent = B'', opened_at = p_now,
                    reopens_at = p_now + v.delay_ms * interval '1 millisecond', trials = v.trials, successes = 0,
                    opened_by = p_node, changed_at = p_now
                WHERE t.kind = v.kind;
                RETURN QUERY SELECT v.kind, 'open'::text, p_now + v.delay_ms * interval '1 millisecond', v_failures,
                                    length(v_bits), false;
            ELSE
                UPDATE {schema}.shigoto_breakers t SET recent = v_bits WHERE t.kind = v.kind;
            END IF;
        ELSIF b.reopens_at <= p_now THEN
            -- half-open: only trials (attempts started since it became half-open) count
            v_failures := 0;
            FOR i IN 1 .. array_length(v.failed, 1) LOOP
                IF v.started[i] >= b.reopens_at THEN
                    IF v.failed[i] THEN
                        v_failures := v_failures + 1;
                    ELSE
                        b.successes := b.successes + 1;
                    END IF;
                END IF;
            END LOOP;
            IF v_failures > 0 THEN
                UPDATE {schema}.shigoto_breakers t
                SET opened_at = p_now, reopens_at = p_now + v.delay_ms * interval '1 millisecond', successes = 0,
                    opened_by = p_node, changed_at = p_now
                WHERE t.kind = v.kind;
                RETURN QUERY SELECT v.kind, 'open'::text, p_now + v.delay_ms * interval '1 millisecond', v_failures,
                                    b.successes + v_failures, true;
            ELSIF b.successes >= b.trials THEN
                UPDATE {schema}.shigoto_breakers t
                SET state = 'closed', recent = B'', successes = 0, changed_at = p_now
                WHERE t.kind = v.kind;
                RETURN QUERY SELECT v.kind, 'closed'::text, NULL::timestamptz, 0, b.successes, false;
            ELSE
                UPDATE {schema}.shigoto_breakers t SET successes = b.successes WHERE t.kind = v.kind;
            END IF;
        END IF;
    END LOOP;
END
$$;

-- The limited claim of 0003, which now also holds back the kinds whose breaker is open, and lets at most `trials` of
-- a half-open one execute at once; an open breaker says when it turns half-open as a rate window says when it frees.
-- Everything else is as in 0003.
CREATE OR REPLACE FUNCTION {schema}.shigoto_claim_limited(p_queue text, p_limit integer, p_now timestamptz,
                                                          p_node text, p_limited_room integer, p_kinds text[],
                                                          p_concurrency integer[], p_rate integer[],
                                                          p_per_ms bigint[], p_fair boolean, p_after text)
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
    v_breaker {schema}.shigoto_breakers;
    v_trying bigint;
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
        IF v_i IS NOT NULL THEN
            SELECT * INTO v_breaker FROM {schema}.shigoto_breakers b WHERE b.kind = v_kind AND b.state = 'open';
            IF FOUND AND v_breaker.reopens_at > p_now THEN
                v_fit := 0;
                v_retry := least(v_retry, v_breaker.reopens_at);
            ELSIF FOUND THEN
                SELECT count(*) INTO v_trying FROM {schema}.shigoto_jobs j
                WHERE j.state = 'executing' AND j.limit_key = v_kind AND j.attempted_at >= v_breaker.reopens_at;
                v_fit := least(v_fit, v_breaker.trials - v_breaker.successes - v_trying);
            END IF;
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
