package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.Worker;

/**
 * A unique worker: one report per {@code account} while one is waiting or running. Its queue, {@code reports}, has
 * concurrency 0 in the test application, so its jobs stay put for the tests to look at.
 */
@Job(kind = "unique-report", queue = "reports")
@Unique(keys = { Unique.Key.WORKER, Unique.Key.ARGS }, argsKeys = "account", replace = Unique.Replace.PRIORITY)
public class UniqueReportWorker implements Worker {

    @Override
    public JobResult perform(Map<String, Object> args) {
        return JobResult.ok();
    }
}
