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
 */
public record JobError(int attempt, Instant at, String type, String message, String stacktrace) {
}
