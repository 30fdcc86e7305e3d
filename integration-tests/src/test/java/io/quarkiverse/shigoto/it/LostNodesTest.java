package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.Engine.Maintenance;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.Migrator;
import io.quarkiverse.shigoto.runtime.store.Schema;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Which nodes count as lost, on clusters of test engines in schemas of their own (short node timeouts, a rescue every
 * 100 ms) beside the application's node: a live node stays live while the application holds every connection of the
 * pool, and a leader never rescues its own node.
 */
@QuarkusTest
class LostNodesTest {

    private static final Duration NODE_TIMEOUT = Duration.ofMillis(1500);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    NodeHarness runtime;

    @Inject
    JobProbe probe;

    @Test
    void liveNodesStayLiveWhileTheApplicationHoldsEveryPoolConnection() throws Exception {
        String t = cluster("shigoto_pool_test");
        JobStore store = new JobStore(dataSource, Schema.of("shigoto_pool_test"));
        String a = "pool-a-" + UUID.randomUUID(), b = "pool-b-" + UUID.randomUUID();
        Engine first = node(a, store, Duration.ofMillis(200));
        Engine second = node(b, store, Duration.ofMillis(200));
        List<Long> ids = freshIds(6);
        try {
            JobRows.execute(dataSource, "INSERT INTO " + t + "shigoto_jobs (id, kind, queue, max_attempts)"
                    + " SELECT id, 'holding', 'holding', 3 FROM unnest(?::bigint[]) AS id", (Object) ids.toArray(Long[]::new));
            await().atMost(Jobs.PATIENCE).until(() -> JobRows.single(dataSource, "SELECT count(*) FROM " + t
                    + "shigoto_jobs WHERE state = 'executing' AND attempted_by IN (?, ?)", a, b) == ids.size());

            List<Connection> held = new ArrayList<>();
            try {
                // the last acquisition waits out the pool's acquisition timeout (5 s), far past the node timeout
                holdEveryConnection(held);
                Connection mine = held.get(0);
                Timestamp exhausted = dbNow(mine);
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> heartbeatsSince(mine, t, exhausted, a, b) == 2);
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            // the leader rescues every 100 ms: for twice the node timeout after the pool frees, it finds no one lost
            await().during(NODE_TIMEOUT.multipliedBy(2)).atMost(NODE_TIMEOUT.multipliedBy(4))
                    .until(() -> JobRows.single(dataSource, "SELECT count(*) FROM " + t + "shigoto_jobs"
                            + " WHERE state = 'executing' AND attempt = 1 AND errors = '[]'") == ids.size());
            ids.forEach(probe::release);
            await().atMost(Jobs.PATIENCE).until(() -> JobRows.single(dataSource, "SELECT count(*) FROM " + t
                    + "shigoto_jobs WHERE state = 'completed' AND attempt = 1 AND errors = '[]'") == ids.size());
            assertThat(ids).allSatisfy(id -> assertThat(probe.runs(id)).isEqualTo(1));
        } finally {
            ids.forEach(probe::release);
            first.stop();
            second.stop();
        }
    }

    @Test
    void aLeaderNeverRescuesItsOwnNode() throws Exception {
        String t = cluster("shigoto_self_test");
        JobStore store = new JobStore(dataSource, Schema.of("shigoto_self_test"));
        String self = "self-" + UUID.randomUUID();
        // heartbeats once a minute, so the heartbeat the test ages stays old
        Engine leader = node(self, store, Duration.ofMinutes(1));
        List<Long> ids = freshIds(2);
        long own = ids.get(0), ghosts = ids.get(1);
        try {
            await().atMost(Jobs.PATIENCE).until(leader::isLeader);
            JobRows.execute(dataSource, "INSERT INTO " + t + "shigoto_jobs (id, kind, queue) VALUES (?, 'holding',"
                    + " 'holding')", own);
            await().atMost(Jobs.PATIENCE).until(() -> JobRows.single(dataSource, "SELECT count(*) FROM " + t
                    + "shigoto_jobs WHERE id = ? AND state = 'executing' AND attempted_by = ?", own, self) == 1);
            JobRows.execute(dataSource, "UPDATE " + t + "shigoto_nodes SET heartbeat_at = clock_timestamp()"
                    + " - interval '1 hour' WHERE id = ?", self);
            // a vanished node's job, rescued after the leader's own heartbeat aged, proves a rescue pass saw both
            JobRows.execute(dataSource, "INSERT INTO " + t + "shigoto_jobs (id, kind, queue, state, attempt,"
                    + " attempted_by, attempted_at) VALUES (?, 'holding', 'parked', 'executing', 1, ?, now())", ghosts,
                    "ghost-" + UUID.randomUUID());
            await().atMost(Jobs.PATIENCE).until(() -> JobRows.single(dataSource, "SELECT count(*) FROM " + t
                    + "shigoto_jobs WHERE id = ? AND state <> 'executing'", ghosts) == 1);
            assertThat(JobRows.single(dataSource, "SELECT count(*) FROM " + t + "shigoto_jobs WHERE id = ?"
                    + " AND state = 'executing' AND attempt = 1 AND errors = '[]'", own)).isEqualTo(1);
        } finally {
            probe.release(own);
            leader.stop();
        }
    }

    /** @return the table prefix of a migrated schema of its own */
    private String cluster(String schema) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Migrator.migrate(c, Schema.of(schema));
        }
        return schema + ".";
    }

    private Engine node(String id, JobStore store, Duration heartbeat) {
        Maintenance m = new Maintenance(heartbeat, NODE_TIMEOUT, Duration.ofSeconds(1), Duration.ofMillis(100), null,
                Duration.ofMinutes(1));
        Engine engine = runtime.newEngine(runtime.settings(id).withQueues(Map.of("holding", 3)).withMaintenance(m),
                store);
        engine.start();
        return engine;
    }

    /** Ids far above any the application's jobs get, so the probe's counts are these jobs' own. */
    private static List<Long> freshIds(int n) {
        long base = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(base + i);
        }
        return ids;
    }

    /** Takes connections until the pool has none left: an acquisition then times out. */
    private void holdEveryConnection(List<Connection> held) {
        while (true) {
            try {
                held.add(dataSource.getConnection());
            } catch (SQLException e) {
                assertThat(held).as("connections held").isNotEmpty();
                return;
            }
        }
    }

    private static Timestamp dbNow(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT clock_timestamp()"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    private static long heartbeatsSince(Connection c, String t, Timestamp since, String a, String b)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM " + t + "shigoto_nodes"
                + " WHERE id IN (?, ?) AND heartbeat_at > ?")) {
            st.setString(1, a);
            st.setString(2, b);
            st.setTimestamp(3, since);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
