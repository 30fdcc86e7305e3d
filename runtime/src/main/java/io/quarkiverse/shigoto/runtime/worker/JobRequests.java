package io.quarkiverse.shigoto.runtime.worker;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.crypto.EncryptionException;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.store.NewJob;

/**
 * Turns requests into rows: resolves the worker, fills in its defaults, writes the JSON. Everything is checked here,
 * before any SQL runs, so an invalid request stores nothing; only a large batch of plain jobs inserted in a
 * transaction of shigoto's own is resolved while its rows stream in, and rolled back whole at an invalid one.
 */
public final class JobRequests {

    /** The meta key that carries a job's W3C trace context from its insert to its attempts. */
    public static final String TRACEPARENT = "traceparent";

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private JobRequests() {
    }

    /** @return the requests of an {@code insertAll}, which must be a list (its elements are checked by resolve) */
    public static List<JobRequest> requireList(List<JobRequest> requests) {
        if (requests == null) {
            throw new InvalidJobException("job requests must not be null (use an empty list)");
        }
        return requests;
    }

    /** @param traceparent the trace context the insert stores in each job's meta, or {@code null} */
    public static List<NewJob> resolve(WorkerCatalog catalog, List<JobRequest> requests, Instant now,
            String traceparent) {
        List<NewJob> jobs = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            JobRequest r = requests.get(i);
            if (r == null) {
                throw new InvalidJobException("job request #" + i + " is null");
            }
            jobs.add(resolve(catalog, r, now, traceparent));
        }
        return jobs;
    }

    /**
     * @return the kind of each request, and its queue, for the insert's span (before the requests are resolved)
     * @throws io.quarkiverse.shigoto.InvalidJobException when a request names no worker of this application
     */
    public static List<String[]> kindsAndQueues(WorkerCatalog catalog, List<JobRequest> requests) {
        List<String[]> named = new ArrayList<>(requests.size());
        for (JobRequest r : requests) {
            if (r == null) {
                named.add(new String[] { "", "" });
                continue;
            }
            WorkerDefinition w = worker(catalog, r);
            named.add(new String[] { w.kind(), r.queue() != null ? r.queue() : w.queue() });
        }
        return named;
    }

    /**
     * @return whether every request is a plain job, neither unique nor with dependencies: such a batch needs nothing
     *         read or sorted before its rows are written, so they can be resolved as they are stored
     * @throws io.quarkiverse.shigoto.InvalidJobException when a request names no worker of this application
     */
    public static boolean plain(WorkerCatalog catalog, List<JobRequest> requests) {
        for (JobRequest r : requests) {
            if (r == null || r.unique() != null || r.hasDependencies() || worker(catalog, r).unique() != null) {
                return false;
            }
        }
        return true;
    }

    private static WorkerDefinition worker(WorkerCatalog catalog, JobRequest r) {
        return r.workerClass() != null ? catalog.requireClass(r.workerClass()) : catalog.requireKind(r.kind());
    }

    /**
     * @return the row of a request, every default filled in
     * @throws io.quarkiverse.shigoto.InvalidJobException when the request is invalid
     */
    public static NewJob resolve(WorkerCatalog catalog, JobRequest r, Instant now) {
        return resolve(catalog, r, now, null);
    }

    /**
     * @param traceparent the trace context to store in the job's meta (key {@code traceparent}), or {@code null}
     * @return the row of a request, every default filled in
     * @throws io.quarkiverse.shigoto.InvalidJobException when the request is invalid
     */
    public static NewJob resolve(WorkerCatalog catalog, JobRequest r, Instant now, String traceparent) {
        WorkerDefinition w = worker(catalog, r);
        Instant scheduledAt = scheduledAt(r, now, w);
        UniqueSpec unique = r.unique() != null ? UniqueSpec.of(r.unique()) : w.unique();
        if (unique != null && unique.debounce() != null && scheduledAt.isBefore(now.plus(unique.debounce()))) {
            scheduledAt = now.plus(unique.debounce());
        }
        JobState state = scheduledAt.isAfter(now) ? JobState.SCHEDULED : JobState.AVAILABLE;
        String queue = r.queue() != null ? r.queue() : w.queue();
        int priority = r.priority() != null ? r.priority() : w.priority();
        catalog.admission().admit(queue, priority);
        Map<String, Object> args = r.args();
        String argsJson;
        if (r.typedArgs() != null) {
            argsJson = catalog.typedArgs().write(requireArgsType(catalog, w, r.typedArgs()), w.kind());
            // the map the caller's view shows and the unique key's argsKeys pick from: the same JSON, read back
            args = JsonCodec.readObject(argsJson);
        } else {
            argsJson = json(args, "args", w);
        }
        boolean encrypted = w.encrypted() || r.isEncrypted();
        Map<String, Object> meta = r.meta();
        if (!encrypted && (args.containsKey(KeyRing.FIELD) || meta.containsKey(KeyRing.FIELD))) {
            throw reserved(w);
        }
        byte[] key = unique == null ? null : key(catalog, w, unique, queue, args, argsJson, now, encrypted);
        String metaJson = null;
        if (encrypted) {
            String[] sealed = seal(catalog, w, argsJson, meta, traceparent);
            argsJson = sealed[0];
            metaJson = sealed[1];
        }
        if (traceparent != null) {
            meta = new LinkedHashMap<>(meta);
            meta.put(TRACEPARENT, traceparent);
        }
        if (metaJson == null) {
            metaJson = json(meta, "meta", w);
        }
        return new NewJob(w.kind(), queue, priority, args, argsJson,
                meta, metaJson, r.tags() != null ? r.tags() : w.tags(),
                r.maxAttempts() != null ? r.maxAttempts() : w.maxAttempts(), scheduledAt, state, r.partitionKey(),
                catalog.limited(w) ? w.kind() : null, key, unique == null ? 0 : unique.optionsColumn(), r.dependsOn(),
                r.onDependencyFailure());
    }

    private static InvalidJobException reserved(WorkerDefinition w) {
        return new InvalidJobException("job of kind '" + w.kind() + "': the key '" + KeyRing.FIELD + "' is reserved"
                + " for encrypted values; use JobRequest.encrypted() to store the job encrypted");
    }

    /** @return the job's unique key: over encrypted args, keyed with the hash key */
    private static byte[] key(WorkerCatalog catalog, WorkerDefinition w, UniqueSpec unique, String queue,
            Map<String, Object> args, String argsJson, Instant now, boolean encrypted) {
        try {
            return unique.key(w.kind(), queue, args, argsJson, now, encrypted ? catalog.keys() : null);
        } catch (EncryptionException e) {
            throw new InvalidJobException(e.getMessage());
        }
    }

    /**
     * Kept out of {@link #resolve}, which every insert runs: the compiler makes a small method fast sooner.
     *
     * @return the args and the meta as stored encrypted; the meta {@code null} when there is none of the user's (the
     *         trace context alone stays plain)
     */
    private static String[] seal(WorkerCatalog catalog, WorkerDefinition w, String argsJson, Map<String, Object> meta,
            String traceparent) {
        try {
            String args = catalog.keys().encrypt(w.kind(), argsJson);
            String metaJson = meta.isEmpty() ? null
                    // the user's meta only: the trace context stays readable beside it
                    : catalog.keys().encryptMeta(w.kind(), json(meta, "meta", w),
                            traceparent == null ? Map.of() : Map.of(TRACEPARENT, traceparent));
            return new String[] { args, metaJson };
        } catch (EncryptionException e) {
            throw new InvalidJobException(e.getMessage());
        }
    }

    /** @return the typed args, once they are known to be of the type the worker reads */
    private static Object requireArgsType(WorkerCatalog catalog, WorkerDefinition w, Object args) {
        if (!w.typed()) {
            throw new InvalidJobException("job kind '" + w.kind() + "' takes map args (its worker implements Worker or"
                    + " ReactiveWorker), not a " + args.getClass().getName() + ": use JobRequest.args or arg");
        }
        Class<?> type = catalog.argsClass(w);
        if (!type.isInstance(args)) {
            throw new InvalidJobException("args of job kind '" + w.kind() + "' must be a " + type.getName()
                    + ", not a " + args.getClass().getName());
        }
        return args;
    }

    private static Instant scheduledAt(JobRequest r, Instant now, WorkerDefinition w) {
        Instant at;
        try {
            at = r.scheduledAt() != null ? r.scheduledAt() : r.scheduleIn() != null ? now.plus(r.scheduleIn()) : now;
        } catch (ArithmeticException | DateTimeException e) {
            at = Instant.MAX;
        }
        if (at.isAfter(LATEST) || at.isBefore(EARLIEST)) {
            throw new InvalidJobException("job of kind '" + w.kind() + "' is scheduled at " + at
                    + ", outside the years 1 to 9999");
        }
        return at;
    }

    public static Set<String> queues(List<NewJob> jobs) {
        Set<String> queues = new LinkedHashSet<>();
        for (NewJob j : jobs) {
            queues.add(j.queue());
        }
        return queues;
    }

    public static List<JobView> views(List<NewJob> jobs, long[] ids, Instant now) {
        List<JobView> views = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            views.add(view(jobs.get(i), ids[i], now));
        }
        return views;
    }

    /** @return a job just stored with this id, as the insert answers it */
    public static JobView view(NewJob j, long id, Instant now) {
        return new JobView(id, j.kind(), j.queue(), j.state(), j.priority(), j.args(), j.meta(), j.tags(), 0,
                j.maxAttempts(), List.of(), null, j.partitionKey(), now, j.scheduledAt(), null, null, null, null, false);
    }

    private static String json(Map<String, Object> value, String what, WorkerDefinition w) {
        if (value.isEmpty()) {
            return "{}";
        }
        try {
            return JsonCodec.writeValue(value, what);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(what + " of job kind '" + w.kind() + "' cannot be written as JSON: "
                    + e.getMessage(), e);
        }
    }
}
