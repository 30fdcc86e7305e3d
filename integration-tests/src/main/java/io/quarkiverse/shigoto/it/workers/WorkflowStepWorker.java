package io.quarkiverse.shigoto.it.workers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * A workflow step for the workflow tests: it returns a {@link StepOutput} whose {@code sum} is its {@code value} arg
 * plus the sums of the steps it comes after, read typed by step name. Its {@code outcome} arg is {@code ok} (the
 * default), {@code fail} (one attempt, so discarded) or {@code fail-first} (fails its first attempt only, so a retry
 * completes it).
 */
@Job(kind = "workflow-step", queue = "workflows", maxAttempts = 1)
public class WorkflowStepWorker implements Worker {

    /** What a step returns. */
    public record StepOutput(String step, int sum, List<String> parents) {
    }

    @Inject
    JobContext job;

    @Override
    public JobResult perform(Map<String, Object> args) {
        String outcome = String.valueOf(args.getOrDefault("outcome", "ok"));
        if (outcome.equals("fail") || (outcome.equals("fail-first") && job.attempt() == 1)) {
            return JobResult.error("failed on purpose");
        }
        int sum = ((Number) args.getOrDefault("value", 0)).intValue();
        List<String> parents = new ArrayList<>(job.stepResults().keySet());
        for (String parent : parents) {
            StepOutput out = job.stepResult(parent, StepOutput.class);
            sum += out == null ? 0 : out.sum();
        }
        return JobResult.ok(new StepOutput(String.valueOf(args.get("step")), sum, parents));
    }
}
