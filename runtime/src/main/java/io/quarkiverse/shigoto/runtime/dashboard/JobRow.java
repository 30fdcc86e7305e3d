package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Duration;
import java.time.Instant;

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

    static JobRow of(JobView job, Instant now) {
        String args = JsonCodec.write(job.args());
        String preview = args.length() > PREVIEW ? args.substring(0, PREVIEW - 1) + "…" : args;
        return new JobRow(job, preview, relative(job.insertedAt(), now), relative(job.scheduledAt(), now));
    }

    /** @return a short, human distance between an instant and now: "12 s ago", "in 3 min" */
    static String relative(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        Duration d = Duration.between(at, now);
        boolean past = !d.isNegative();
        long s = Math.abs(d.getSeconds());
        String amount = s < 1 ? "now"
                : s < 60 ? s + " s"
                        : s < 3600 ? s / 60 + " min"
                                : s < 86_400 ? s / 3600 + " h"
                                        : s / 86_400 + " d";
        if (amount.equals("now")) {
            return amount;
        }
        return past ? amount + " ago" : "in " + amount;
    }
}
