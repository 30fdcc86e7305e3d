package io.quarkiverse.shigoto.it.workers;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Carries a password in its args, which the dashboard must not show. Its queue, {@code signups}, is not run by the
 * test application.
 */
@Job(kind = "signup", queue = "signups")
public class SignupWorker implements Worker {

    @Override
    public JobResult perform(Map<String, Object> args) {
        return JobResult.ok();
    }

    @Override
    public Map<String, Object> redact(Map<String, Object> args) {
        Map<String, Object> shown = new LinkedHashMap<>(args);
        shown.replace("password", "***");
        return shown;
    }
}
