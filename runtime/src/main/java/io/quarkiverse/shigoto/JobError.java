package io.quarkiverse.shigoto;

import java.time.Instant;

/**
 * One failure recorded on a job: every failed attempt, timeout, lost node or cancellation appends one.
 *
 * @param attempt the attempt that failed, starting at 1
 * @param at when the failure was recorded
 * @param type the exception class name, or one of {@code error} ({@link JobResult#error(String)}), {@code timeout},
 *        {@code cancelled}, {@code no-worker}, {@code invalid-args}
 * @param message the failure's message
 * @param stacktrace the stack trace of an exception, or {@code null}
 * @param node the node the attempt ran on, or {@code null} when it is not known (entries written by releases before
 *        it was recorded, and entries that end no attempt, such as a cancellation before a job ran)
 * @param startedAt when the attempt started, or {@code null} when it is not known (as for {@code node})
 */
public record JobError(int attempt, Instant at, String type, String message, String stacktrace, String node,
        Instant startedAt) {

    /** An entry whose attempt's node and start are not known (they are added when it is stored). */
    public JobError(int attempt, Instant at, String type, String message, String stacktrace) {
        this(attempt, at, type, message, stacktrace, null, null);
    }
}
