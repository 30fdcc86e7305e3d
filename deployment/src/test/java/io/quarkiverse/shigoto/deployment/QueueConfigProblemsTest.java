package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Queue and engine settings that cannot work stop the start, every problem named with its property and value, in one
 * failure together with the maintenance settings' problems.
 */
class QueueConfigProblemsTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .overrideConfigKey("quarkus.shigoto.queues.q.concurrency", "-1")
            .overrideConfigKey("quarkus.shigoto.queues.huge.concurrency", "10001")
            .overrideConfigKey("quarkus.shigoto.poll-interval", "-1s")
            .overrideConfigKey("quarkus.shigoto.completer-batch-size", "0")
            .overrideConfigKey("quarkus.shigoto.shutdown-timeout", "-1s")
            .overrideConfigKey("quarkus.shigoto.prune.batch-size", "0")
            .overrideConfigKey("quarkus.shigoto.queues.everywhere.broadcast", "true")
            .overrideConfigKey("quarkus.shigoto.queues.everywhere.fair", "true")
            .overrideConfigKey("quarkus.shigoto.queues.everywhere.shedding.enabled", "true")
            .assertException(e -> {
                assertThat(StartFailure.message(e, "invalid shigoto configuration"))
                        .contains("invalid shigoto configuration")
                        .contains("quarkus.shigoto.queues.\"q\".concurrency must be between 0 and 10000 (0: this node"
                                + " does not run the queue), not -1")
                        .contains("quarkus.shigoto.queues.\"huge\".concurrency must be between 0 and 10000")
                        .contains("not 10001")
                        .contains("quarkus.shigoto.poll-interval must not be negative, not PT-1S")
                        .contains("quarkus.shigoto.completer-batch-size must be at least 1, not 0")
                        .contains("quarkus.shigoto.shutdown-timeout must not be negative, not PT-1S")
                        .contains("quarkus.shigoto.prune.batch-size must be at least 1, not 0")
                        .contains("quarkus.shigoto.queues.\"everywhere\".broadcast and"
                                + " quarkus.shigoto.queues.\"everywhere\".fair cannot both be true")
                        .contains("quarkus.shigoto.queues.\"everywhere\".broadcast and"
                                + " quarkus.shigoto.queues.\"everywhere\".shedding.enabled cannot both be true");
            });

    @Test
    void startFails() {
        // the assertion is in assertException
    }
}
