package io.quarkiverse.shigoto;

import java.time.Duration;
import java.util.Objects;

/**
 * What one attempt of a job came to. Create it with the static factories:
 * <ul>
 * <li>{@link #ok()} / {@link #ok(Object)}: completed, optionally storing a JSON result that dependent jobs can read;</li>
 * <li>{@link #error(String)}: failed; retried after {@link JobWorker#backoff(int, JobError) backoff} while attempts
 * remain, then discarded;</li>
 * <li>{@link #snooze(Duration)}: try again later; does <b>not</b> use up an attempt;</li>
 * <li>{@link #cancel(String)}: stop for good without retrying.</li>
 * </ul>
 */
public final class JobResult {

    /** The kind of outcome. */
    public enum Outcome {
        /** The job completed. */
        OK,
        /** The attempt failed. */
        ERROR,
        /** The job asked to run again later without using an attempt. */
        SNOOZE,
        /** The job cancelled itself. */
        CANCEL
    }

    private static final JobResult OK = new JobResult(Outcome.OK, null, null, null);

    private final Outcome outcome;
    private final Object value;
    private final String reason;
    private final Duration snooze;

    private JobResult(Outcome outcome, Object value, String reason, Duration snooze) {
        this.outcome = outcome;
        this.value = value;
        this.reason = reason;
        this.snooze = snooze;
    }

    /** @return a completed outcome without a result */
    public static JobResult ok() {
        return OK;
    }

    /**
     * @param result a JSON-serializable value ({@code Map}, {@code List}, {@code String}, {@code Number},
     *        {@code Boolean}); stored with the job and handed to dependent jobs
     * @return a completed outcome with a stored result
     */
    public static JobResult ok(Object result) {
        return result == null ? OK : new JobResult(Outcome.OK, result, null, null);
    }

    /**
     * @param reason why the attempt failed; recorded in the job's errors
     * @return a failed outcome
     */
    public static JobResult error(String reason) {
        return new JobResult(Outcome.ERROR, null, Objects.requireNonNull(reason, "reason"), null);
    }

    /**
     * @param delay how long to wait before the job runs again; must be positive
     * @return an outcome that reschedules the job without using an attempt
     */
    public static JobResult snooze(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("snooze delay must be positive, was " + delay);
        }
        return new JobResult(Outcome.SNOOZE, null, null, delay);
    }

    /**
     * @param seconds how many seconds to wait before the job runs again; must be positive
     * @return an outcome that reschedules the job without using an attempt
     */
    public static JobResult snooze(long seconds) {
        return snooze(Duration.ofSeconds(seconds));
    }

    /**
     * @param reason why the job stops; recorded in the job's errors
     * @return an outcome that cancels the job without retrying
     */
    public static JobResult cancel(String reason) {
        return new JobResult(Outcome.CANCEL, null, Objects.requireNonNull(reason, "reason"), null);
    }

    /** @return the kind of outcome */
    public Outcome outcome() {
        return outcome;
    }

    /** @return the stored result of an {@link Outcome#OK} outcome, or {@code null} */
    public Object value() {
        return value;
    }

    /** @return the reason of an {@link Outcome#ERROR} or {@link Outcome#CANCEL} outcome, or {@code null} */
    public String reason() {
        return reason;
    }

    /** @return the delay of a {@link Outcome#SNOOZE} outcome, or {@code null} */
    public Duration snoozeDelay() {
        return snooze;
    }

    @Override
    public String toString() {
        switch (outcome) {
            case OK:
                return value == null ? "ok" : "ok(" + value + ")";
            case SNOOZE:
                return "snooze(" + snooze + ")";
            default:
                return outcome.name().toLowerCase() + "(" + reason + ")";
        }
    }
}
