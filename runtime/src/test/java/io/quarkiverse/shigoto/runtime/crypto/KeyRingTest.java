package io.quarkiverse.shigoto.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.runtime.store.JsonCodec;

class KeyRingTest {

    private static String key(int fill) {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) fill);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static final String ARGS = "{\"card\": \"4111 1111 1111 1111\", \"amount\": 42}";

    @Test
    void aValueRoundTripsAndItsEnvelopeHoldsNoPlaintextAndAFreshNonceEachTime() {
        KeyRing ring = KeyRing.of(Map.of("k1", key(1)), Optional.of("k1"));
        String a = ring.encrypt("charge", ARGS);
        String b = ring.encrypt("charge", ARGS);
        assertThat(a).doesNotContain("4111").doesNotContain("amount").isNotEqualTo(b);
        assertThat(KeyRing.isEnvelope(a)).isTrue();
        assertThat(KeyRing.keyId(a)).isEqualTo("k1");
        assertThat(JsonCodec.readObject(a)).containsOnlyKeys(KeyRing.FIELD);
        assertThat(ring.decrypt("charge", a)).isEqualTo(ARGS);
        assertThat(KeyRing.isEnvelope(ARGS)).isFalse();
        assertThat(KeyRing.keyId(ARGS)).isNull();
    }

    @Test
    void anEnvelopeReadBackInAnotherKeyOrderAndSpacingStillDecrypts() {
        KeyRing ring = KeyRing.of(Map.of("k1", key(1)), Optional.of("k1"));
        Map<String, Object> fields = JsonCodec.readObject(ring.encrypt("charge", ARGS));
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) fields.get(KeyRing.FIELD);
        String reordered = "{\"" + KeyRing.FIELD + "\":{\"nonce\":\"" + inner.get("nonce") + "\",\"v\":1,\"data\":\""
                + inner.get("data") + "\",\"key\":\"k1\"}}";
        assertThat(ring.decrypt("charge", reordered)).isEqualTo(ARGS);
    }

    @Test
    void rotationWritesWithThePrimaryAndStillReadsWithTheOldKey() {
        String old = KeyRing.of(Map.of("k1", key(1)), Optional.of("k1")).encrypt("charge", ARGS);
        KeyRing rotated = KeyRing.of(Map.of("k1", key(1), "k2", key(2)), Optional.of("k2"));
        assertThat(KeyRing.keyId(rotated.encrypt("charge", ARGS))).isEqualTo("k2");
        assertThat(rotated.decrypt("charge", old)).isEqualTo(ARGS);
        assertThat(rotated.keyIds()).containsExactly("k1", "k2");
    }

    @Test
    void aMissingKeyATamperedValueOrAnotherKindFailNamingTheKey() {
        KeyRing ring = KeyRing.of(Map.of("k1", key(1)), Optional.of("k1"));
        String sealed = ring.encrypt("charge", ARGS);
        KeyRing other = KeyRing.of(Map.of("k9", key(9)), Optional.of("k9"));
        assertThatThrownBy(() -> other.decrypt("charge", sealed)).isInstanceOfSatisfying(EncryptionException.class,
                e -> assertThat(e.keyId()).isEqualTo("k1")).hasMessageContaining(
                        "encrypted with key 'k1', which this"
                                + " node's quarkus.shigoto.encryption.keys does not have");
        assertThatThrownBy(() -> ring.decrypt("refund", sealed)).isInstanceOf(EncryptionException.class)
                .hasMessageContaining("fails authentication with key 'k1'");
        Map<String, Object> fields = JsonCodec.readObject(sealed);
        @SuppressWarnings("unchecked")
        String data = (String) ((Map<String, Object>) fields.get(KeyRing.FIELD)).get("data");
        byte[] bytes = Base64.getDecoder().decode(data);
        bytes[0] ^= 1;
        String tampered = sealed.replace(data, Base64.getEncoder().encodeToString(bytes));
        assertThatThrownBy(() -> ring.decrypt("charge", tampered)).isInstanceOf(EncryptionException.class)
                .hasMessageContaining("fails authentication with key 'k1'");
        // relabelled with another key id: authenticated too
        KeyRing both = KeyRing.of(Map.of("k1", key(1), "k2", key(1)), Optional.of("k1"));
        assertThatThrownBy(() -> both.decrypt("charge", sealed.replace("\"k1\"", "\"k2\"")))
                .isInstanceOf(EncryptionException.class).hasMessageContaining("fails authentication with key 'k2'");
    }

    @Test
    void badConfigurationIsRefusedNamingEveryProperty() {
        assertThatThrownBy(() -> KeyRing.of(Map.of("short", Base64.getEncoder().encodeToString(new byte[16]),
                "bad", "not base64!", "sp ace", key(3)), Optional.of("missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quarkus.shigoto.encryption.keys.\"short\" is 16 bytes long; an AES-256 key is 32"
                        + " bytes")
                .hasMessageContaining("quarkus.shigoto.encryption.keys.\"bad\" is not base64")
                .hasMessageContaining("quarkus.shigoto.encryption.keys.\"sp ace\": a key id is 1 to 64 letters")
                .hasMessageContaining("quarkus.shigoto.encryption.primary=missing names no key");
        assertThatThrownBy(() -> KeyRing.of(Map.of("k1", key(1)), Optional.empty()))
                .hasMessageContaining("quarkus.shigoto.encryption.primary is not set");
        assertThat(KeyRing.of(Map.of(), Optional.empty()).configured()).isFalse();
        assertThatThrownBy(() -> KeyRing.NONE.encrypt("charge", ARGS)).isInstanceOf(EncryptionException.class)
                .hasMessageContaining("no key is configured");
    }

    @Test
    void metaIsEncryptedBesidePlainKeysAndCannotBeSwappedWithArgs() {
        KeyRing ring = KeyRing.of(Map.of("k1", key(1)), Optional.of("k1"));
        String meta = ring.encryptMeta("charge", "{\"customer\": \"ada\"}", Map.of("traceparent", "00-ab-cd-01"));
        assertThat(meta).doesNotContain("ada").doesNotContain("customer").contains("\"traceparent\":\"00-ab-cd-01\"");
        assertThat(KeyRing.holdsEnvelope(meta)).isTrue();
        assertThat(JsonCodec.readObject(ring.decryptMeta("charge", meta))).containsEntry("customer", "ada")
                .containsEntry("traceparent", "00-ab-cd-01").hasSize(2);
        assertThat(ring.decryptMeta("charge", "{\"customer\": \"ada\"}")).isEqualTo("{\"customer\": \"ada\"}");
        // the field's name deeper in a plain meta is no envelope: the meta is the worker's as it is
        String nested = "{\"note\": {\"$shigoto_encrypted\": 1}}";
        assertThat(KeyRing.holdsEnvelope(nested)).isTrue();
        assertThat(ring.decryptMeta("charge", nested)).isEqualTo(nested);
        assertThat(ring.reencrypt(KeyRing.Field.META, "charge", nested)).isEqualTo(nested);
        assertThat(KeyRing.shown(JsonCodec.readObject(meta))).containsEntry("traceparent", "00-ab-cd-01")
                .containsEntry(KeyRing.FIELD, Map.of("key", "k1"));

        // an args envelope moved into meta (or back) fails authentication: the column is authenticated too
        String args = ring.encrypt("charge", ARGS);
        assertThatThrownBy(() -> ring.decryptMeta("charge", args)).isInstanceOf(EncryptionException.class)
                .hasMessageContaining("for another column than meta");
        String metaOnly = ring.encryptMeta("charge", ARGS, Map.of());
        assertThatThrownBy(() -> ring.decrypt("charge", metaOnly)).isInstanceOf(EncryptionException.class)
                .hasMessageContaining("for another column than args");
    }

    @Test
    void theHashOfUniqueKeysIsKeyedAndStaysTheSameWhenTheEncryptionKeysRotate() throws Exception {
        byte[] text = "kind=charge\nargs={\"card\":\"4111\"}\n".getBytes(StandardCharsets.UTF_8);
        KeyRing before = KeyRing.of(Map.of("k1", key(1)), Optional.of("k1"), Optional.of(key(7)));
        KeyRing after = KeyRing.of(Map.of("k1", key(1), "k2", key(2)), Optional.of("k2"), Optional.of(key(7)));
        KeyRing otherHashKey = KeyRing.of(Map.of("k1", key(1)), Optional.of("k1"), Optional.of(key(8)));
        assertThat(before.hash("charge", text)).hasSize(32).isEqualTo(after.hash("charge", text))
                .isNotEqualTo(otherHashKey.hash("charge", text))
                .isNotEqualTo(MessageDigest.getInstance("SHA-256").digest(text));
        KeyRing noHash = KeyRing.of(Map.of("k1", key(1)), Optional.of("k1"));
        assertThat(noHash.hashes()).isFalse();
        assertThatThrownBy(() -> noHash.hash("charge", text)).isInstanceOf(EncryptionException.class)
                .hasMessageContaining("set quarkus.shigoto.encryption.hash-key");
        assertThatThrownBy(() -> KeyRing.of(Map.of(), Optional.empty(), Optional.of("ab!c")))
                .hasMessageContaining("quarkus.shigoto.encryption.hash-key is not base64");
        assertThatThrownBy(() -> KeyRing.of(Map.of(), Optional.empty(), Optional.of("AAEC")))
                .hasMessageContaining("quarkus.shigoto.encryption.hash-key is 3 bytes long; the hash key is 32 bytes");
    }
}
