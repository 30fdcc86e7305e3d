package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

import io.quarkiverse.shigoto.it.db.TestDatabase;

/**
 * Three instances of the packaged application, each a JVM of its own, sharing one PostgreSQL database: jobs of a
 * broadcast queue run once on every node, 20,000 jobs run while the leader is killed with SIGKILL, a cron entry of every minute
 * runs once per minute, then a node stopped
 * with SIGTERM finishes the jobs it runs. Every count
 * comes from the database (the jobs, and the {@code proof_runs} rows {@code ProofWorker} commits per execution), never
 * from a node's memory. Cluster timings are shortened (heartbeat 1 s, node timeout 3 s, lease 2 s) so the test takes
 * one to two minutes; deadlines are generous, for a loaded machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIT {

    private static final int JOBS = 20_000;
    private static final String DATABASE = "shigoto_multinode";
    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final Duration DRAIN = Duration.ofMinutes(3);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final String CRON = "proof-minute";
    private static final String BROADCAST = "proof-broadcast";
    private static final int BROADCASTS = 50;

    private static final List<NodeProcess> nodes = new ArrayList<>();
    private static DataSource db;

    @BeforeAll
    static void startCluster() throws Exception {
        TestDatabase.Coordinates server = TestDatabase.get();
        // a database of its own: on a shared server, nothing but this test's rows is counted
        DataSource admin = dataSource(server);
        JobRows.execute(admin, "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        JobRows.execute(admin, "CREATE DATABASE " + DATABASE);
        TestDatabase.Coordinates coordinates = server.withDatabase(DATABASE);
        db = dataSource(coordinates);
        JobRows.execute(db, "CREATE TABLE proof_runs (job_id bigint NOT NULL, node text NOT NULL,"
                + " attempt integer NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL)");

        Map<String, String> config = new HashMap<>(coordinates.quarkusConfig());
        config.putAll(Map.of("shigoto.it.database", "false", "shigoto.demo.seed", "false",
                "quarkus.http.host", "127.0.0.1", "quarkus.http.port", "0",
                "quarkus.datasource.jdbc.max-size", "20",
                "quarkus.shigoto.heartbeat-interval", "1s", "quarkus.shigoto.node-timeout", "3s",
                "quarkus.shigoto.leader-lease", "2s", "quarkus.shigoto.rescue-interval", "500ms",
                "quarkus.shigoto.shutdown-timeout", SHUTDOWN_TIMEOUT.toSeconds() + "s"));
        // every minute, on every node; its jobs wait in a queue no node runs
        config.putAll(Map.of("quarkus.shigoto.cron." + CRON + ".schedule", "* * * * *",
                "quarkus.shigoto.cron." + CRON + ".kind", "echo", "quarkus.shigoto.cron." + CRON + ".queue", "cron-proof"));
        // a broadcast queue every node runs
        config.put("quarkus.shigoto.queues." + BROADCAST + ".broadcast", "true");
        config.put("quarkus.shigoto.queues." + BROADCAST + ".concurrency", "2");
        Path logs = Path.of("target", "multinode");
        for (int i = 1; i <= 3; i++) {
            String id = "node-" + i;
            Map<String, String> own = new HashMap<>(config);
            // a queue only this node runs, for the graceful shutdown
            own.put("quarkus.shigoto.queues." + ownQueue(id) + ".concurrency", "4");
            nodes.add(NodeProcess.start(id, own, logs));
        }
        awaitLogged("3 nodes registered and a leader elected", STARTUP, () -> {
            if (nodes.stream().anyMatch(n -> !n.isAlive())) {
                throw new IllegalStateException("a node exited while starting");
            }
            if (count("SELECT count(*) FROM pg_class WHERE relname IN ('shigoto_nodes', 'shigoto_leader')") < 2) {
                return Optional.of("tables not created yet");
            }
            long up = count("SELECT count(*) FROM shigoto_nodes WHERE id IN ('node-1', 'node-2', 'node-3')");
            return up == 3 && leader().isPresent() ? Optional.empty() : Optional.of(up + " nodes up");
        });
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (NodeProcess node : nodes) {
            node.close();
        }
    }

    @Test
    @Order(0)
    void aBroadcastJobRunsOnceOnEveryNode() throws Exception {
        JobRows.in(db).kind("proof-broadcast").queue(BROADCAST).argsJson("{\"millis\": 5}").maxAttempts(3)
                .insertMany(BROADCASTS);
        String broadcasts = " FROM shigoto_jobs WHERE kind = 'proof-broadcast' AND broadcast_node IS NULL";
        awaitLogged("every broadcast finished", DRAIN, () -> {
            long left = count("SELECT count(*)" + broadcasts + " AND state <> 'completed'");
            return left == 0 ? Optional.empty() : Optional.of(left + " unfinished");
        });
        assertThat(count("SELECT count(*)" + broadcasts + " AND broadcast_id = id AND attempted_by IS NULL"))
                .as("broadcasts, fanned out once each").isEqualTo(BROADCASTS);
        // one delivery per node for each, completed on its node at its first attempt
        assertThat(count("SELECT count(*) FROM (SELECT d.broadcast_id FROM shigoto_jobs d"
                + " WHERE d.kind = 'proof-broadcast' AND d.broadcast_node IS NOT NULL GROUP BY d.broadcast_id"
                + " HAVING array_agg(d.broadcast_node ORDER BY d.broadcast_node) = ARRAY['node-1', 'node-2', 'node-3']"
                + " AND bool_and(d.state = 'completed' AND d.attempted_by = d.broadcast_node AND d.attempt = 1)) full_set"))
                .isEqualTo(BROADCASTS);
        // and the database saw each delivery's work exactly once, from its own node; never the broadcast's
        assertThat(count("SELECT count(*) FROM proof_runs p JOIN shigoto_jobs d ON d.id = p.job_id"
                + " WHERE d.kind = 'proof-broadcast' AND p.node = d.broadcast_node AND p.attempt = 1"))
                .isEqualTo(3L * BROADCASTS);
        assertThat(count("SELECT count(*) FROM proof_runs p JOIN shigoto_jobs d ON d.id = p.job_id"
                + " WHERE d.kind = 'proof-broadcast'")).isEqualTo(3L * BROADCASTS);
        System.out.printf("MULTI-NODE PROOF: %d broadcast jobs on 3 nodes: each performed once by every node%n",
                BROADCASTS);
    }

    @Test
    @Order(1)
    void killingTheLeaderMidRunLosesNoJobAndMovesLeadership() throws Exception {
        // every job is a member of one sealed batch whose callback must be inserted exactly once, kill or not
        long batch = JobRows.single(db, "INSERT INTO shigoto_batches (name, sealed, total, callbacks) VALUES"
                + " ('multi-node proof', true, ?, '[{\"on\": \"finished\", \"kind\": \"noop\", \"queue\": \"proof\","
                + " \"priority\": 0, \"max_attempts\": 3, \"args\": {}, \"meta\": {}, \"tags\": [],"
                + " \"limit_key\": null}]') RETURNING id", JOBS);
        JobRows.in(db).kind("proof").queue("proof").argsJson("{\"millis\": 5}").maxAttempts(5).batch(batch)
                .insertMany(JOBS);
        awaitLogged("a quarter of the jobs run", DRAIN, () -> {
            long runs = JobRows.single(db, "SELECT count(*) FROM proof_runs");
            return runs >= JOBS / 4 ? Optional.empty() : Optional.of(runs + " runs");
        });

        String victim = awaitLeader();
        Instant killedAt = Instant.now();
        int exit = node(victim).kill();
        assertThat(exit).as("exit status of the SIGKILLed leader").isEqualTo(NodeProcess.KILLED);
        List<Long> orphaned = JobRows.longs(db,
                "SELECT id FROM shigoto_jobs WHERE state = 'executing' AND attempted_by = ?", victim);
        long runsAtKill = JobRows.single(db, "SELECT count(*) FROM proof_runs");
        assertThat(orphaned).as("jobs the leader was running when it died").isNotEmpty();

        awaitLogged("another node leads", DRAIN, () -> {
            Optional<String> now = leaderRow();
            return now.isPresent() && !now.get().equals(victim) ? Optional.empty() : Optional.of("leader " + now);
        });
        String successor = leaderRow().orElseThrow();
        Duration takeover = Duration.between(killedAt,
                instant("SELECT elected_at FROM shigoto_leader WHERE name = 'leader'").orElseThrow());

        awaitLogged("every job finished", DRAIN, () -> {
            long left = JobRows.single(db, "SELECT count(*) FROM shigoto_jobs WHERE kind = 'proof' AND state <> 'completed'");
            return left == 0 ? Optional.empty() : Optional.of(left + " unfinished");
        });

        String lostVictim = "%node " + victim + " %";
        // every job completed, and its last attempt is recorded by the node the job names
        assertThat(count("SELECT count(*) FROM shigoto_jobs WHERE kind = 'proof' AND state = 'completed'"))
                .isEqualTo(JOBS);
        assertThat(count("SELECT count(*) FROM shigoto_jobs j JOIN proof_runs p ON p.job_id = j.id"
                + " AND p.attempt = j.attempt AND p.node = j.attempted_by WHERE j.kind = 'proof'")).isEqualTo(JOBS);
        // no attempt ran twice: a claim is never handed to two nodes
        assertThat(count("SELECT count(*) FROM (SELECT 1 FROM proof_runs GROUP BY job_id, attempt"
                + " HAVING count(*) > 1) twice")).isZero();
        // the only failures are the victim's lost attempts
        assertThat(count("SELECT count(*) FROM shigoto_jobs j, jsonb_array_elements(j.errors) e WHERE j.kind = 'proof'"
                + " AND NOT (e->>'type' = 'node-lost' AND e->>'message' LIKE ?)", lostVictim)).isZero();
        List<Long> rescued = JobRows.longs(db, "SELECT DISTINCT j.id FROM shigoto_jobs j,"
                + " jsonb_array_elements(j.errors) e WHERE j.kind = 'proof' AND e->>'message' LIKE ?", lostVictim);
        assertThat(rescued).isNotEmpty();
        // a job executing on the victim that was not rescued had its outcome written before the victim died
        assertThat(count("SELECT count(*) FROM shigoto_jobs WHERE id = ANY(?) AND NOT (id = ANY(?))"
                + " AND attempted_by <> ?", orphaned.toArray(Long[]::new), rescued.toArray(Long[]::new), victim))
                .isZero();
        // at-least-once: a job runs again only after an attempt of the victim's, and only once it was rescued
        List<Long> reRun = JobRows.longs(db, "SELECT job_id FROM proof_runs GROUP BY job_id HAVING count(*) > 1");
        assertThat(rescued).containsAll(reRun);
        assertThat(count("SELECT count(*) FROM proof_runs p JOIN shigoto_jobs j ON j.id = p.job_id"
                + " WHERE p.attempt <> j.attempt AND p.node <> ?", victim)).isZero();
        assertThat(successor).isNotEqualTo(victim).isIn("node-1", "node-2", "node-3");

        // the batch of every job finished once, counted in the members' own transactions across the kill and the
        // rescue: one callback, inserted by the transaction that stored the last outcome
        awaitLogged("the batch's callback ran", DRAIN, () -> {
            long done = JobRows.single(db, "SELECT count(*) FROM shigoto_jobs WHERE kind = 'noop'"
                    + " AND (meta->>'batch')::bigint = ? AND state = 'completed'", batch);
            return done >= 1 ? Optional.empty() : Optional.of("callback not completed");
        });
        assertThat(count("SELECT count(*) FROM shigoto_batches WHERE id = ? AND finished_at IS NOT NULL"
                + " AND completed = ? AND discarded = 0 AND cancelled = 0 AND deleted = 0"
                + " AND cardinality(callback_ids) = 1", batch, JOBS)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM shigoto_jobs WHERE (meta->>'batch')::bigint = ?", batch))
                .as("callbacks of the batch").isEqualTo(1);

        Duration rescueDelay = Duration.between(killedAt, instant("SELECT max((e->>'at')::timestamptz)"
                + " FROM shigoto_jobs j, jsonb_array_elements(j.errors) e WHERE e->>'message' LIKE ?", lostVictim)
                .orElseThrow());
        System.out.printf("MULTI-NODE PROOF: %d jobs on 3 nodes; leader %s killed with SIGKILL (exit %d) after %d runs,"
                + " running %d jobs%n", JOBS, victim, exit, runsAtKill, orphaned.size());
        System.out.printf("MULTI-NODE PROOF: leadership moved to %s %d ms after the kill (lease 2 s)%n", successor,
                takeover.toMillis());
        System.out.printf("MULTI-NODE PROOF: %d jobs rescued as node-lost, the last %d ms after the kill (node timeout"
                + " 3 s, rescue every 500 ms)%n", rescued.size(), rescueDelay.toMillis());
        System.out.printf("MULTI-NODE PROOF: the batch of all %d jobs finished once, with 1 callback%n", JOBS);
        System.out.printf("MULTI-NODE PROOF: %d jobs ran twice (at-least-once re-runs of the victim's attempts),"
                + " %d runs in all, %d jobs completed once each otherwise%n", reRun.size(),
                count("SELECT count(*) FROM proof_runs"), JOBS - reRun.size());
    }

    /**
     * The cron entry, configured on all nodes, runs its first minute when the cluster starts; waiting for a second run
     * makes a minute boundary pass with the cluster up (across the kill when the first test took long enough).
     */
    @Test
    @Order(2)
    void theCronEntryRanEveryMinuteExactlyOnceAcrossTheCluster() throws Exception {
        String ofEntry = " FROM shigoto_jobs WHERE meta->>'cron' = ?";
        awaitLogged("a minute boundary with the cluster up", Duration.ofSeconds(90), () -> {
            long minutes = count("SELECT count(DISTINCT scheduled_at)" + ofEntry, CRON);
            return minutes >= 2 ? Optional.empty() : Optional.of(minutes + " minutes run");
        });
        long jobs = count("SELECT count(*)" + ofEntry, CRON);
        long minutes = count("SELECT count(DISTINCT scheduled_at)" + ofEntry, CRON);
        long span = count("SELECT extract(epoch FROM max(scheduled_at) - min(scheduled_at))::bigint / 60 + 1" + ofEntry, CRON);
        System.out.printf("MULTI-NODE PROOF: cron entry %s on 3 nodes: %d jobs for %d scheduled minutes in a row%n",
                CRON, jobs, minutes);
        assertThat(jobs).as("jobs per scheduled minute").isEqualTo(minutes);
        assertThat(minutes).as("minutes without a gap").isEqualTo(span);
        assertThat(count("SELECT count(*)" + ofEntry + " AND scheduled_at <> date_trunc('minute', scheduled_at)", CRON))
                .isZero();
    }

    @Test
    @Order(3)
    void aNodeStoppedWithSigtermFinishesItsRunningJobsAndLeaves() throws Exception {
        String leader = awaitLeader();
        NodeProcess node = nodes.stream().filter(n -> n.isAlive() && !n.id().equals(leader)).findFirst().orElseThrow();
        String queue = ownQueue(node.id());
        JobRows.in(db).kind("proof").queue(queue).argsJson("{\"millis\": 6000}").maxAttempts(1).insertMany(4);
        awaitLogged("4 long jobs running on " + node.id(), DRAIN, () -> {
            long running = JobRows.single(db, "SELECT count(*) FROM shigoto_jobs WHERE queue = ? AND state = 'executing'"
                    + " AND attempted_by = ?", queue, node.id());
            return running == 4 ? Optional.empty() : Optional.of(running + " running");
        });

        Instant sigterm = Instant.now();
        node.terminate();
        OptionalInt exit = node.awaitExit(SHUTDOWN_TIMEOUT.plusSeconds(30));
        Duration stopped = Duration.between(sigterm, Instant.now());
        assertThat(exit).as("exit of %s after SIGTERM, within %s", node.id(), stopped).isPresent();
        System.out.printf("MULTI-NODE PROOF: %s stopped %d ms after SIGTERM with status %d, its 4 jobs of 6 s done%n",
                node.id(), stopped.toMillis(), exit.getAsInt());
        assertThat(exit.getAsInt()).as(node.logTail(40)).isEqualTo(NodeProcess.TERMINATED);
        assertThat(node.logTail(3)).as("Quarkus stopped normally").contains("stopped in");
        assertThat(stopped).isLessThan(SHUTDOWN_TIMEOUT);

        assertThat(count("SELECT count(*) FROM shigoto_jobs WHERE queue = ? AND state = 'completed'"
                + " AND attempted_by = ? AND errors = '[]'", queue, node.id())).isEqualTo(4);
        // the work went on after the signal: each job recorded its one run from this node after SIGTERM was sent
        assertThat(count("SELECT count(*) FROM proof_runs p JOIN shigoto_jobs j ON j.id = p.job_id"
                + " WHERE j.queue = ? AND p.node = ? AND p.finished_at > ?", queue, node.id(), Timestamp.from(sigterm)))
                .isEqualTo(4);
        assertThat(count("SELECT count(*) FROM shigoto_nodes WHERE id = ?", node.id())).as("left the node table")
                .isZero();
    }

    private static String ownQueue(String node) {
        return "own-" + node;
    }

    private static NodeProcess node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    /**
     * A lease can lapse for a moment on a loaded machine (five renewals in a row late): nothing is wrong then, the
     * holder or another node takes it again at its next try.
     *
     * @return the node holding an unexpired lease, once one does
     */
    private static String awaitLeader() throws SQLException {
        awaitLogged("a leader holding an unexpired lease", Duration.ofSeconds(30),
                () -> leader().isPresent() ? Optional.empty() : Optional.of("the lease of " + leaderRow() + " expired"));
        return leaderRow().orElseThrow();
    }

    /** @return the node holding an unexpired lease */
    private static Optional<String> leader() throws SQLException {
        return string("SELECT node FROM shigoto_leader WHERE name = 'leader' AND expires_at >= clock_timestamp()");
    }

    /** @return the node the lease row names, expired or not */
    private static Optional<String> leaderRow() throws SQLException {
        return string("SELECT node FROM shigoto_leader WHERE name = 'leader'");
    }

    private static long count(String sql, Object... params) throws SQLException {
        return JobRows.single(db, sql, params);
    }

    private static Optional<String> string(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement(sql);
                ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    private static Optional<Instant> instant(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
                return Optional.ofNullable(t).map(Timestamp::toInstant);
            }
        }
    }

    /**
     * Polls until {@code pending} answers empty, printing what it answers every few seconds; on timeout, fails with
     * the nodes' last log lines.
     */
    private static void awaitLogged(String what, Duration deadline, Callable<Optional<String>> pending) {
        Instant start = Instant.now();
        Instant[] printed = { start };
        try {
            await(what).atMost(deadline).pollInterval(Duration.ofMillis(50)).until(() -> {
                Optional<String> state = pending.call();
                if (state.isPresent() && Duration.between(printed[0], Instant.now()).compareTo(PROGRESS_EVERY) > 0) {
                    printed[0] = Instant.now();
                    System.out.printf("MULTI-NODE PROOF: waiting %d s for %s: %s%n",
                            Duration.between(start, printed[0]).toSeconds(), what, state.get());
                }
                return state.isEmpty();
            });
        } catch (RuntimeException e) {
            nodes.forEach(n -> System.out.println(n.logTail(30)));
            throw e;
        }
    }

    private static DataSource dataSource(TestDatabase.Coordinates coordinates) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(coordinates.jdbcUrlWithCredentials());
        return ds;
    }
}
