package io.quarkiverse.shigoto.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;

/**
 * Waiting on jobs without sleeping: poll the store until a job reaches a state.
 */
final class Jobs {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    private Jobs() {
    }

    static JobView awaitState(Shigoto shigoto, long id, JobState state) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> shigoto.job(id).orElseThrow(), j -> j.state() == state);
    }
}
