package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.annotation.PostConstruct;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * A worker whose bean cannot be created (its initialisation fails, as a missing resource would make it): its jobs
 * are claimed, then fail before the worker is reached.
 */
@Job(kind = "unbuildable", maxAttempts = 1)
public class UnbuildableWorker implements Worker {

    @PostConstruct
    void init() {
        throw new IllegalStateException("this worker cannot be built");
    }

    @Override
    public JobResult perform(Map<String, Object> args) {
        return JobResult.ok();
    }
}
