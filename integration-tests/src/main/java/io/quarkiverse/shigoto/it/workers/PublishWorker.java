package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/** Depends on thumbnail jobs and reads their results as {@link Thumbnail}s. */
@Job(kind = "publish", maxAttempts = 1)
public class PublishWorker implements Worker {

    @Inject
    JobContext job;

    @Override
    public JobResult perform(Map<String, Object> args) {
        StringBuilder published = new StringBuilder();
        for (long parent : job.dependencyResults().keySet()) {
            Thumbnail thumbnail = job.dependencyResult(parent, Thumbnail.class);
            published.append(thumbnail.url()).append(" (").append(thumbnail.width()).append(" px)");
        }
        return JobResult.ok(published.toString());
    }
}
