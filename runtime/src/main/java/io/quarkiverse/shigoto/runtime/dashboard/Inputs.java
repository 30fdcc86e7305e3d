package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Duration;

/**
 * Every number the dashboard's forms and JSON API accept, parsed and bounded in one place: a value out of range or
 * not a whole number is refused with an {@link IllegalArgumentException} naming the parameter, its bounds and what
 * was sent (answered {@code 400} by the API, a refusal message by the forms), never an overflow further down.
 */
final class Inputs {

    /** The longest snooze, in seconds: {@link io.quarkiverse.shigoto.JobResult#MAX_SNOOZE}. */
    static final long MAX_SNOOZE_SECONDS = io.quarkiverse.shigoto.JobResult.MAX_SNOOZE.toSeconds();
    /** The highest concurrency a queue can be scaled to, as {@link io.quarkiverse.shigoto.Shigoto#scaleQueue}. */
    static final int MAX_CONCURRENCY = 10_000;

    private Inputs() {
    }

    /** @return a job id: a whole number from 1 */
    static long id(String text) {
        return bounded("id", text, 1, Long.MAX_VALUE);
    }

    /** @return a snooze delay: 0 to {@link #MAX_SNOOZE_SECONDS} seconds */
    static Duration snooze(String text) {
        return Duration.ofSeconds(bounded("seconds", text, 0, MAX_SNOOZE_SECONDS));
    }

    /** @return a queue's concurrency: 0 to {@link #MAX_CONCURRENCY} */
    static int concurrency(String text) {
        return (int) bounded("concurrency", text, 0, MAX_CONCURRENCY);
    }

    /** @return a job kind as a form names it: a valid kind name ({@link io.quarkiverse.shigoto.Names}) */
    static String kind(String text) {
        String v = text == null ? "" : text.trim();
        String problem = io.quarkiverse.shigoto.Names.problem(v);
        if (problem != null) {
            throw new IllegalArgumentException("kind " + problem);
        }
        return v;
    }

    /**
     * @return a whole number from {@code min} to {@code max}
     * @throws IllegalArgumentException naming the parameter, its bounds and the text when it is missing, not a whole
     *         number or out of bounds
     */
    static long bounded(String name, String text, long min, long max) {
        String v = text == null ? "" : text.trim();
        long value;
        try {
            value = Long.parseLong(v);
        } catch (NumberFormatException e) {
            // digits that overflow a long are out of bounds, not malformed
            if (!v.matches("[-+]?\\d+")) {
                throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
                        + ", was '" + shorten(v) + "'");
            }
            throw outOfBounds(name, v, min, max);
        }
        if (value < min || value > max) {
            throw outOfBounds(name, v, min, max);
        }
        return value;
    }

    private static IllegalArgumentException outOfBounds(String name, String v, long min, long max) {
        return new IllegalArgumentException(name + " must be from " + min + " to " + max + ", was " + shorten(v));
    }

    /** Keeps an echoed value short: a message is no place for a megabyte of digits. */
    private static String shorten(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "…" : v;
    }
}
