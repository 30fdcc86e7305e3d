package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.HoldingWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.it.workers.SleepyWorker;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Stopping a node stops claiming, lets running jobs finish and writes their outcome; what outlives the shutdown
 * timeout is interrupted and left executing for the leader to rescue, not failed by the interrupt.
 */
@QuarkusTest
class ShutdownTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    JobProbe probe;

    /** A node of its own, running only the given queue, which the application's node does not run. */
    private Engine node(String id, String queue, Duration shutdownTimeout) {
        Engine node = runtime.newEngine(runtime.settings(id).withQueues(Map.of(queue, 1))
                .withShutdownTimeout(shutdownTimeout));
        node.start();
        return node;
    }

    /** @return what the engine logs, at INFO and above, while {@code action} runs */
    private static List<String> engineLog(Runnable action) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(Engine.class.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                    lines.add(record.getParameters() == null ? record.getMessage()
                            : String.format(record.getMessage(), record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return lines;
    }

    @Test
    void stopWaitsForTheRunningJobAndWritesItsOutcome() {
        Engine node = node("drainer", "drain-on-stop", Duration.ofSeconds(30));
        JobView job = shigoto.insert(JobRequest.of(SleepyWorker.class).queue("drain-on-stop").arg("millis", 300));
        awaitState(shigoto, job.id(), JobState.EXECUTING);
        List<String> log = engineLog(node::stop);
        assertThat(log).contains("shigoto node drainer is stopping: waiting up to PT30S for 1 running job(s)",
                "shigoto node drainer: the 1 running job(s) finished");
        // no waiting here: stop() returned only after the job finished and its completion was written
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(probe.wasInterrupted(job.id())).isFalse();
    }

    @Test
    void aJobOutlivingTheShutdownTimeoutIsInterruptedThenRescuedAsNodeLost() {
        Engine node = node("abandoner", "abandon-on-stop", Duration.ofMillis(100));
        // held until interrupted: however slowly this machine runs the test, the job outlives the timeout
        JobView job = shigoto.insert(JobRequest.of(HoldingWorker.class).queue("abandon-on-stop"));
        awaitState(shigoto, job.id(), JobState.EXECUTING);
        List<String> log = engineLog(node::stop);
        assertThat(log).contains("shigoto node abandoner is stopping: waiting up to PT0.1S for 1 running job(s)",
                "shigoto node abandoner stops with 1 job(s) still running after PT0.1S (0 finished meanwhile); the"
                        + " node that rescues them runs them again");
        await().atMost(Jobs.PATIENCE).until(() -> probe.wasInterrupted(job.id()));
        // the interrupt is not recorded as the attempt's failure: the node left, and the leader rescues the job
        JobView after = await().atMost(Jobs.PATIENCE).until(() -> shigoto.job(job.id()).orElseThrow(),
                j -> j.state() != JobState.EXECUTING);
        assertThat(after.attemptedBy()).isEqualTo("abandoner");
        assertThat(after.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("node-lost");
            assertThat(e.message()).contains("abandoner");
        });
    }

    @Test
    void aStoppedNodeClaimsNothingMore() {
        Engine node = node("stopped", "no-claims-after-stop", Duration.ofSeconds(5));
        node.stop();
        JobView job = shigoto.insert(JobRequest.of(SleepyWorker.class).queue("no-claims-after-stop").arg("millis", 1));
        // a node that runs the queue proves the job was claimable all along
        Engine other = node("running", "no-claims-after-stop", Duration.ofSeconds(5));
        try {
            JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
            assertThat(done.attemptedBy()).isEqualTo("running");
        } finally {
            other.stop();
        }
    }

    @Test
    void prefetchedJobsAreHandedBackAtStopAndRunOnceElsewhere() throws Exception {
        Engine node = node("prefetcher", "handback", Duration.ofSeconds(30));
        // short jobs first, so the queue learns its jobs are short and starts prefetching
        List<JobView> quick = shigoto.insertAll(IntStream.range(0, 40)
                .mapToObj(i -> JobRequest.of(SleepyWorker.class).queue("handback").arg("millis", 0)).toList());
        quick.forEach(j -> awaitState(shigoto, j.id(), JobState.COMPLETED));
        List<JobView> slow = shigoto.insertAll(IntStream.range(0, 200)
                .mapToObj(i -> JobRequest.of(SleepyWorker.class).queue("handback").arg("millis", 20)).toList());
        await().atMost(Jobs.PATIENCE).until(() -> probe.runs(slow.get(0).id()) > 0);
        node.stop();

        List<JobView> after = slow.stream().map(j -> shigoto.job(j.id()).orElseThrow()).toList();
        assertThat(after).extracting(JobView::state).doesNotContain(JobState.EXECUTING);
        List<JobView> handedBack = after.stream().filter(j -> j.state() == JobState.AVAILABLE).toList();
        assertThat(handedBack).isNotEmpty().allSatisfy(j -> {
            assertThat(j.attempt()).isZero();
            assertThat(j.attemptedBy()).isNull();
        });

        Engine other = node("finisher", "handback", Duration.ofSeconds(30));
        try {
            slow.forEach(j -> awaitState(shigoto, j.id(), JobState.COMPLETED));
            assertThat(slow).allSatisfy(j -> assertThat(probe.runs(j.id())).isEqualTo(1));
            assertThat(handedBack).allSatisfy(
                    j -> assertThat(shigoto.job(j.id()).orElseThrow().attemptedBy()).isEqualTo("finisher"));
        } finally {
            other.stop();
        }
    }
}
