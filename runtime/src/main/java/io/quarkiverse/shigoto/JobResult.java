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

    /**
     * The longest snooze, from a worker ({@link #snooze(Duration)}), from code ({@link Shigoto#snooze(long, Duration)})
     * or from the dashboard: ten years of 365 days.
     */
    public static final Duration MAX_SNOOZE = Duration.ofDays(3650);

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
     * @param result the job's result, stored with it as JSON and handed to dependent jobs: a JSON value
     *        ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean}), or a record or class of your
     *        own, which the application's {@code ObjectMapper} writes (dependents read it back with
     *        {@link JobContext#dependencyResult(long, Class)}); a result that cannot be written fails the attempt
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
     * @param delay how long to wait before the job runs again: from zero (as soon as the stager sees it) to
     *        {@link #MAX_SNOOZE}, the same range as {@link Shigoto#snooze(long, Duration)} and the dashboard's snooze
     * @return an outcome that reschedules the job without using an attempt
     * @throws IllegalArgumentException when the delay is negative or longer than {@link #MAX_SNOOZE}
     */
    public static JobResult snooze(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        String problem = snoozeProblem(delay);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new JobResult(Outcome.SNOOZE, null, null, delay);
    }

    /**
     * @return what is wrong with a snooze delay, or {@code null} when it is within {@code 0} and {@link #MAX_SNOOZE}
     */
    static String snoozeProblem(Duration delay) {
        if (delay.isNegative()) {
            return "snooze delay must not be negative, was " + delay;
        }
        if (delay.compareTo(MAX_SNOOZE) > 0) {
            return "snooze delay must be at most " + MAX_SNOOZE.toDays() + " days, was " + delay;
        }
        return null;
    }

    /**
     * @param seconds how many seconds to wait before the job runs again, as for {@link #snooze(Duration)}
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
