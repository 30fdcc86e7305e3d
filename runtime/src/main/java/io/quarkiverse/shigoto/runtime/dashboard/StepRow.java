package io.quarkiverse.shigoto.runtime.dashboard;

import io.quarkiverse.shigoto.WorkflowView;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * A workflow step as its workflow's page lists it.
 *
 * @param step the step
 * @param state its job's state name, or {@code pruned}
 * @param after the steps it comes after, joined
 * @param result a preview of its result, or empty
 */
public record StepRow(WorkflowView.Step step, String state, String after, String result) {

    static StepRow of(WorkflowView.Step step) {
        String result = step.result() == null ? "" : JsonCodec.write(step.result());
        if (result.length() > JobRow.PREVIEW) {
            result = result.substring(0, JobRow.PREVIEW - 1) + "…";
        }
        return new StepRow(step, step.state() == null ? "pruned" : step.state().dbName(),
                String.join(", ", step.after()), result);
    }
}
