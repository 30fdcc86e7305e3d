package io.quarkiverse.shigoto.runtime.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.BatchRequest;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.store.BatchStore;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.quarkiverse.shigoto.runtime.worker.JobRequests;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;

/**
 * Checks a {@link BatchRequest} before anything is stored and resolves its callbacks into the jobs the batch's finish
 * inserts.
 */
final class BatchCommands {

    /** The longest batch name. */
    static final int MAX_NAME = 200;

    /** A batch ready to be stored. */
    record Prepared(String name, String metaJson, String callbacksJson) {
    }

    private BatchCommands() {
    }

    /**
     * @throws InvalidJobException naming what is wrong: the name, the meta, or a callback (which must be a plain job:
     *         due when the batch finishes, so no schedule, dependencies, uniqueness or partition key of its own)
     */
    static Prepared prepare(WorkerCatalog catalog, BatchRequest request, Instant now) {
        String name = request.name();
        if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
            throw new InvalidJobException("a batch name must be 1 to " + MAX_NAME + " characters, not "
                    + (name.isBlank() ? "blank" : name.length() + " long"));
        }
        String metaJson;
        try {
            metaJson = JsonCodec.writeValue(request.meta(), "meta");
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("the batch's meta cannot be stored as JSON: " + e.getMessage(), e);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, List<JobRequest>> e : request.callbacks().entrySet()) {
            for (JobRequest cb : e.getValue()) {
                String problem = cb.scheduledAt() != null || cb.scheduleIn() != null ? "a schedule"
                        : cb.hasDependencies() ? "dependencies"
                                : cb.unique() != null ? "unique options"
                                        : cb.partitionKey() != null ? "a partition key"
                                                : null;
                NewJob job = JobRequests.resolve(catalog, cb, now);
                if (problem == null && job.unique()) {
                    problem = "unique options (its worker is @Unique)";
                }
                if (problem != null) {
                    throw new InvalidJobException("the batch's on-" + e.getKey() + " callback of kind '" + job.kind()
                            + "' has " + problem + ": a callback runs once, when the batch finishes, so it takes"
                            + " none");
                }
                rows.add(BatchStore.callbackRow(e.getKey(), job));
            }
        }
        return new Prepared(name, metaJson, JsonCodec.write(rows));
    }

    /** @return how many of the stored requests are new members (a unique conflict answers a job of its own) */
    static int joined(List<JobView> views) {
        int n = 0;
        for (JobView v : views) {
            if (!v.conflict()) {
                n++;
            }
        }
        return n;
    }
}
