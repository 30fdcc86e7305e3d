package io.quarkiverse.shigoto.it.workers;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.MDC;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/** Answers what the logging MDC holds of shigoto's keys while it runs. */
@Job(kind = "mdc")
public class MdcWorker implements Worker {

    @Override
    public JobResult perform(Map<String, Object> args) {
        Map<String, Object> seen = new LinkedHashMap<>();
        for (String key : new String[] { "shigoto.job.id", "shigoto.job.kind", "shigoto.job.queue",
                "shigoto.job.attempt" }) {
            seen.put(key, MDC.get(key));
        }
        return JobResult.ok(seen);
    }
}
