package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.runtime.worker.UniqueSpec;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;

/**
 * The Dev UI's worker table shows every option a person needs.
 */
class DevUiRowsTest {

    @Test
    void aRowPerWorkerWithItsOptions() {
        WorkerDefinition plain = new WorkerDefinition("mail", "com.acme.Mail", "mail", 5, 3, 60_000, List.of("email"),
                false, null, List.of(), 0, 0, 0, null, null, null, false, null, false);
        WorkerDefinition busy = new WorkerDefinition("api", "com.acme.Api", "default", 0, 9, 300_000, List.of(), true,
                new UniqueSpec(1, List.of(), 31, 0, 0, 0), List.of("com.acme.Audit"), 4, 100, 60_000, "@daily",
                "Europe/Berlin", null, false, null, false);
        assertThat(DevUiProcessor.rows(List.of(plain, busy))).satisfiesExactly(row -> {
            assertThat(row).containsEntry("kind", "mail").containsEntry("class", "com.acme.Mail")
                    .containsEntry("queue", "mail").containsEntry("priority", 5).containsEntry("maxAttempts", 3)
                    .containsEntry("timeout", "PT1M").containsEntry("tags", "email").containsEntry("options", "");
        }, row -> assertThat(row).containsEntry("options",
                "reactive; unique; concurrency 4; rate 100 per PT1M; cron @daily Europe/Berlin; middleware com.acme.Audit"));
    }
}
