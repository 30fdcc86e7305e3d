package io.quarkiverse.shigoto;

/**
 * A step in a job's life, fired as a CDI event on the node where it happened: {@link JobInserted}, {@link JobStarted},
 * {@link JobProgressed}, {@link JobCompleted}, {@link JobFailed}, {@link JobSnoozed}, {@link JobDiscarded},
 * {@link JobCancelled}, and for control actions by request {@link JobRetried}, {@link JobDeleted} (with
 * {@link JobCancelled} and {@link JobSnoozed}, which say {@code byRequest}). Observe one type, or {@code JobEvent} for
 * all:
 *
 * <pre>
 * void on(&#64;Observes JobDiscarded discarded) {
 *     alerts.send("job " + discarded.id() + " gave up: " + discarded.error().message());
 * }
 * </pre>
 * <p>
 * Outcome events fire once the outcome is stored (so a reader sees it in the table), on a shigoto thread; a slow
 * observer delays other observers, never the jobs. With no observer nothing is built. {@link JobProgressed} fires once
 * the progress is stored. A control action's events fire on the node that took the request once its change is
 * committed (after the caller's JTA transaction, never for a rollback). Queue controls fire {@link QueueEvent}s.
 */
public interface JobEvent {

    /** @return the job's id */
    long id();

    /** @return the job's kind */
    String kind();

    /** @return the job's queue */
    String queue();

    /** @return the attempt the event is about */
    int attempt();

    /** @return the node that ran the attempt; for an event of a control action, the node that took the request */
    String node();
}
