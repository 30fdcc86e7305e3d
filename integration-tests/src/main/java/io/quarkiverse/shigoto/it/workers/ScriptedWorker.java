package io.quarkiverse.shigoto.it.workers;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Does what its args say, to drive every outcome from a test: {@code outcome} is one of {@code ok}, {@code error},
 * {@code throw}, {@code snooze}, {@code cancel}; {@code untilAttempt} (or {@code untilRun}, counting every run) applies
 * the outcome only before that attempt (run) and completes from it on; {@code onNode} applies it only on that node (a
 * broadcast queue's delivery there), completing elsewhere. Retries after a one-second backoff.
 */
@Job(kind = "scripted", maxAttempts = 3)
public class ScriptedWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) {
        probe.ran(job, args);
        Object untilAttempt = args.get("untilAttempt");
        Object untilRun = args.get("untilRun");
        Object onNode = args.get("onNode");
        if (onNode != null && !onNode.equals(job.node())) {
            return JobResult.ok("not scripted on node " + job.node());
        }
        if (untilAttempt != null && job.attempt() >= ((Number) untilAttempt).intValue()
                || untilRun != null && probe.runs(job.id()) >= ((Number) untilRun).intValue()) {
            return JobResult.ok("done at attempt " + job.attempt());
        }
        switch (String.valueOf(args.getOrDefault("outcome", "ok"))) {
            case "error":
                return JobResult.error("scripted failure on attempt " + job.attempt());
            case "throw":
                throw new IllegalStateException("scripted exception on attempt " + job.attempt());
            case "snooze":
                return JobResult.snooze(Duration.ofSeconds(((Number) args.getOrDefault("seconds", 1)).longValue()));
            case "cancel":
                return JobResult.cancel("scripted cancel");
            default:
                return JobResult.ok();
        }
    }

    @Override
    public Duration backoff(int attempt, JobError error) {
        return Duration.ofSeconds(1);
    }

    @Override
    public void onDiscard(Map<String, Object> args, List<JobError> errors) {
        probe.discarded(((Number) args.get("token")).longValue(), errors.size());
    }
}
