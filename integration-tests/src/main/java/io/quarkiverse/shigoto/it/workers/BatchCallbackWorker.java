package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/** A batch callback for the batch tests: completes, answering its args. */
@Job(kind = "batch-callback", queue = "batches")
public class BatchCallbackWorker implements Worker {

    @Override
    public JobResult perform(Map<String, Object> args) {
        return JobResult.ok(args);
    }
}
