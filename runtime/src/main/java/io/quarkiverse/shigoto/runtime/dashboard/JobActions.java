package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;

/**
 * The actions on one job that the forms and the JSON API share, and the refusal when the job's state does not allow
 * one: both answer it alike (the API with {@code 409}, or {@code 404} for a job that does not exist; a form with a
 * refusal message).
 */
final class JobActions {

    /** The states each action changes; every other state refuses it. */
    static final Map<String, List<String>> ALLOWED = Map.of(
            "cancel", List.of("pending", "scheduled", "available", "retryable", "executing"),
            "retry", List.of("retryable", "discarded", "cancelled"),
            "snooze", List.of("pending", "scheduled", "available", "retryable"),
            "delete", List.of("pending", "scheduled", "available", "retryable", "completed", "discarded", "cancelled"));

    private JobActions() {
    }

    /**
     * What an action did to a job.
     *
     * @param action the action
     * @param id the job
     * @param done whether it changed the job
     * @param state the job's state when it was refused, or {@code null} when done or when no job has the id
     */
    record Outcome(String action, long id, boolean done, JobState state) {

        /** @return the HTTP status of the outcome: 200, 404 (no such job) or 409 (its state forbids the action) */
        int status() {
            return done ? 200 : state == null ? 404 : 409;
        }

        /** @return why the action was refused, or {@code null} when it was done */
        String refusal() {
            if (done) {
                return null;
            }
            if (state == null) {
                return "no job has the id " + id;
            }
            return "job " + id + " is " + state.dbName() + "; " + action + " needs a " + states(action) + " job";
        }
    }

    /**
     * @param delay the snooze delay, read only for a snooze
     * @return what happened, or {@code null} for an unknown action
     */
    static Outcome perform(Shigoto shigoto, String action, long id, Supplier<Duration> delay) {
        Boolean done = switch (action) {
            case "cancel" -> shigoto.cancel(id);
            case "retry" -> shigoto.retry(id);
            case "snooze" -> shigoto.snooze(id, delay.get());
            case "delete" -> shigoto.delete(id);
            default -> null;
        };
        if (done == null) {
            return null;
        }
        // the state read after the refusal: the one that refused it, unless the job moved on in between
        JobState state = done ? null : shigoto.job(id).map(JobView::state).orElse(null);
        return new Outcome(action, id, done, state);
    }

    /** @return the states an action changes, in words: "retryable, discarded or cancelled" */
    static String states(String action) {
        List<String> states = ALLOWED.get(action);
        return String.join(", ", states.subList(0, states.size() - 1)) + " or " + states.get(states.size() - 1);
    }
}
