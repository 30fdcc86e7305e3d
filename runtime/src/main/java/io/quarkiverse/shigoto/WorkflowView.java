package io.quarkiverse.shigoto;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workflow as stored, answered by {@link Shigoto#workflow(long)} and {@link Shigoto#insertWorkflow(Workflow)}.
 *
 * @param id the workflow's id (also its batch's)
 * @param name its name, or {@code null}
 * @param batch its counters, progress and state, as its batch
 * @param steps its steps, parents before children (the order they were inserted in)
 */
public record WorkflowView(long id, String name, BatchView batch, List<Step> steps) {

    /**
     * One step.
     *
     * @param name the step's name ({@code "outer/inner"} for a sub-workflow's step)
     * @param jobId its job
     * @param kind its job's kind
     * @param state its job's state; {@code null} once the job was pruned (an archived job answers its archived state)
     * @param after the steps it comes after
     * @param result what its job returned ({@link JobResult#ok(Object)}) as a JSON value, or {@code null}
     */
    public record Step(String name, long jobId, String kind, JobState state, List<String> after, Object result) {
    }

    /** @return whether every step's job has finished (the workflow's batch is finished) */
    public boolean finished() {
        return batch.state() == BatchState.FINISHED;
    }

    /** @return the step of that name */
    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return the steps by name, in order */
    public Map<String, Step> byName() {
        LinkedHashMap<String, Step> map = new LinkedHashMap<>();
        steps.forEach(s -> map.put(s.name(), s));
        return Collections.unmodifiableMap(map);
    }
}
