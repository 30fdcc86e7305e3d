package io.quarkiverse.shigoto.runtime.dashboard;

import io.quarkiverse.shigoto.WorkflowView;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
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
        @SuppressWarnings("unchecked")
        Object shown = step.result() instanceof java.util.Map<?, ?> m
                ? KeyRing.shown((java.util.Map<String, Object>) m)
                : step.result();
        // an encrypted result is shown as such, with its key id, never its ciphertext
        String result = shown == null ? "" : JsonCodec.write(shown);
        if (result.length() > JobRow.PREVIEW) {
            result = result.substring(0, JobRow.PREVIEW - 1) + "…";
        }
        return new StepRow(step, step.state() == null ? "pruned" : step.state().dbName(),
                String.join(", ", step.after()), result);
    }
}
