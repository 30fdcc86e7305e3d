package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.arc.Arc;

/**
 * Applies each worker's {@link JobWorker#redact(Map)} to the jobs the dashboard shows. A worker that fails to redact
 * gets nothing shown rather than everything.
 */
final class Redaction {

    private static final Logger LOG = Logger.getLogger(Redaction.class);
    private static final Map<String, Object> WITHHELD = Map.of("_redaction", "failed: args withheld");

    private Redaction() {
    }

    static JobView apply(JobView job) {
        WorkerCatalog catalog = Arc.container().instance(WorkerCatalog.class).get();
        WorkerDefinition definition = catalog.byKind(job.kind()).orElse(null);
        if (definition == null) {
            return job;
        }
        Map<String, Object> shown;
        try {
            shown = catalog.instance(definition).redact(job.args());
        } catch (RuntimeException e) {
            LOG.warnf(e, "redact of job kind %s failed; the dashboard withholds its args", job.kind());
            shown = WITHHELD;
        }
        if (shown == job.args()) {
            return job;
        }
        return new JobView(job.id(), job.kind(), job.queue(), job.state(), job.priority(),
                shown == null ? Map.of() : shown, job.meta(), job.tags(), job.attempt(), job.maxAttempts(),
                job.errors(), job.result(), job.partitionKey(), job.insertedAt(), job.scheduledAt(),
                job.attemptedAt(), job.attemptedBy(), job.finishedAt(), job.progress(), job.conflict());
    }

    static List<JobView> apply(List<JobView> jobs) {
        List<JobView> shown = new ArrayList<>(jobs.size());
        jobs.forEach(j -> shown.add(apply(j)));
        return shown;
    }
}
