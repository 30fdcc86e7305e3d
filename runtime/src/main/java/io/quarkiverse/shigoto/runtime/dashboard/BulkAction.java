package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.store.JobSelection;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * The bulk actions on every job a filter matches, and the states each one changes.
 */
final class BulkAction {

    private static final Map<String, List<String>> STATES = Map.of("cancel", JobActions.ALLOWED.get("cancel"),
            "retry", JobActions.ALLOWED.get("retry"), "delete", JobActions.ALLOWED.get("delete"));

    private BulkAction() {
    }

    /** @return the states the action changes, or {@code null} for an unknown action */
    static List<String> states(String action) {
        return action == null ? null : STATES.get(action);
    }

    /**
     * The selection a bulk action applies to: the list's filter without its args text search, which the actions
     * cannot express (they would change more jobs than the list shows).
     *
     * @throws IllegalArgumentException naming what is wrong with the filter
     */
    static JobSelection selection(JobsFilter filter) {
        if (filter.text() != null) {
            throw new IllegalArgumentException("bulk actions cannot use the args text search; filter the args with"
                    + " a JSON object instead");
        }
        return JobsRoute.selection(filter);
    }

    /** @return the public filter of the same jobs, for the client's bulk methods */
    static JobFilter filter(JobsFilter f) {
        selection(f);
        JobFilter filter = JobFilter.all();
        if (f.kind() != null) {
            filter = filter.kinds(f.kind());
        }
        if (f.queue() != null) {
            filter = filter.queues(f.queue());
        }
        if (f.state() != null) {
            filter = filter.states(JobState.fromDb(f.state()));
        }
        if (f.tag() != null) {
            filter = filter.tags(f.tag());
        }
        if (f.partition() != null) {
            filter = filter.partitionKey(f.partition());
        }
        if (f.args() != null) {
            filter = filter.args(JsonCodec.readObject(f.args()));
        }
        Long batch = JobsRoute.batchId(f);
        if (batch != null) {
            filter = filter.batch(batch);
        }
        return filter;
    }
}
