package io.quarkiverse.shigoto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Jobs as named steps that wait for each other, inserted in one transaction:
 *
 * <pre>{@code
 * WorkflowView flow = shigoto.insertWorkflow(Workflow.named("album-42")
 *         .add("fetch", JobRequest.of(FetchAlbum.class, new AlbumArgs(42)))
 *         .add("resize-1", JobRequest.of(Resize.class, new ResizeArgs(1)), Workflow.after("fetch"))
 *         .add("resize-2", JobRequest.of(Resize.class, new ResizeArgs(2)), Workflow.after("fetch"))
 *         .add("publish", JobRequest.of(Publish.class, new AlbumArgs(42)), Workflow.after("resize-1", "resize-2")));
 * }</pre>
 *
 * A step runs once every step it comes {@link #after} completed, and reads their results by step name with
 * {@link JobContext#stepResult(String, Class)}. Steps may be added in any order: the workflow is checked as a whole
 * when inserted, and an unknown step name, a name used twice or a cycle fails the insert with an
 * {@link InvalidWorkflowException} naming the steps, with nothing stored.
 * <p>
 * <b>When a step fails</b> (is discarded or cancelled), what its dependents do is their request's
 * {@link JobRequest#onDependencyFailure(DependencyFailure)}: cancelled too (the default, so the rest of the branch
 * does not run), run anyway ({@link DependencyFailure#RUN}), or held ({@link DependencyFailure#HOLD}) until the failed
 * step is retried and completes.
 * <p>
 * <b>Sub-workflows.</b> {@link #add(String, Workflow, After)} adds a workflow's steps as steps of this one, named
 * {@code "outer/inner"}: its first steps wait for what the sub-workflow comes after, and a step after the sub-workflow
 * waits for all its last steps.
 * <p>
 * A workflow is stored as a sealed batch of its steps, so {@link Shigoto#batch(long)} answers its counters and
 * {@code JobFilter.batch(id)} selects its steps for {@code cancelBy} and {@code retryBy}.
 */
public final class Workflow {

    /** The longest step name. */
    public static final int MAX_STEP_NAME = 200;

    private final String name;
    private final List<Step> steps = new ArrayList<>();
    private Map<String, Object> meta = Map.of();

    private Workflow(String name) {
        this.name = name;
    }

    /** @param name a name for people (the dashboard lists and filters workflows by it); at most 200 characters */
    public static Workflow named(String name) {
        return new Workflow(Objects.requireNonNull(name, "a workflow's name must not be null"));
    }

    /** @return a workflow without a name */
    public static Workflow create() {
        return new Workflow(null);
    }

    /** @return the steps a step comes after */
    public static After after(String... steps) {
        return new After(List.of(steps));
    }

    /** Adds a step that waits for no other step of the workflow. */
    public Workflow add(String step, JobRequest job) {
        return add(step, job, new After(List.of()));
    }

    /** Adds a step that runs once the given steps completed. */
    public Workflow add(String step, JobRequest job, After after) {
        steps.add(new Step(step, Objects.requireNonNull(job, "step '" + step + "' needs a job"), null,
                Objects.requireNonNull(after, "after must not be null").steps()));
        return this;
    }

    /** Adds a sub-workflow's steps, waiting for no other step. */
    public Workflow add(String step, Workflow sub) {
        return add(step, sub, new After(List.of()));
    }

    /** Adds a sub-workflow's steps as steps named {@code step + "/" + its step}, after the given steps. */
    public Workflow add(String step, Workflow sub, After after) {
        if (sub == this) {
            throw new InvalidWorkflowException("a workflow cannot contain itself (step '" + step + "')",
                    List.of(String.valueOf(step)));
        }
        steps.add(new Step(step, null, Objects.requireNonNull(sub, "step '" + step + "' needs a workflow"),
                Objects.requireNonNull(after, "after must not be null").steps()));
        return this;
    }

    /** Metadata kept with the workflow (a JSON object). */
    public Workflow meta(Map<String, ?> meta) {
        this.meta = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(meta, "meta")));
        return this;
    }

    /** @return the name, or {@code null} */
    public String name() {
        return name;
    }

    /** @return the steps as added */
    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    /** @return the metadata */
    public Map<String, Object> meta() {
        return meta;
    }

    /**
     * The steps a step comes after, by name.
     *
     * @param steps step names of the same workflow (a sub-workflow's name stands for all its last steps)
     */
    public record After(List<String> steps) {
        public After {
            Objects.requireNonNull(steps, "after's steps must not be null");
            for (String s : steps) {
                Objects.requireNonNull(s, "a step name in after(...) must not be null");
            }
            steps = List.copyOf(steps);
        }
    }

    /**
     * One step as added: a job, or a sub-workflow.
     *
     * @param name the step's name
     * @param job its job, or {@code null} for a sub-workflow
     * @param workflow the sub-workflow, or {@code null} for a job
     * @param after the steps it comes after
     */
    public record Step(String name, JobRequest job, Workflow workflow, List<String> after) {
    }
}
