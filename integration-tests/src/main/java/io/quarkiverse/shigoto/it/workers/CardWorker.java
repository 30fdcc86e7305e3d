package io.quarkiverse.shigoto.it.workers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Carries a card number in its args, which its redaction hides, and quotes it in every exception it throws: from
 * {@code perform}, {@code backoff} and {@code onDiscard}. Neither the dashboard nor the log may show it.
 */
@Job(kind = "card-charge")
public class CardWorker implements Worker {

    @Override
    public JobResult perform(Map<String, Object> args) {
        throw new IllegalStateException("card " + args.get("card") + " was declined",
                new IllegalArgumentException("bad card " + args.get("card")));
    }

    @Override
    public Duration backoff(int attempt, JobError error) {
        throw new IllegalStateException("no backoff for " + error.message());
    }

    @Override
    public void onDiscard(Map<String, Object> args, List<JobError> errors) {
        throw new IllegalStateException("could not notify the owner of card " + args.get("card"));
    }

    @Override
    public Map<String, Object> redact(Map<String, Object> args) {
        Map<String, Object> shown = new LinkedHashMap<>(args);
        shown.replace("card", "****");
        return shown;
    }
}
