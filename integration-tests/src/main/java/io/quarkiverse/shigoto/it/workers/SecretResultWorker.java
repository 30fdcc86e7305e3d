package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Returns a secret, stored encrypted, for the encryption tests: its result is the token its args name, as a map.
 */
@Job(kind = "secret-result", queue = "secrets", maxAttempts = 1, encryptResult = true)
public class SecretResultWorker implements Worker {

    @Override
    public JobResult perform(Map<String, Object> args) {
        return JobResult.ok(Map.of("token", args.get("token")));
    }
}
