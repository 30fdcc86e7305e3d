package io.quarkiverse.shigoto;

import java.util.Locale;

/**
 * The states of a job. See {@code docs/states.md} for the state machine.
 */
public enum JobState {
    /** Waiting for its dependencies to complete. */
    PENDING,
    /** Inserted to run at a future time. */
    SCHEDULED,
    /** Ready to be claimed. */
    AVAILABLE,
    /** Claimed by a node and running. */
    EXECUTING,
    /** Failed with attempts left; becomes available again after its backoff. */
    RETRYABLE,
    /** Finished successfully. */
    COMPLETED,
    /** Failed its last attempt; will not run again unless retried. */
    DISCARDED,
    /** Cancelled by a user or by itself; will not run again unless retried. */
    CANCELLED;

    private final String dbName = name().toLowerCase(Locale.ROOT);

    /** @return the name stored in the database, in lower case */
    public String dbName() {
        return dbName;
    }

    /** @return whether the job is finished for good (completed, discarded or cancelled) */
    public boolean isFinal() {
        return this == COMPLETED || this == DISCARDED || this == CANCELLED;
    }

    /**
     * @param dbName a state as stored in the database
     * @return the state
     * @throws IllegalArgumentException for an unknown name
     */
    public static JobState fromDb(String dbName) {
        return valueOf(dbName.toUpperCase(Locale.ROOT));
    }
}
