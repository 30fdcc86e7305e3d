package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.cluster.Leadership;
import io.quarkiverse.shigoto.runtime.maintenance.Pruner;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.Migrator;
import io.quarkiverse.shigoto.runtime.store.Schema;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The leader's maintenance: one leader at a time, rescue of the jobs of lost nodes, pruning of finished jobs.
 */
@QuarkusTest
class MaintenanceTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    JobProbe probe;

    /** A job in a queue nobody runs, claimed by a node that then vanished without a trace. */
    private JobView claimedByGhost(String ghost, int maxAttempts, long token) throws Exception {
        JobView job = shigoto.insert(JobRequest.of(ScriptedWorker.class).queue("parked").maxAttempts(maxAttempts)
                .arg("token", token));
        claimAs(job.id(), ghost);
        return job;
    }

    private void claimAs(long id, String node) throws Exception {
        JobRows.execute(runtime.store().dataSource(), "UPDATE shigoto_jobs SET state = 'executing',"
                + " attempt = attempt + 1, attempted_at = now(), attempted_by = ? WHERE id = ?", node, id);
    }

    private JobView awaitLeft(long id, JobState executing) {
        return await().atMost(Jobs.PATIENCE).until(() -> shigoto.job(id).orElseThrow(), j -> j.state() != executing);
    }

    @Test
    void theApplicationNodeLeads() throws Exception {
        await().atMost(Jobs.PATIENCE).until(() -> runtime.engine().isLeader());
        assertThat(runtime.store().maintenance().leader().orElseThrow().node()).isEqualTo(runtime.node());
    }

    @Test
    void aLostNodesJobIsRetriedThenDiscardedOnceItsAttemptsAreUsedUp() throws Exception {
        String ghost = "ghost-" + UUID.randomUUID();
        long token = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        JobView job = claimedByGhost(ghost, 2, token);

        JobView rescued = awaitLeft(job.id(), JobState.EXECUTING);
        assertThat(rescued.state()).isIn(JobState.RETRYABLE, JobState.AVAILABLE);
        assertThat(rescued.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("node-lost");
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.message()).contains(ghost).contains("left the cluster");
        });
        assertThat(probe.discards(token)).isZero();

        // the job kills its node again: its last attempt is used up, it ends discarded instead of looping
        claimAs(job.id(), ghost);
        JobView discarded = awaitLeft(job.id(), JobState.EXECUTING);
        assertThat(discarded.state()).isEqualTo(JobState.DISCARDED);
        assertThat(discarded.errors()).extracting(JobError::type).containsExactly("node-lost", "node-lost");
        assertThat(discarded.finishedAt()).isNotNull();
        await().atMost(Jobs.PATIENCE).until(() -> probe.discards(token) == 1);
        assertThat(probe.discardErrorCount(token)).isEqualTo(2);
    }

    @Test
    void theJobsOfALiveNodeAreLeftAloneUntilItGoesSilent() throws Exception {
        String live = "live-" + UUID.randomUUID();
        JobRows.execute(runtime.store().dataSource(), "INSERT INTO shigoto_nodes (id, host, started_at, heartbeat_at)"
                + " VALUES (?, 'test', now(), clock_timestamp())", live);
        JobView running = claimedByGhost(live, 3, 1);
        // a ghost's job rescued later than the live node's job was first seen proves a rescue pass went by
        JobView ghosts = claimedByGhost("ghost-" + UUID.randomUUID(), 3, 2);
        awaitLeft(ghosts.id(), JobState.EXECUTING);
        JobView stillRunning = shigoto.job(running.id()).orElseThrow();
        assertThat(stillRunning.state()).isEqualTo(JobState.EXECUTING);
        assertThat(stillRunning.errors()).isEmpty();

        // the node's last heartbeat ages past the node timeout
        JobRows.execute(runtime.store().dataSource(),
                "UPDATE shigoto_nodes SET heartbeat_at = clock_timestamp() - interval '1 hour' WHERE id = ?", live);
        JobView rescued = awaitLeft(running.id(), JobState.EXECUTING);
        assertThat(rescued.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("node-lost");
            assertThat(e.message()).contains(live).contains("stopped heartbeating");
        });
        JobRows.execute(runtime.store().dataSource(), "DELETE FROM shigoto_nodes WHERE id = ?", live);
    }

    @Test
    void theLeaderForgetsNodesSilentForAnHourOnceTheirJobsAreRescued() throws Exception {
        String idle = "gone-idle-" + UUID.randomUUID();
        String busy = "gone-busy-" + UUID.randomUUID();
        String recent = "silent-" + UUID.randomUUID();
        JobRows.execute(runtime.store().dataSource(), "INSERT INTO shigoto_nodes (id, host, started_at, heartbeat_at)"
                + " VALUES (?, 'test', now(), clock_timestamp() - interval '2 hours'), (?, 'test', now(),"
                + " clock_timestamp() - interval '2 hours'), (?, 'test', now(), clock_timestamp() - interval"
                + " '50 minutes')", idle, busy, recent);
        JobView job = claimedByGhost(busy, 3, 5);
        try {
            JobView rescued = awaitLeft(job.id(), JobState.EXECUTING);
            assertThat(rescued.errors()).extracting(JobError::type).containsExactly("node-lost");
            await().atMost(Jobs.PATIENCE).until(() -> nodeRows(idle, busy, recent).equals(List.of(recent)));
        } finally {
            JobRows.execute(runtime.store().dataSource(), "DELETE FROM shigoto_nodes WHERE id = ?", recent);
        }
    }

    private List<String> nodeRows(String... ids) throws Exception {
        return JobRows.longs(runtime.store().dataSource(), "SELECT i FROM unnest(?::text[]) WITH ORDINALITY AS x(id, i)"
                + " WHERE EXISTS (SELECT 1 FROM shigoto_nodes n WHERE n.id = x.id) ORDER BY i", (Object) ids)
                .stream().map(i -> ids[(int) (i - 1)]).toList();
    }

    @Test
    void aRescueOfAnOldAttemptLeavesTheJobAlone() throws Exception {
        // the completion guard: a rescue handed over for attempt 1 arrives when the row is at attempt 2 (the job was
        // rescued and claimed again meanwhile, or the lost node's outcome won the race)
        String node = "live-" + UUID.randomUUID();
        JobRows.execute(runtime.store().dataSource(), "INSERT INTO shigoto_nodes (id, host, started_at, heartbeat_at)"
                + " VALUES (?, 'test', now(), clock_timestamp())", node);
        JobView job = claimedByGhost(node, 3, 4);
        claimAs(job.id(), node);
        JobView atTwo = shigoto.job(job.id()).orElseThrow();
        assertThat(atTwo.attempt()).isEqualTo(2);
        ClaimedJob stale = new ClaimedJob(job.id(), job.kind(), job.queue(), job.priority(), "{}", "{}", List.of(), 1,
                3, null, job.insertedAt(), job.scheduledAt(), Instant.now());
        long written = runtime.engine().completer().written();
        runtime.engine().executor().rescue(stale, "test rescue of attempt 1", Instant.now());
        await().atMost(Jobs.PATIENCE).until(() -> runtime.engine().completer().written() > written);
        JobView after = shigoto.job(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.EXECUTING);
        assertThat(after.attempt()).isEqualTo(2);
        assertThat(after.errors()).isEmpty();
        JobRows.execute(runtime.store().dataSource(), "DELETE FROM shigoto_nodes WHERE id = ?", node);
    }

    /** Two leaderships on a schema of their own, driven by hand: one leads, the other takes over when it goes. */
    @Test
    void leadershipMovesWhenTheLeaderStopsOrFallsSilent() throws Exception {
        Schema schema = Schema.of("shigoto_lease_test");
        try (Connection c = runtime.store().dataSource().getConnection()) {
            Migrator.migrate(c, schema);
        }
        JobStore store = new JobStore(runtime.store().dataSource(), schema);
        Duration lease = Duration.ofMillis(800);
        Leadership a = new Leadership(store.maintenance(), "node-a", lease, null);
        Leadership b = new Leadership(store.maintenance(), "node-b", lease, null);
        Leadership c = new Leadership(store.maintenance(), "node-c", lease, null);
        await().atMost(Jobs.PATIENCE).until(a::tryLead);
        assertThat(b.tryLead()).isFalse();
        assertThat(a.tryLead()).isTrue();

        // a stopping leader gives the lease up: the next try of another node wins at once
        a.stop();
        assertThat(a.isLeader()).isFalse();
        assertThat(b.tryLead()).isTrue();
        assertThat(store.maintenance().leader().orElseThrow().node()).isEqualTo("node-b");

        // a leader that falls silent stops leading by itself before its lease runs out, then another takes over
        assertThat(c.tryLead()).isFalse();
        Instant silentFrom = Instant.now();
        await().atMost(Jobs.PATIENCE).until(() -> !b.isLeader());
        await().atMost(Jobs.PATIENCE).until(c::tryLead);
        assertThat(Duration.between(silentFrom, Instant.now())).isLessThan(Jobs.PATIENCE);
        assertThat(b.tryLead()).isFalse();
        c.stop();
    }

    /** On a schema no engine runs, so no rescue interferes: stuck jobs are the executing jobs of lost nodes only. */
    @Test
    void stuckJobsAreTheExecutingJobsOfLostNodes() throws Exception {
        Schema schema = Schema.of("shigoto_stuck_test");
        try (Connection c = runtime.store().dataSource().getConnection()) {
            Migrator.migrate(c, schema);
        }
        JobStore store = new JobStore(runtime.store().dataSource(), schema);
        String t = schema.name() + ".";
        String live = "live-" + UUID.randomUUID();
        String silent = "silent-" + UUID.randomUUID();
        String gone = "gone-" + UUID.randomUUID();
        JobRows.execute(runtime.store().dataSource(), "INSERT INTO " + t + "shigoto_nodes (id, host, started_at,"
                + " heartbeat_at) VALUES (?, 'h', now(), clock_timestamp()), (?, 'h', now(), clock_timestamp()"
                + " - interval '10 minutes')", live, silent);
        JobRows.execute(runtime.store().dataSource(), "INSERT INTO " + t + "shigoto_jobs (kind, state, attempt,"
                + " attempted_by) SELECT 'echo', 'executing', 1, n FROM unnest(?::text[]) AS n",
                (Object) new String[] { live, live, silent, silent, silent, gone });
        Duration timeout = Duration.ofSeconds(30);
        assertThat(store.maintenance().lostNodes(timeout)).extracting(l -> l.node())
                .containsExactlyInAnyOrder(silent, gone);
        assertThat(store.maintenance().stuckJobCount(timeout, 100)).isEqualTo(4);
        assertThat(store.maintenance().stuckJobCount(timeout, 2)).isEqualTo(2);
        assertThat(store.maintenance().stuckJobCount(Duration.ofHours(1), 100)).isEqualTo(1);
    }

    /**
     * An attempt executing on a live node long past its kind's timeout (plus the node timeout as grace) runs nowhere
     * any more: it counts as stuck too. Kinds this node does not know are not judged.
     */
    @Test
    void stuckJobsIncludeAttemptsThatOutlivedTheirTimeoutOnALiveNode() throws Exception {
        Schema schema = Schema.of("shigoto_overdue_test");
        try (Connection c = runtime.store().dataSource().getConnection()) {
            Migrator.migrate(c, schema);
        }
        JobStore store = new JobStore(runtime.store().dataSource(), schema);
        store.maintenance().attemptTimeouts(Map.of("echo", Duration.ofMinutes(1), "sleepy", Duration.ofMinutes(30)));
        String t = schema.name() + ".";
        String live = "live-" + UUID.randomUUID();
        String silent = "silent-" + UUID.randomUUID();
        JobRows.execute(runtime.store().dataSource(), "INSERT INTO " + t + "shigoto_nodes (id, host, started_at,"
                + " heartbeat_at) VALUES (?, 'h', now(), clock_timestamp()), (?, 'h', now(), clock_timestamp()"
                + " - interval '10 minutes')", live, silent);
        JobRows.execute(runtime.store().dataSource(), "INSERT INTO " + t + "shigoto_jobs (kind, state, attempt,"
                + " attempted_by, attempted_at) SELECT k, 'executing', 1, n, clock_timestamp() - a::interval"
                + " FROM unnest(?::text[], ?::text[], ?::text[]) AS x(k, n, a)",
                new String[] { "echo", "echo", "sleepy", "sleepy", "from-elsewhere", "echo" },
                new String[] { live, live, live, live, live, silent },
                new String[] { "1 hour", "1 second", "10 minutes", "2 hours", "1 day", "1 hour" });
        Duration timeout = Duration.ofSeconds(30);
        // the silent node's job, the echo attempt an hour old, the sleepy one two hours old
        assertThat(store.maintenance().stuckJobCount(timeout, 100)).isEqualTo(3);
        assertThat(store.maintenance().stuckJobCount(timeout, 2)).isEqualTo(2);
        assertThat(store.maintenance().stuckJobCount(timeout, 1)).isEqualTo(1);
    }

    @Test
    void prunerDeletesOldFinishedJobsInBatchesAndKeepsWhatIsStillNeeded() throws Exception {
        String tag = "prune-" + UUID.randomUUID();
        List<JobView> old = shigoto.insertAll(java.util.stream.IntStream.range(0, 7)
                .mapToObj(i -> JobRequest.of("echo").queue("parked").tags(tag)).toList());
        JobView recent = shigoto.insert(JobRequest.of("echo").queue("parked").tags(tag));
        JobView parent = shigoto.insert(JobRequest.of("echo").queue("parked").tags(tag));
        JobView unfinished = shigoto.insert(JobRequest.of("echo").queue("parked").tags(tag));
        JobView waiting = shigoto.insert(JobRequest.of("echo").queue("parked").tags(tag)
                .dependsOn(parent.id(), unfinished.id()));
        // 7 old completed jobs, an old completed parent that a pending job still waits on (its other dependency is
        // not finished), a recently cancelled one
        for (JobView j : old) {
            finish(j.id(), "completed", "60 days");
        }
        finish(parent.id(), "completed", "60 days");
        finish(recent.id(), "cancelled", "1 day");
        Pruner pruner = new Pruner(runtime.store().maintenance(), runtime.clock(), new Pruner.Settings(
                Map.of(JobState.COMPLETED, Duration.ofDays(30), JobState.CANCELLED, Duration.ofDays(30)), 3, false));

        Map<JobState, Long> pruned = pruner.prune(() -> true);
        assertThat(pruned.get(JobState.COMPLETED)).isGreaterThanOrEqualTo(7);
        old.forEach(j -> assertThat(shigoto.job(j.id())).isEmpty());
        assertThat(shigoto.job(parent.id())).isPresent();
        assertThat(shigoto.job(recent.id())).isPresent();
        assertThat(shigoto.job(waiting.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void archivingMovesPrunedJobsToTheArchiveTable() throws Exception {
        JobView done = shigoto.insert(JobRequest.of("echo").queue("parked").arg("keep", "me"));
        finish(done.id(), "discarded", "90 days");
        Pruner pruner = new Pruner(runtime.store().maintenance(), runtime.clock(),
                new Pruner.Settings(Map.of(JobState.DISCARDED, Duration.ofDays(60)), 100, true));
        pruner.prune(() -> true);
        assertThat(shigoto.job(done.id())).isEmpty();
        assertThat(JobRows.longs(runtime.store().dataSource(),
                "SELECT id FROM shigoto_jobs_archive WHERE id = ? AND args->>'keep' = 'me' AND state = 'discarded'"
                        + " AND archived_at IS NOT NULL",
                done.id())).containsExactly(done.id());
    }

    @Test
    void archivedJobsLeaveTheArchiveInBatchesOnceOlderThanTheArchiveRetention() throws Exception {
        long base = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        Long[] old = { base, base + 1, base + 2, base + 3, base + 4 };
        long recent = base + 5;
        JobRows.execute(runtime.store().dataSource(), "INSERT INTO shigoto_jobs_archive (id, kind, state, archived_at)"
                + " SELECT id, 'echo', 'completed', now() - interval '40 days' FROM unnest(?::bigint[]) AS id",
                (Object) old);
        JobRows.execute(runtime.store().dataSource(), "INSERT INTO shigoto_jobs_archive (id, kind, state, archived_at)"
                + " VALUES (?, 'echo', 'completed', now() - interval '20 days')", recent);
        Pruner pruner = new Pruner(runtime.store().maintenance(), runtime.clock(),
                new Pruner.Settings(Map.of(), 2, true, Duration.ofDays(30)));
        pruner.prune(() -> true);
        assertThat(JobRows.longs(runtime.store().dataSource(), "SELECT id FROM shigoto_jobs_archive WHERE id >= ?"
                + " AND id <= ? ORDER BY id", base, recent)).containsExactly(recent);
    }

    @Test
    void finishedBatchesArePrunedOnceTheirMembersWouldBeAndNeverWhileTheArchiveKeepsThem() throws Exception {
        javax.sql.DataSource db = runtime.store().dataSource();
        long old = JobRows.single(db, "INSERT INTO shigoto_batches (sealed, finished_at) VALUES (true, now() - interval"
                + " '60 days') RETURNING id");
        long recent = JobRows.single(db, "INSERT INTO shigoto_batches (sealed, finished_at) VALUES (true, now() -"
                + " interval '10 days') RETURNING id");
        long running = JobRows.single(db, "INSERT INTO shigoto_batches (sealed, inserted_at) VALUES (true, now() -"
                + " interval '90 days') RETURNING id");
        String left = "SELECT id FROM shigoto_batches WHERE id = ANY(?::bigint[]) ORDER BY id";
        Long[] ids = { old, recent, running };

        // archived members are kept for ever: so are their batches
        new Pruner(runtime.store().maintenance(), runtime.clock(),
                new Pruner.Settings(Map.of(JobState.COMPLETED, Duration.ofDays(1)), 100, true)).prune(() -> true);
        assertThat(JobRows.longs(db, left, (Object) ids)).containsExactly(old, recent, running);

        // deleted members: a batch is kept as long as the longest-kept finished state (here 30 days)
        new Pruner(runtime.store().maintenance(), runtime.clock(), new Pruner.Settings(
                Map.of(JobState.COMPLETED, Duration.ofDays(1), JobState.DISCARDED, Duration.ofDays(30)), 100, false))
                .prune(() -> true);
        assertThat(JobRows.longs(db, left, (Object) ids)).containsExactly(recent, running);
    }

    private void finish(long id, String state, String ago) throws Exception {
        JobRows.execute(runtime.store().dataSource(), "UPDATE shigoto_jobs SET state = ?::shigoto_job_state,"
                + " finished_at = now() - ?::interval WHERE id = ?", state, ago, id);
    }
}
