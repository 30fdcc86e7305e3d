package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * A job as the dashboard shows it: the stored job plus what the templates should not compute.
 *
 * @param job the job
 * @param argsPreview the args as JSON, cut to a line
 * @param insertedAgo how long ago it was inserted ("3 min ago")
 * @param scheduledIn when it is or was due, relative to now ("in 5 s", "2 h ago")
 */
public record JobRow(JobView job, String argsPreview, String insertedAgo, String scheduledIn) {

    static final int PREVIEW = 80;

    /**
     * One step of a job's life, for its timeline.
     *
     * @param at when it happened (or, for a job not due yet, will)
     * @param kind what kind of step: inserted, due, attempt, error, finished
     * @param text what happened
     */
    public record Step(Instant at, String kind, String text) {
    }

    /**
     * @return the job's life in time order: inserted, each attempt with the node that ran it (when its error entry
     *         recorded it, and always for the latest), each error, when it is due if that is still ahead, and its end
     */
    public List<Step> timeline() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(job.insertedAt(), "inserted", "inserted into queue " + job.queue()));
        for (JobError e : errors()) {
            // the latest attempt's start is told below, from the job's own columns
            if (e.startedAt() != null && !(e.attempt() == job.attempt() && job.attemptedAt() != null)) {
                steps.add(new Step(e.startedAt(), "attempt", "attempt " + e.attempt() + " started" + on(e.node())));
            }
            steps.add(new Step(e.at(), "error", "attempt " + e.attempt() + on(e.node()) + " ended: " + e.type() + ": "
                    + e.message()));
        }
        if (job.attemptedAt() != null && job.attemptedBy() == null) {
            // only a broadcast is attempted by no node: its "attempt" is the fan-out to the nodes
            steps.add(new Step(job.attemptedAt(), "attempt", "fanned out to the live nodes of queue " + job.queue()
                    + (job.attempt() > 1 ? " (fan-out " + job.attempt() + ")" : "")));
        } else if (job.attemptedAt() != null) {
            steps.add(new Step(job.attemptedAt(), "attempt", "attempt " + job.attempt() + " started"
                    + on(job.attemptedBy())));
        }
        if (job.finishedAt() != null) {
            steps.add(new Step(job.finishedAt(), "finished", job.state().dbName()));
        } else if (job.attemptedAt() == null || job.scheduledAt().isAfter(job.attemptedAt())) {
            steps.add(new Step(job.scheduledAt(), "due", job.state().dbName() + ": due"));
        }
        // the database keeps microseconds, an error's time has nanoseconds: an attempt's error and the job's end are one
        // moment, told apart by the order of a job's life
        List<String> order = List.of("inserted", "attempt", "error", "due", "finished");
        steps.sort(java.util.Comparator.comparing((Step st) -> st.at().truncatedTo(java.time.temporal.ChronoUnit.MICROS))
                .thenComparing(st -> order.indexOf(st.kind())));
        return steps;
    }

    private static String on(String node) {
        return node == null ? "" : " on node " + node;
    }

    static JobRow of(JobView job, Instant now) {
        return new JobRow(job, preview(job.args()), relative(job.insertedAt(), now), relative(job.scheduledAt(), now));
    }

    /** @return the args as JSON, cut to {@link #PREVIEW} characters */
    static String preview(Map<String, Object> args) {
        String json = JsonCodec.write(args);
        return json.length() > PREVIEW ? json.substring(0, PREVIEW - 1) + "…" : json;
    }

    /**
     * @return the job's errors as its page shows them: messages and stack traces longer than {@link Excerpt#LIMIT}
     *         cut (the job's full JSON has them whole)
     */
    public List<JobError> errors() {
        List<JobError> shown = new ArrayList<>(job.errors().size());
        for (JobError e : job.errors()) {
            shown.add(new JobError(e.attempt(), e.at(), e.type(), text(e.message()), text(e.stacktrace()), e.node(),
                    e.startedAt()));
        }
        return shown;
    }

    /** @return whether {@link #errors()} cut a message or stack trace */
    public boolean errorsCut() {
        return job.errors().stream().anyMatch(e -> e.message() != null && e.message().length() > Excerpt.LIMIT
                || e.stacktrace() != null && e.stacktrace().length() > Excerpt.LIMIT);
    }

    private static String text(String text) {
        return text == null ? null : Excerpt.of(text).text();
    }

    /** @return a short, human distance between an instant and now: "12 s ago", "in 3 min" */
    static String relative(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        Duration d = Duration.between(at, now);
        boolean past = !d.isNegative();
        long s = Math.abs(d.getSeconds());
        if (s < 1) {
            return "now";
        }
        return past ? amount(s) + " ago" : "in " + amount(s);
    }

    /** @return a whole number of seconds, at least 1, in its largest unit: "12 s", "3 min", "2 h", "4 d" */
    static String amount(long s) {
        return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min" : s < 86_400 ? s / 3600 + " h" : s / 86_400 + " d";
    }
}
