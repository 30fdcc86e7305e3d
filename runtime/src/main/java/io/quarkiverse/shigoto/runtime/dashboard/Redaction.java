package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.worker.Secrets;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.arc.Arc;

/**
 * Applies each worker's {@link JobWorker#redact(Map)} to the jobs the dashboard shows: to their args, and to their
 * errors' messages and stack traces, where the values it hides are masked ({@link Secrets}). A worker that fails to
 * redact gets nothing shown rather than everything.
 */
final class Redaction {

    private static final Logger LOG = Logger.getLogger(Redaction.class);
    private static final Map<String, Object> WITHHELD = Map.of("_redaction", "failed: args withheld");

    private Redaction() {
    }

    static JobView apply(JobView job) {
        return redacted(sealed(job));
    }

    /**
     * @return the job with what is encrypted at rest shown as such, with its key id, never decrypted here; the job
     *         itself when nothing is
     */
    private static JobView sealed(JobView job) {
        Map<String, Object> args = KeyRing.shown(job.args());
        Map<String, Object> meta = KeyRing.shown(job.meta());
        @SuppressWarnings("unchecked")
        Object result = job.result() instanceof Map<?, ?> r ? KeyRing.shown((Map<String, Object>) r) : job.result();
        if (args == job.args() && meta == job.meta() && result == job.result()) {
            return job;
        }
        return new JobView(job.id(), job.kind(), job.queue(), job.state(), job.priority(), args, meta, job.tags(),
                job.attempt(), job.maxAttempts(), job.errors(), result, job.partitionKey(), job.insertedAt(),
                job.scheduledAt(), job.attemptedAt(), job.attemptedBy(), job.finishedAt(), job.progress(),
                job.conflict());
    }

    /** @return the job with the worker's {@code redact} applied to its plain args and errors */
    private static JobView redacted(JobView job) {
        if (job.args().containsKey(KeyRing.FIELD)) {
            // the args are an envelope: nothing of them to redact (and a worker's redact expects its own args)
            return job;
        }
        WorkerCatalog catalog = Arc.container().instance(WorkerCatalog.class).get();
        WorkerDefinition definition = catalog.byKind(job.kind()).orElse(null);
        if (definition == null) {
            return job;
        }
        Map<String, Object> shown;
        Secrets secrets;
        try {
            shown = catalog.instance(definition).redact(job.args());
            secrets = Secrets.hidden(job.args(), shown);
        } catch (RuntimeException e) {
            // not the exception itself: its message may quote the args it could not redact
            LOG.warnf("redact of job kind %s failed (%s); the dashboard withholds its args and errors", job.kind(),
                    e.getClass().getName());
            shown = WITHHELD;
            secrets = Secrets.ALL;
        }
        if (shown == job.args() && secrets.none()) {
            return job;
        }
        return new JobView(job.id(), job.kind(), job.queue(), job.state(), job.priority(),
                shown == null ? Map.of() : shown, job.meta(), job.tags(), job.attempt(), job.maxAttempts(),
                errors(job.errors(), secrets), job.result(), job.partitionKey(), job.insertedAt(), job.scheduledAt(),
                job.attemptedAt(), job.attemptedBy(), job.finishedAt(), job.progress(), job.conflict());
    }

    static List<JobView> apply(List<JobView> jobs) {
        List<JobView> shown = new ArrayList<>(jobs.size());
        jobs.forEach(j -> shown.add(apply(j)));
        return shown;
    }

    private static List<JobError> errors(List<JobError> errors, Secrets secrets) {
        if (secrets.none()) {
            return errors;
        }
        List<JobError> shown = new ArrayList<>(errors.size());
        for (JobError e : errors) {
            shown.add(new JobError(e.attempt(), e.at(), e.type(), secrets.scrub(e.message()),
                    secrets.scrub(e.stacktrace())));
        }
        return shown;
    }
}
