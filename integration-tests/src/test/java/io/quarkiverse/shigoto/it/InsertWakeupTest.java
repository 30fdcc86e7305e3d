package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.HoldingWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Insert wake-ups: a node whose own producer takes the job sends no notification, and a job that producer cannot
 * take still wakes another node at once (that node polls only every five minutes here, so only a notification can
 * make it claim in time).
 */
@QuarkusTest
class InsertWakeupTest {

    private static final String CHANNEL = "shigoto_insert_public";
    /** Run here with one slot, and by the second node of these tests. */
    private static final String QUEUE = "wakeups";

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    JobProbe probe;

    @Test
    void singleInsertsThatThisNodesIdleProducerTakesSendNoNotification() throws Exception {
        String token = UUID.randomUUID().toString();
        try (Connection listener = listen()) {
            // each insert meets an idle producer, as at a low steady rate: before, each sent its own NOTIFY
            for (int i = 0; i < 30; i++) {
                JobView job = shigoto.insert(JobRequest.of("echo").arg("token", token).arg("i", i));
                awaitState(shigoto, job.id(), JobState.COMPLETED);
            }
            assertThat(notificationsFor(listener, "default")).as("notifications for 30 single inserts").isLessThan(3);
        }
    }

    @Test
    void aJobThisNodesProducerCannotTakeWakesAnotherNodeAtOnce() throws Exception {
        Engine.Settings s = runtime.settings("wakeup-peer").withQueues(Map.of(QUEUE, 1));
        Engine peer = runtime.newEngine(new Engine.Settings(s.node(), s.queues(), Duration.ofMinutes(5),
                s.stageInterval(), s.shutdownTimeout(), s.completerBatchSize(), s.fairQueues(), s.broadcastQueues(),
                s.maintenance(),
                s.cron()));
        peer.start();
        List<Long> ids = new ArrayList<>();
        try {
            // back to back, both meet this node's free slot: whichever it does not claim must go to the peer
            ids.add(shigoto.insert(JobRequest.of(HoldingWorker.class).queue(QUEUE)).id());
            ids.add(shigoto.insert(JobRequest.of(HoldingWorker.class).queue(QUEUE)).id());
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> ids.stream().allMatch(id -> shigoto.job(id).orElseThrow().state() == JobState.EXECUTING));
            assertThat(ids.stream().map(id -> shigoto.job(id).orElseThrow().attemptedBy()))
                    .containsExactlyInAnyOrder(runtime.node(), "wakeup-peer");
            // this node is full now: a third job goes to the peer once its slot frees, announced by the insert
            long onPeer = ids.stream().filter(id -> "wakeup-peer".equals(shigoto.job(id).orElseThrow().attemptedBy()))
                    .findFirst().orElseThrow();
            probe.release(onPeer);
            awaitState(shigoto, onPeer, JobState.COMPLETED);
            ids.add(shigoto.insert(JobRequest.of(HoldingWorker.class).queue(QUEUE)).id());
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> shigoto.job(ids.get(2)).orElseThrow().state() == JobState.EXECUTING);
            assertThat(shigoto.job(ids.get(2)).orElseThrow().attemptedBy()).isEqualTo("wakeup-peer");
        } finally {
            ids.forEach(probe::release);
            peer.stop();
        }
    }

    private Connection listen() throws SQLException {
        Connection c = dataSource.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + CHANNEL);
        }
        return c;
    }

    /** @return the notifications for a queue received until a mark sent now (they arrive in commit order) */
    private int notificationsFor(Connection listener, String queue) throws SQLException {
        String mark = "mark-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_notify('" + CHANNEL + "', '" + mark + "')");
        }
        int count = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(500);
            for (PGNotification n : received == null ? new PGNotification[0] : received) {
                if (n.getParameter().equals(mark)) {
                    return count;
                }
                if (n.getParameter().equals(queue)) {
                    count++;
                }
            }
        }
        throw new AssertionError("the mark notification did not arrive");
    }
}
