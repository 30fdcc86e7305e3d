package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An encrypted worker unique by its args, with encryption keys but no hash key: the start fails naming the property,
 * rather than hashing the plaintext with a bare SHA-256 that guessed args could be checked against.
 */
class EncryptedUniqueWithoutHashKeyTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, Refund.class))
            .overrideConfigKey("quarkus.shigoto.encryption.keys.\"k1\"", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=")
            .overrideConfigKey("quarkus.shigoto.encryption.primary", "k1")
            .assertException(e -> assertThat(StartFailure.message(e, "needs a keyed hash"))
                    .isEqualTo("the workers of kind(s) [refund] are encrypted and @Unique by their args, which needs"
                            + " a keyed hash: set quarkus.shigoto.encryption.hash-key=<32 bytes in base64> (a key of"
                            + " its own, kept when the encryption keys rotate)"));

    @Test
    void startFails() {
        fail("the start must fail");
    }

    @Job(kind = "refund", encrypted = true)
    @Unique(period = "1h")
    public static class Refund implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
