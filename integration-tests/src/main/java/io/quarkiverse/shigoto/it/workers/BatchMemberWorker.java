package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * A batch member for the batch tests: its {@code outcome} arg is {@code ok} (the default), {@code fail} (one attempt,
 * so discarded) or {@code cancel}.
 */
@Job(kind = "batch-member", queue = "batches", maxAttempts = 1)
public class BatchMemberWorker implements Worker {

    @Override
    public JobResult perform(Map<String, Object> args) {
        return switch (String.valueOf(args.getOrDefault("outcome", "ok"))) {
            case "fail" -> JobResult.error("failed on purpose");
            case "cancel" -> JobResult.cancel("cancelled on purpose");
            default -> JobResult.ok();
        };
    }
}
