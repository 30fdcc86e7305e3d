package io.quarkiverse.shigoto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A group of jobs inserted as one batch, with callback jobs that run once the batch is over:
 *
 * <pre>{@code
 * BatchView batch = shigoto.insertBatch(BatchRequest.of(images.stream()
 *         .map(i -> JobRequest.of(ResizeImage.class, new ResizeArgs(i))).toList())
 *         .name("import-42")
 *         .onCompleted(JobRequest.of(PublishAlbum.class, new AlbumArgs(42)))
 *         .onDiscarded(JobRequest.of(NotifyFailure.class, new AlbumArgs(42))));
 * }</pre>
 *
 * <b>Callbacks</b> are ordinary jobs, given as requests and checked like any insert when the batch is inserted. When
 * every member has finished, the transaction that stores the last member's outcome inserts, exactly once:
 * <ul>
 * <li>{@link #onCompleted} when every member completed;</li>
 * <li>{@link #onDiscarded} (alias {@link #onExhausted}) when at least one member was discarded;</li>
 * <li>{@link #onCancelled} when at least one member was cancelled, or deleted before it finished;</li>
 * <li>{@link #onFinished} always.</li>
 * </ul>
 * Each callback's meta names its batch ({@code "batch": id}) and why it runs ({@code "batchCallback":
 * "completed"}), so its worker can read the batch with {@link Shigoto#batch(long)}.
 * <p>
 * <b>Sealed or open.</b> By default the batch is sealed when inserted: it has exactly the members given here. An
 * {@link #open()} batch takes more members with {@link Shigoto#addToBatch(long, List)} until
 * {@link Shigoto#sealBatch(long)} seals it; it never finishes before it is sealed, so its callbacks cannot run while
 * members are still being added.
 */
public final class BatchRequest {

    private final List<JobRequest> jobs = new ArrayList<>();
    private final Map<String, List<JobRequest>> callbacks = new LinkedHashMap<>();
    private String name;
    private Map<String, Object> meta = Map.of();
    private boolean sealed = true;

    private BatchRequest() {
    }

    /** @return a batch of these jobs */
    public static BatchRequest of(JobRequest... jobs) {
        return of(List.of(jobs));
    }

    /** @return a batch of these jobs */
    public static BatchRequest of(List<JobRequest> jobs) {
        BatchRequest batch = new BatchRequest();
        batch.addAll(jobs);
        return batch;
    }

    /** Adds a member. */
    public BatchRequest add(JobRequest job) {
        jobs.add(Objects.requireNonNull(job, "a batch member must not be null"));
        return this;
    }

    /** Adds members. */
    public BatchRequest addAll(List<JobRequest> members) {
        Objects.requireNonNull(members, "a batch's members must not be null").forEach(this::add);
        return this;
    }

    /** A name for people (the dashboard lists and filters batches by it); not unique. At most 200 characters. */
    public BatchRequest name(String name) {
        this.name = name;
        return this;
    }

    /** Metadata kept with the batch (a JSON object). */
    public BatchRequest meta(Map<String, ?> meta) {
        this.meta = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(meta, "meta")));
        return this;
    }

    /** Leaves the batch open: more members may join until {@link Shigoto#sealBatch(long)}. */
    public BatchRequest open() {
        this.sealed = false;
        return this;
    }

    /** A job inserted when every member completed. */
    public BatchRequest onCompleted(JobRequest callback) {
        return callback("completed", callback);
    }

    /** A job inserted when every member finished and at least one was discarded. */
    public BatchRequest onDiscarded(JobRequest callback) {
        return callback("discarded", callback);
    }

    /** Another name of {@link #onDiscarded}: the discarded members exhausted their attempts, or were told to stop. */
    public BatchRequest onExhausted(JobRequest callback) {
        return onDiscarded(callback);
    }

    /** A job inserted when every member finished and at least one was cancelled, or deleted before it finished. */
    public BatchRequest onCancelled(JobRequest callback) {
        return callback("cancelled", callback);
    }

    /** A job inserted when every member finished, whatever their outcome. */
    public BatchRequest onFinished(JobRequest callback) {
        return callback("finished", callback);
    }

    private BatchRequest callback(String on, JobRequest callback) {
        callbacks.computeIfAbsent(on, k -> new ArrayList<>())
                .add(Objects.requireNonNull(callback, "a callback must not be null"));
        return this;
    }

    /** @return the members, in order */
    public List<JobRequest> jobs() {
        return Collections.unmodifiableList(jobs);
    }

    /** @return the callbacks by the outcome they wait for ({@code completed}, {@code discarded}, ...) */
    public Map<String, List<JobRequest>> callbacks() {
        return Collections.unmodifiableMap(callbacks);
    }

    /** @return the name, or {@code null} */
    public String name() {
        return name;
    }

    /** @return the metadata */
    public Map<String, Object> meta() {
        return meta;
    }

    /** @return whether the batch is sealed when inserted */
    public boolean sealed() {
        return sealed;
    }
}
