package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Encryption keys that cannot work stop the start, every problem named with its property.
 */
class EncryptionKeyProblemsTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .overrideConfigKey("quarkus.shigoto.encryption.keys.\"short\"", "AAECAwQFBgcICQoLDA0ODw==")
            .overrideConfigKey("quarkus.shigoto.encryption.keys.\"garbled\"", "not base64!")
            .overrideConfigKey("quarkus.shigoto.encryption.primary", "missing")
            .overrideConfigKey("quarkus.shigoto.encryption.hash-key", "AAEC")
            .assertException(e -> assertThat(StartFailure.message(e, "invalid shigoto encryption configuration"))
                    .contains("quarkus.shigoto.encryption.keys.\"short\" is 16 bytes long; an AES-256 key is 32 bytes")
                    .contains("quarkus.shigoto.encryption.keys.\"garbled\" is not base64")
                    .contains("quarkus.shigoto.encryption.primary=missing names no key")
                    .contains("quarkus.shigoto.encryption.hash-key is 3 bytes long"));

    @Test
    void startFails() {
        fail("the start must fail");
    }
}
