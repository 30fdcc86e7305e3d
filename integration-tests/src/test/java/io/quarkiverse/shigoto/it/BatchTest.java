package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.BatchRequest;
import io.quarkiverse.shigoto.BatchState;
import io.quarkiverse.shigoto.BatchView;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Batches on the application's node: every callback rule, counters kept in the members' transactions, and the
 * callbacks inserted exactly once, also when two transactions finish the last two members at once and when a lost
 * node's member is rescued.
 */
@QuarkusTest
class BatchTest {

    /** A queue no node runs: its members wait until a test moves them. */
    static final String PARKED = "batch-parked";

    @Inject
    Shigoto shigoto;

    @Inject
    AgroalDataSource dataSource;

    static JobRequest member(String outcome) {
        return JobRequest.of("batch-member").arg("outcome", outcome);
    }

    static JobRequest parked() {
        return JobRequest.of("batch-member").queue(PARKED);
    }

    static JobRequest callback(String label) {
        return JobRequest.of("batch-callback").arg("label", label);
    }

    static BatchRequest withEveryCallback(BatchRequest batch) {
        return batch.onCompleted(callback("completed")).onDiscarded(callback("discarded"))
                .onCancelled(callback("cancelled")).onFinished(callback("finished"));
    }

    BatchView finished(long id) {
        return await().atMost(Jobs.PATIENCE).until(() -> shigoto.batch(id).orElseThrow(),
                b -> b.state() == BatchState.FINISHED);
    }

    /** @return the callbacks that got a job, by outcome, each job awaited until it completed */
    Map<String, Long> fired(BatchView batch) {
        Map<String, Long> fired = new java.util.TreeMap<>();
        for (BatchView.Callback cb : batch.callbacks()) {
            if (cb.jobId() != null) {
                fired.put(cb.on(), cb.jobId());
                JobView job = Jobs.awaitState(shigoto, cb.jobId(), JobState.COMPLETED);
                assertThat(((Number) job.meta().get("batch")).longValue()).isEqualTo(batch.id());
                assertThat(job.meta()).containsEntry("batchCallback", cb.on());
            }
        }
        return fired;
    }

    long callbackJobs(long batch) throws SQLException {
        return JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE kind = 'batch-callback'"
                + " AND (meta->>'batch')::bigint = ?", batch);
    }

    @Test
    void everyMemberCompletedRunsTheCompletedAndFinishedCallbacks() throws SQLException {
        BatchView batch = shigoto.insertBatch(withEveryCallback(BatchRequest.of(member("ok"), member("ok"),
                member("ok")).name("all-ok")));
        assertThat(batch.total()).isEqualTo(3);
        assertThat(batch.name()).isEqualTo("all-ok");

        BatchView done = finished(batch.id());
        assertThat(done.completed()).isEqualTo(3);
        assertThat(done.finished()).isEqualTo(3);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(fired(done)).containsOnlyKeys("completed", "finished");
        assertThat(callbackJobs(batch.id())).isEqualTo(2);
    }

    @Test
    void aDiscardedMemberRunsTheDiscardedCallbackNotTheCompletedOne() throws SQLException {
        BatchView batch = shigoto.insertBatch(withEveryCallback(BatchRequest.of(member("ok"), member("fail"))));
        BatchView done = finished(batch.id());
        assertThat(done.completed()).isEqualTo(1);
        assertThat(done.discarded()).isEqualTo(1);
        assertThat(fired(done)).containsOnlyKeys("discarded", "finished");
        assertThat(callbackJobs(batch.id())).isEqualTo(2);
    }

    @Test
    void cancelledAndDeletedMembersStillFinishTheBatch() throws SQLException {
        BatchView batch = shigoto.insertBatch(withEveryCallback(BatchRequest.of(member("ok"), parked(), parked(),
                member("cancel"))));
        List<Long> parked = JobRows.longs(dataSource, "SELECT id FROM shigoto_jobs WHERE batch_id = ? AND queue = ?"
                + " ORDER BY id", batch.id(), PARKED);
        assertThat(parked).hasSize(2);
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.batch(batch.id()).orElseThrow().finished() == 2);
        assertThat(shigoto.batch(batch.id()).orElseThrow().state()).isEqualTo(BatchState.RUNNING);

        assertThat(shigoto.cancel(parked.get(0))).isTrue();
        assertThat(shigoto.batch(batch.id()).orElseThrow().state()).isEqualTo(BatchState.RUNNING);
        assertThat(shigoto.delete(parked.get(1))).isTrue();

        BatchView done = shigoto.batch(batch.id()).orElseThrow();
        assertThat(done.state()).as("finished in the delete's transaction").isEqualTo(BatchState.FINISHED);
        assertThat(done.completed()).isEqualTo(1);
        assertThat(done.cancelled()).as("the worker's cancel and the control's").isEqualTo(2);
        assertThat(done.deleted()).isEqualTo(1);
        assertThat(fired(done)).containsOnlyKeys("cancelled", "finished");
    }

    @Test
    void anOpenBatchFinishesOnlyOnceSealed() throws SQLException {
        BatchView batch = shigoto.insertBatch(withEveryCallback(BatchRequest.of(member("ok")).open()));
        assertThat(batch.state()).isEqualTo(BatchState.OPEN);
        List<JobView> added = shigoto.addToBatch(batch.id(), List.of(member("ok"), member("ok")));
        assertThat(added).hasSize(2);
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.batch(batch.id()).orElseThrow().completed() == 3);
        assertThat(shigoto.batch(batch.id()).orElseThrow().state()).as("every member is done, but it is open")
                .isEqualTo(BatchState.OPEN);
        assertThat(callbackJobs(batch.id())).isZero();

        BatchView sealed = shigoto.sealBatch(batch.id());
        assertThat(sealed.state()).as("finished as it was sealed").isEqualTo(BatchState.FINISHED);
        assertThat(sealed.total()).isEqualTo(3);
        assertThat(fired(sealed)).containsOnlyKeys("completed", "finished");
        assertThat(shigoto.sealBatch(batch.id()).callbacks()).isEqualTo(sealed.callbacks());

        assertThatThrownBy(() -> shigoto.addToBatch(batch.id(), List.of(member("ok"))))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("batch " + batch.id() + " is sealed");
        assertThatThrownBy(() -> shigoto.addToBatch(-1, List.of(member("ok"))))
                .isInstanceOf(InvalidJobException.class).hasMessage("no batch has id -1");
        assertThat(callbackJobs(batch.id())).isEqualTo(2);
    }

    @Test
    void anEmptySealedBatchFinishesAtOnce() throws SQLException {
        BatchView batch = shigoto.insertBatch(withEveryCallback(BatchRequest.of()));
        assertThat(batch.state()).isEqualTo(BatchState.FINISHED);
        assertThat(batch.total()).isZero();
        assertThat(fired(batch)).containsOnlyKeys("completed", "finished");
    }

    @Test
    void aRetriedMemberIsTakenBackAndCountedAgain() throws SQLException {
        BatchView batch = shigoto.insertBatch(withEveryCallback(BatchRequest.of(member("fail"), parked())));
        long failing = JobRows.single(dataSource, "SELECT id FROM shigoto_jobs WHERE batch_id = ? AND queue = 'batches'",
                batch.id());
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.batch(batch.id()).orElseThrow().discarded() == 1);

        // taken back in the retry's transaction, then discarded again by its next attempt: in every snapshot the
        // counter is the number of members discarded
        assertThat(shigoto.retry(failing)).isTrue();
        assertThat(discardedCounterMatchesMembers(batch.id())).isTrue();
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.job(failing).orElseThrow(),
                j -> j.state() == JobState.DISCARDED && j.errors().size() == 2);
        assertThat(discardedCounterMatchesMembers(batch.id())).isTrue();
        assertThat(shigoto.batch(batch.id()).orElseThrow().discarded()).isEqualTo(1);
        assertThat(shigoto.batch(batch.id()).orElseThrow().state()).isEqualTo(BatchState.RUNNING);

        long parkedId = JobRows.single(dataSource, "SELECT id FROM shigoto_jobs WHERE batch_id = ? AND queue = ?",
                batch.id(), PARKED);
        assertThat(shigoto.cancel(parkedId)).isTrue();
        BatchView done = finished(batch.id());
        assertThat(done.discarded()).isEqualTo(1);
        assertThat(done.cancelled()).isEqualTo(1);
        assertThat(fired(done)).containsOnlyKeys("discarded", "cancelled", "finished");
    }

    private boolean discardedCounterMatchesMembers(long batch) throws SQLException {
        // one statement, one snapshot
        return JobRows.single(dataSource, "SELECT count(*) FROM shigoto_batches b WHERE b.id = ? AND b.discarded ="
                + " (SELECT count(*) FROM shigoto_jobs j WHERE j.batch_id = b.id AND j.state = 'discarded')", batch) == 1;
    }

    /**
     * Two transactions finish the last two members at the same time, as two nodes' completers would: the second
     * waits for the first's lock on the batch row, then counts on the committed value. One callback of each.
     */
    @Test
    void twoCompletersFinishingTheLastTwoMembersAtOnceInsertOneCallback() throws Exception {
        BatchView batch = shigoto.insertBatch(withEveryCallback(BatchRequest.of(parked(), parked())));
        List<Long> ids = JobRows.longs(dataSource, "SELECT id FROM shigoto_jobs WHERE batch_id = ? ORDER BY id",
                batch.id());
        // claimed, as two nodes would have claimed them
        JobRows.execute(dataSource, "UPDATE shigoto_jobs SET state = 'executing', attempt = 1,"
                + " attempted_at = now(), attempted_by = 'batch-test' WHERE id = ANY(?::bigint[])",
                (Object) ids.toArray(Long[]::new));

        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            finishCompleted(first, ids.get(0));
            String waiter = "batch-test-" + UUID.randomUUID();
            try (PreparedStatement st = second.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                st.setString(1, waiter);
                st.execute();
            }
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try {
                    finishCompleted(second, ids.get(1));
                    second.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // the second completion waits for the batch row the first one locked
            await().atMost(Jobs.PATIENCE).until(() -> JobRows.single(dataSource, "SELECT count(*) FROM"
                    + " pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'", waiter) == 1);
            first.commit();
            blocked.get(20, TimeUnit.SECONDS);
        }
        BatchView done = shigoto.batch(batch.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(BatchState.FINISHED);
        assertThat(done.completed()).isEqualTo(2);
        assertThat(fired(done)).containsOnlyKeys("completed", "finished");
        assertThat(callbackJobs(batch.id())).isEqualTo(2);
    }

    private static void finishCompleted(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM shigoto_finish_completed(now(),"
                + " ARRAY[?]::bigint[], ARRAY[1]::int[])")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("job %d finished", id).isTrue();
            }
        }
    }

    /**
     * Members executing on a node that vanished: the leader's rescue gives one with attempts left back (it then
     * completes here) and discards one without; each is counted once, and the batch finishes once.
     */
    @Test
    void membersOfALostNodeAreCountedOnceWhenRescued() throws SQLException {
        BatchView batch = shigoto.insertBatch(withEveryCallback(BatchRequest.of(parked(),
                JobRequest.of("batch-member").queue(PARKED).maxAttempts(3))));
        List<Long> ids = JobRows.longs(dataSource, "SELECT id FROM shigoto_jobs WHERE batch_id = ? ORDER BY id",
                batch.id());
        String ghost = "ghost-" + UUID.randomUUID();
        // the retried one comes back to a queue this node runs
        JobRows.execute(dataSource, "UPDATE shigoto_jobs SET state = 'executing', attempt = 1, attempted_at = now(),"
                + " attempted_by = ?, queue = CASE WHEN id = ? THEN 'batches' ELSE queue END"
                + " WHERE id = ANY(?::bigint[])", ghost, ids.get(1), (Object) ids.toArray(Long[]::new));

        // rescued with attempts left: retryable after its backoff; made due now (a retry of a retryable job counts
        // nothing), it runs here
        Jobs.awaitState(shigoto, ids.get(1), JobState.RETRYABLE);
        assertThat(shigoto.retry(ids.get(1))).isTrue();
        BatchView done = finished(batch.id());
        assertThat(done.discarded()).as("the one without attempts left").isEqualTo(1);
        assertThat(done.completed()).as("the one rescued and run here").isEqualTo(1);
        assertThat(shigoto.job(ids.get(1)).orElseThrow().attempt()).isEqualTo(2);
        assertThat(fired(done)).containsOnlyKeys("discarded", "finished");
        assertThat(callbackJobs(batch.id())).isEqualTo(2);
    }

    @Test
    void cancelByAndRetryByTakeABatchFilter() throws SQLException {
        BatchView batch = shigoto.insertBatch(withEveryCallback(BatchRequest.of(parked(), parked(), parked())));
        BatchView other = shigoto.insertBatch(BatchRequest.of(parked()));

        assertThat(shigoto.cancelBy(JobFilter.all().batch(batch.id()))).isEqualTo(3);
        BatchView done = shigoto.batch(batch.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(BatchState.FINISHED);
        assertThat(done.cancelled()).isEqualTo(3);
        assertThat(fired(done)).containsOnlyKeys("cancelled", "finished");
        assertThat(shigoto.batch(other.id()).orElseThrow().members()).containsEntry(JobState.AVAILABLE, 1);

        // retried after the batch finished: taken back out of the count, the batch stays finished, no callback again
        assertThat(shigoto.retryBy(JobFilter.all().batch(batch.id())
                .states(JobState.CANCELLED))).isEqualTo(3);
        BatchView retried = shigoto.batch(batch.id()).orElseThrow();
        assertThat(retried.cancelled()).isZero();
        assertThat(retried.state()).isEqualTo(BatchState.FINISHED);
        assertThat(retried.members()).containsEntry(JobState.AVAILABLE, 3);
        assertThat(shigoto.cancelBy(JobFilter.all().batch(batch.id()))).isEqualTo(3);
        assertThat(shigoto.batch(batch.id()).orElseThrow().cancelled()).isEqualTo(3);
        assertThat(callbackJobs(batch.id())).isEqualTo(2);
        shigoto.cancelBy(JobFilter.all().batch(other.id()));
    }

    @Test
    void aCallbackMustBeAPlainJob() {
        assertThatThrownBy(() -> shigoto.insertBatch(BatchRequest.of(member("ok"))
                .onCompleted(callback("late").scheduleIn(java.time.Duration.ofMinutes(1)))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("the batch's on-completed callback of kind 'batch-callback' has a schedule: a callback runs"
                        + " once, when the batch finishes, so it takes none");
        assertThatThrownBy(() -> shigoto.insertBatch(BatchRequest.of(member("ok"))
                .onFinished(JobRequest.of("no-such-kind"))))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("unknown job kind 'no-such-kind'");
        assertThatThrownBy(() -> shigoto.insertBatch(BatchRequest.of(member("ok")).name("x".repeat(201))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("a batch name must be 1 to 200 characters, not 201 long");
    }

    @Test
    void aLargeBatchStreamsItsMembersIn() throws SQLException {
        List<JobRequest> members = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            members.add(JobRequest.of("batch-member").queue(PARKED).arg("i", i));
        }
        BatchView batch = shigoto.insertBatch(BatchRequest.of(members).onCancelled(callback("cancelled")));
        assertThat(batch.total()).isEqualTo(1_500);
        assertThat(batch.members()).containsEntry(JobState.AVAILABLE, 1_500);
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE batch_id = ?", batch.id()))
                .isEqualTo(1_500);
        // one statement cancels them all; the triggers count each in its transaction
        JobRows.execute(dataSource, "UPDATE shigoto_jobs SET state = 'cancelled', finished_at = now()"
                + " WHERE batch_id = ?", batch.id());
        BatchView done = shigoto.batch(batch.id()).orElseThrow();
        assertThat(done.cancelled()).isEqualTo(1_500);
        assertThat(done.state()).isEqualTo(BatchState.FINISHED);
        assertThat(fired(done)).containsOnlyKeys("cancelled");
    }
}
