package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Maintenance settings that cannot work stop the start with every problem named.
 */
class MaintenanceConfigProblemsTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .overrideConfigKey("quarkus.shigoto.heartbeat-interval", "10s")
            .overrideConfigKey("quarkus.shigoto.node-timeout", "15s")
            .overrideConfigKey("quarkus.shigoto.prune.batch-size", "0")
            .overrideConfigKey("quarkus.shigoto.prune.archive-retention", "-PT1H")
            .assertException(e -> {
                Throwable t = e;
                while (t.getCause() != null && !t.getMessage().contains("invalid shigoto configuration")) {
                    t = t.getCause();
                }
                assertThat(t.getMessage()).contains("invalid shigoto configuration")
                        .contains("quarkus.shigoto.node-timeout (PT15S) must be at least three heartbeat intervals")
                        .contains("quarkus.shigoto.prune.batch-size must be at least 1, not 0")
                        .contains("quarkus.shigoto.prune.archive-retention must not be negative, not PT-1H");
            });

    @Test
    void startFails() {
        // the assertion is in assertException
    }
}
