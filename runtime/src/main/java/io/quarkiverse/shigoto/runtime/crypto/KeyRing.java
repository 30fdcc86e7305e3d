package io.quarkiverse.shigoto.runtime.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * The encryption keys of {@code quarkus.shigoto.encryption.*}, and the envelope a value is stored in: AES-256-GCM
 * (JDK crypto), a random 96-bit nonce per value, a 128-bit tag, and the key id and the job's kind authenticated as
 * associated data, so a value moved to a job of another kind, or relabelled with another key id, fails to decrypt.
 * <p>
 * New values use the primary key; every configured key decrypts, so a key is rotated by adding a new one, making it
 * primary, and keeping the old one until nothing is encrypted with it.
 * <p>
 * The envelope is a JSON object, so it fits the {@code jsonb} columns as the plain value did:
 * {@code {"$shigoto_encrypted": {"v": 1, "key": "k1", "data": "<base64>", "nonce": "<base64>"}}} (written in the
 * order {@code jsonb} keeps keys in; read in any order). Which column a value was encrypted for ({@link Field}) is
 * authenticated too, so args cannot be swapped with meta.
 * <p>
 * A separate {@linkplain #hash hash key} makes the unique keys of encrypted jobs: an HMAC-SHA256 of the plaintext,
 * which nobody without the key can brute-force from guessed args, and which rotating the encryption keys leaves
 * unchanged.
 */
public final class KeyRing {

    /** The property prefix of the keys. */
    public static final String KEYS = "quarkus.shigoto.encryption.keys";
    /** The property naming the primary key. */
    public static final String PRIMARY = "quarkus.shigoto.encryption.primary";
    /** The property of the key unique keys over encrypted args are hashed with. */
    public static final String HASH_KEY = "quarkus.shigoto.encryption.hash-key";
    /** The field of an envelope. */
    public static final String FIELD = "$shigoto_encrypted";
    /** No keys: nothing can be encrypted or decrypted. */
    public static final KeyRing NONE = new KeyRing(Map.of(), null, null);

    /** The column a value is encrypted for, authenticated with it. */
    public enum Field {
        /** A job's args. */
        ARGS("args"),
        /** The user's part of a job's meta. */
        META("meta"),
        /** A job's result. */
        RESULT("result");

        private final String label;

        Field(String label) {
            this.label = label;
        }
    }

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /**
     * Per thread, since both are dear to get and not thread-safe (a cipher) or serialised behind one lock (the
     * default {@link SecureRandom}): with them shared, encrypting the jobs of one bulk insert cost more than storing
     * them. A cipher is initialised afresh for every value, with that value's nonce.
     */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(KeyRing::newCipher);
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);
    private static final String PREFIX = "{\"" + "$shigoto_encrypted" + "\": {\"v\": 1, \"key\": \"";

    private final Map<String, SecretKey> keys;
    private final String primary;
    private final SecretKey hashKey;

    private KeyRing(Map<String, SecretKey> keys, String primary, SecretKey hashKey) {
        this.keys = keys;
        this.primary = primary;
        this.hashKey = hashKey;
    }

    /**
     * @param base64Keys the keys by id, each 32 bytes in base64
     * @param primary the id of the key new values are encrypted with; may be empty only when there are no keys
     * @throws IllegalArgumentException listing every problem, each naming its property
     */
    public static KeyRing of(Map<String, String> base64Keys, Optional<String> primary) {
        return of(base64Keys, primary, Optional.empty());
    }

    /**
     * @param base64Keys the keys by id, each 32 bytes in base64
     * @param primary the id of the key new values are encrypted with; may be empty only when there are no keys
     * @param hashKey the key of the unique keys over encrypted args, 32 bytes in base64
     * @throws IllegalArgumentException listing every problem, each naming its property
     */
    public static KeyRing of(Map<String, String> base64Keys, Optional<String> primary, Optional<String> hashKey) {
        List<String> problems = new ArrayList<>();
        Map<String, SecretKey> keys = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(base64Keys).entrySet()) {
            String property = KEYS + ".\"" + e.getKey() + "\"";
            if (!KEY_ID.matcher(e.getKey()).matches()) {
                problems.add(property + ": a key id is 1 to 64 letters, digits, '.', '_' or '-'");
                continue;
            }
            byte[] raw = raw(property, e.getValue(), "an AES-256 key", problems);
            if (raw != null) {
                keys.put(e.getKey(), new SecretKeySpec(raw, "AES"));
            }
        }
        SecretKey hash = null;
        if (hashKey.isPresent() && !hashKey.get().isBlank()) {
            byte[] raw = raw(HASH_KEY, hashKey.get(), "the hash key", problems);
            if (raw != null) {
                hash = new SecretKeySpec(raw, "HmacSHA256");
            }
        }
        String chosen = primary.map(String::trim).filter(p -> !p.isEmpty()).orElse(null);
        if (chosen == null && !base64Keys.isEmpty()) {
            problems.add(PRIMARY + " is not set: name the key new values are encrypted with (one of "
                    + new TreeMap<>(base64Keys).keySet() + ")");
        } else if (chosen != null && !base64Keys.containsKey(chosen)) {
            problems.add(PRIMARY + "=" + chosen + " names no key of " + KEYS + " (configured: "
                    + new TreeMap<>(base64Keys).keySet() + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid shigoto encryption configuration: " + String.join("; ", problems));
        }
        return keys.isEmpty() && hash == null ? NONE
                : new KeyRing(Collections.unmodifiableMap(keys), chosen, hash);
    }

    /** @return the 32 bytes of a base64 key, or {@code null} after adding what is wrong with it */
    private static byte[] raw(String property, String base64, String what, List<String> problems) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException ex) {
            problems.add(property + " is not base64 (" + ex.getMessage() + ")");
            return null;
        }
        if (raw.length != 32) {
            problems.add(property + " is " + raw.length + " bytes long; " + what + " is 32 bytes (44 base64"
                    + " characters, such as the output of 'openssl rand -base64 32')");
            return null;
        }
        return raw;
    }

    /** @return whether a hash key is configured, so encrypted jobs can be unique by their args */
    public boolean hashes() {
        return hashKey != null;
    }

    /**
     * @param kind the job's kind, named in the error
     * @param text what the unique key is made of
     * @return the HMAC-SHA256 of the text with the hash key
     * @throws EncryptionException when no hash key is configured
     */
    public byte[] hash(String kind, byte[] text) {
        if (hashKey == null) {
            throw new EncryptionException(null, "jobs of kind '" + kind + "' are encrypted and unique by their args,"
                    + " which needs a keyed hash: set " + HASH_KEY + "=<32 bytes in base64>");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey);
            return mac.doFinal(text);
        } catch (GeneralSecurityException e) {
            throw new EncryptionException(null, "hashing with " + HASH_KEY + " failed: " + e.getMessage());
        }
    }

    /** @return whether keys are configured, so values can be encrypted */
    public boolean configured() {
        return primary != null;
    }

    /** @return the id of the key new values are encrypted with, or {@code null} without keys */
    public String primary() {
        return primary;
    }

    /** @return the ids of the keys that decrypt, sorted */
    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    /**
     * @param kind the job's kind, authenticated with the value
     * @param plaintext the args, as JSON text
     * @return the envelope, as JSON text
     * @throws EncryptionException when no key is configured
     */
    public String encrypt(String kind, String plaintext) {
        return encrypt(Field.ARGS, kind, plaintext);
    }

    /**
     * @param field the column the value is stored in, authenticated with it
     * @param kind the job's kind, authenticated with the value
     * @param plaintext the value, as JSON text
     * @return the envelope, as JSON text
     * @throws EncryptionException when no key is configured
     */
    public String encrypt(Field field, String kind, String plaintext) {
        if (primary == null) {
            throw new EncryptionException(null, "jobs of kind '" + kind + "' are encrypted, but no key is configured:"
                    + " set " + KEYS + ".\"<id>\" and " + PRIMARY);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.get().nextBytes(nonce);
        byte[] data;
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(primary), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(primary, kind, field));
            data = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new EncryptionException(primary, "encrypting with key '" + primary + "' failed: " + e.getMessage());
        }
        Base64.Encoder b64 = Base64.getEncoder();
        return "{\"" + FIELD + "\": {\"v\": 1, \"key\": \"" + primary + "\", \"data\": \"" + b64.encodeToString(data)
                + "\", \"nonce\": \"" + b64.encodeToString(nonce) + "\"}}";
    }

    /**
     * @param kind the job's kind the value was encrypted for
     * @param envelope an envelope of args, as JSON text
     * @return the value, as JSON text
     * @throws EncryptionException naming the key id: a key this node lacks, or a value that fails authentication
     *         (tampered, or encrypted for another kind or key)
     */
    public String decrypt(String kind, String envelope) {
        return open(Field.ARGS, kind, fields(envelope));
    }

    /**
     * @param field the column the value was encrypted for
     * @param kind the job's kind the value was encrypted for
     * @param fields the envelope's fields (the object under {@link #FIELD}), or {@code null} for none
     * @return the value, as JSON text
     * @throws EncryptionException naming the key id: a key this node lacks, or a value that fails authentication
     *         (tampered, or encrypted for another kind, key or column)
     */
    public String open(Field field, String kind, Map<String, Object> fields) {
        if (fields == null || !Integer.valueOf(1).equals(fields.get("v")) || !(fields.get("key") instanceof String)
                || !(fields.get("nonce") instanceof String) || !(fields.get("data") instanceof String)) {
            throw new EncryptionException(null, "the value is not a shigoto encryption envelope (version 1)");
        }
        String keyId = (String) fields.get("key");
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new EncryptionException(keyId, "the value is encrypted with key '" + keyId + "', which this node's "
                    + KEYS + " does not have (it has " + keys.keySet() + ")");
        }
        try {
            byte[] nonce = Base64.getDecoder().decode((String) fields.get("nonce"));
            byte[] data = Base64.getDecoder().decode((String) fields.get("data"));
            if (nonce.length != NONCE_BYTES) {
                throw new EncryptionException(keyId, "the value's nonce is " + nonce.length + " bytes, not "
                        + NONCE_BYTES);
            }
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(keyId, kind, field));
            return new String(cipher.doFinal(data), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new EncryptionException(keyId, "the value fails authentication with key '" + keyId + "': it was"
                    + " changed, or encrypted for another kind than '" + kind + "' or for another column than "
                    + field.label);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new EncryptionException(keyId, "the value cannot be decrypted with key '" + keyId + "': "
                    + e.getMessage());
        }
    }

    /**
     * The meta of an encrypted job: the user's meta encrypted under {@link #FIELD}, beside shigoto's own keys (such as
     * {@code traceparent}), which stay readable for the nodes and tools that need them without a key.
     *
     * @param userMetaJson the user's meta, as JSON text
     * @param plain shigoto's keys, stored as they are
     * @return the meta to store, as JSON text
     */
    public String encryptMeta(String kind, String userMetaJson, Map<String, Object> plain) {
        String sealed = encrypt(Field.META, kind, userMetaJson);
        if (plain.isEmpty()) {
            return sealed;
        }
        return sealed.substring(0, sealed.length() - 1) + ", " + JsonCodec.write(plain).substring(1);
    }

    /**
     * @param metaJson a job's meta as stored
     * @return the meta with its encrypted part decrypted and merged with the plain keys; the text itself when nothing
     *         in it is encrypted
     * @throws EncryptionException as {@link #open}
     */
    public String decryptMeta(String kind, String metaJson) {
        if (!holdsEnvelope(metaJson)) {
            return metaJson;
        }
        Map<String, Object> stored = JsonCodec.readObject(metaJson);
        if (!stored.containsKey(FIELD)) {
            // the field's name deeper inside a plain meta (a nested key, a value): nothing here is encrypted
            return metaJson;
        }
        Object fields = stored.remove(FIELD);
        @SuppressWarnings("unchecked")
        Map<String, Object> envelope = fields instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        Map<String, Object> meta = JsonCodec.readObject(open(Field.META, kind, envelope));
        meta.putAll(stored);
        return JsonCodec.write(meta);
    }

    /**
     * @param stored a job's args or meta as stored
     * @return the value re-encrypted with the primary key; the text itself when it holds no envelope, or one of the
     *         primary key already
     * @throws EncryptionException when the value cannot be decrypted here (a key this node lacks, a tampered value)
     */
    public String reencrypt(Field field, String kind, String stored) {
        if (field != Field.META) {
            // args and results: the whole value is the envelope
            Map<String, Object> envelope = fieldsOf(stored);
            return envelope == null || primary.equals(envelope.get("key")) ? stored
                    : encrypt(field, kind, open(field, kind, envelope));
        }
        if (!holdsEnvelope(stored)) {
            return stored;
        }
        Map<String, Object> outer = JsonCodec.readObject(stored);
        @SuppressWarnings("unchecked")
        Map<String, Object> envelope = outer.remove(FIELD) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        // no envelope at the top (the field's name deeper in a plain meta), or one of the primary already
        if (envelope == null || primary.equals(envelope.get("key"))) {
            return stored;
        }
        return encryptMeta(kind, open(Field.META, kind, envelope), outer);
    }

    /** @return whether some key of the JSON object holds an envelope (a cheap check for its field's name) */
    public static boolean holdsEnvelope(String json) {
        return json != null && json.length() > FIELD.length() && json.contains("\"" + FIELD + "\"");
    }

    /**
     * @return the value as the dashboard and the API show it: an envelope reduced to its key id (never its
     *         ciphertext), every other key as it is
     */
    public static Map<String, Object> shown(Map<String, Object> value) {
        if (!(value.get(FIELD) instanceof Map<?, ?> envelope)) {
            return value;
        }
        Map<String, Object> shown = new java.util.LinkedHashMap<>(value);
        shown.put(FIELD, Map.of("key", String.valueOf(envelope.get("key"))));
        return shown;
    }

    /** @return the fields of an envelope (the object under {@link #FIELD}), or {@code null} when the text is none */
    public static Map<String, Object> fieldsOf(String json) {
        return isEnvelope(json) ? fields(json) : null;
    }

    /** @return whether the JSON text is an envelope (a cheap check of its start) */
    public static boolean isEnvelope(String json) {
        return json != null && json.startsWith("{\"" + FIELD + "\"");
    }

    /** @return the key id of an envelope, or {@code null} when the text is none */
    public static String keyId(String json) {
        Map<String, Object> fields = isEnvelope(json) ? fields(json) : null;
        return fields != null && fields.get("key") instanceof String id ? id : null;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is missing from this JVM", e);
        }
    }

    /** @return the envelope's fields, or {@code null} when the text is no envelope */
    private static Map<String, Object> fields(String json) {
        Map<String, Object> fast = storedFields(json);
        if (fast != null) {
            return fast;
        }
        try {
            Map<String, Object> outer = JsonCodec.readObject(json);
            if (outer.size() != 1 || !(outer.get(FIELD) instanceof Map<?, ?> inner)) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) inner;
            return fields;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * @return the fields of an envelope as this class writes it and {@code jsonb} gives it back (the same text: jsonb
     *         keeps shorter keys first), without a JSON parser; {@code null} for any other text, which the parser
     *         reads instead
     */
    private static Map<String, Object> storedFields(String json) {
        if (json == null || !json.startsWith(PREFIX)) {
            return null;
        }
        int keyEnd = json.indexOf('"', PREFIX.length());
        String dataTag = ", \"data\": \"";
        if (keyEnd < 0 || !json.startsWith(dataTag, keyEnd + 1)) {
            return null;
        }
        int dataStart = keyEnd + 1 + dataTag.length();
        int dataEnd = json.indexOf('"', dataStart);
        String nonceTag = ", \"nonce\": \"";
        if (dataEnd < 0 || !json.startsWith(nonceTag, dataEnd + 1)) {
            return null;
        }
        int nonceStart = dataEnd + 1 + nonceTag.length();
        int nonceEnd = json.indexOf('"', nonceStart);
        if (nonceEnd < 0 || nonceEnd + 3 != json.length() || !json.endsWith("\"}}")) {
            return null;
        }
        String key = json.substring(PREFIX.length(), keyEnd);
        if (key.indexOf('\\') >= 0) {
            return null;
        }
        return Map.of("v", 1, "key", key, "data", json.substring(dataStart, dataEnd), "nonce",
                json.substring(nonceStart, nonceEnd));
    }

    private static byte[] associatedData(String keyId, String kind, Field field) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        byte[] k = kind.getBytes(StandardCharsets.UTF_8);
        byte[] f = field.label.getBytes(StandardCharsets.US_ASCII);
        // length-prefixed, so ("a:b", "c") and ("a", "b:c") never authenticate the same bytes
        return ByteBuffer.allocate(8 + 4 + id.length + 4 + k.length + 4 + f.length)
                .put("shigoto1".getBytes(StandardCharsets.US_ASCII)).putInt(id.length).put(id).putInt(k.length).put(k)
                .putInt(f.length).put(f).array();
    }
}
