package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A worker whose args are to be encrypted, and no key to encrypt them with: the start fails, naming the kind and the
 * properties to set, rather than storing the args in plaintext.
 */
class EncryptedWorkerWithoutKeyTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, ChargeCard.class))
            .assertException(e -> assertThat(StartFailure.message(e, "are @Job(encrypted = true)"))
                    .isEqualTo("the workers of kind(s) [charge-card] are @Job(encrypted = true) or"
                            + " @Job(encryptResult = true), but no encryption key is configured: set quarkus.shigoto.encryption.keys.\"<id>\"=<32 bytes in base64>"
                            + " and quarkus.shigoto.encryption.primary=<id>"));

    @Test
    void startFails() {
        fail("the start must fail");
    }

    @Job(kind = "charge-card", encrypted = true)
    public static class ChargeCard implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
