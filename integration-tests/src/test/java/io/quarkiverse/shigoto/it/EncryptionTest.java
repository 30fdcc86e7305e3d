package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.UniqueOptions;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Encryption at rest of an {@code @Job(encrypted = true)} worker's args ({@code SecretWorker}), with the test keys of
 * application.properties: the row holds no plaintext, the worker and its onDiscard get the plaintext, the dashboard
 * and the API show the key id only, an older key still decrypts, and a missing key or a tampered value fails the job
 * naming the key.
 */
@QuarkusTest
class EncryptionTest {

    /** The test keys of application.properties. */
    static final String PRIMARY = "test-2026";
    static final String OLDER = "test-2025";
    static final String OLDER_KEY = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
    static final String HASH_KEY = "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=";

    @Inject
    Shigoto shigoto;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    JobProbe probe;

    @Inject
    NodeHarness runtime;

    static String card() {
        return "4111-" + UUID.randomUUID();
    }

    private String storedArgs(long id) throws Exception {
        return JobRows.strings(dataSource, "SELECT args::text FROM shigoto_jobs WHERE id = ?", id).get(0);
    }

    @Test
    void theRowHoldsCiphertextTheWorkerGetsThePlaintextAndPagesShowOnlyTheKeyId() throws Exception {
        String card = card();
        JobView inserted = shigoto.insert(JobRequest.of("secret-echo").arg("card", card).arg("amount", 42));
        assertThat(inserted.args()).as("the caller's view: what it inserted").containsEntry("card", card);
        String stored = storedArgs(inserted.id());
        assertThat(stored).doesNotContain(card).doesNotContain("amount").contains(KeyRing.FIELD).contains(PRIMARY);

        Jobs.awaitState(shigoto, inserted.id(), JobState.COMPLETED);
        assertThat(probe.seen(inserted.id()).args()).containsEntry("card", card).containsEntry("amount", 42);

        String page = given().get("/shigoto/jobs/" + inserted.id()).then().statusCode(200).extract().asString();
        assertThat(page).doesNotContain(card).contains(PRIMARY);
        String api = given().queryParam("full", "true").get("/shigoto/api/jobs/" + inserted.id()).then()
                .statusCode(200).extract().asString();
        assertThat(api).doesNotContain(card).contains(PRIMARY).doesNotContain("nonce");
    }

    @Test
    void argsEncryptedWithAnOlderKeyStillDecrypt() throws Exception {
        String card = card();
        String envelope = KeyRing.of(Map.of(OLDER, OLDER_KEY), Optional.of(OLDER)).encrypt("secret-echo",
                JsonCodec.write(Map.of("card", card)));
        long id = JobRows.in(dataSource).kind("secret-echo").queue("secrets").argsJson(envelope).insert();
        Jobs.awaitState(shigoto, id, JobState.COMPLETED);
        assertThat(probe.seen(id).args()).containsEntry("card", card);
    }

    @Test
    void aKeyThisNodeLacksOrATamperedValueFailsTheJobNamingTheKey() throws Exception {
        byte[] raw = new byte[32];
        String unknown = KeyRing.of(Map.of("test-1999", Base64.getEncoder().encodeToString(raw)),
                Optional.of("test-1999")).encrypt("secret-echo", "{\"card\": \"x\"}");
        long missing = JobRows.in(dataSource).kind("secret-echo").queue("secrets").argsJson(unknown).maxAttempts(1)
                .insert();
        JobError error = Jobs.awaitState(shigoto, missing, JobState.DISCARDED).errors().get(0);
        assertThat(error.type()).isEqualTo("encryption");
        assertThat(error.message()).contains("encrypted with key 'test-1999', which this node's"
                + " quarkus.shigoto.encryption.keys does not have");
        // counted, so an alert can say a node lacks a key
        await().atMost(Jobs.PATIENCE).untilAsserted(() -> assertThat(given().get("/q/metrics").then().statusCode(200)
                .extract().asString()).containsPattern(
                        "shigoto_encryption_failures_total\\{kind=\"secret-echo\",queue=\"secrets\"} [1-9]"));

        JobView sealed = shigoto.insert(JobRequest.of("secret-echo").arg("card", card()).queue("parked"));
        Map<String, Object> envelope = JsonCodec.readObject(storedArgs(sealed.id()));
        @SuppressWarnings("unchecked")
        String data = (String) ((Map<String, Object>) envelope.get(KeyRing.FIELD)).get("data");
        byte[] bytes = Base64.getDecoder().decode(data);
        bytes[bytes.length / 2] ^= 1;
        JobRows.execute(dataSource, "UPDATE shigoto_jobs SET args = jsonb_set(args, '{" + KeyRing.FIELD + ",data}',"
                + " to_jsonb(?::text)), queue = 'secrets' WHERE id = ?", Base64.getEncoder().encodeToString(bytes),
                sealed.id());
        // a parked job moved into the running queue: the next poll finds it
        JobError tampered = await().atMost(Jobs.PATIENCE).until(() -> shigoto.job(sealed.id()).orElseThrow(),
                j -> j.state() == JobState.DISCARDED).errors().get(0);
        assertThat(tampered.type()).isEqualTo("encryption");
        assertThat(tampered.message()).contains("fails authentication with key '" + PRIMARY + "'");
    }

    @Test
    void aDiscardedJobsOnDiscardGetsItsArgsDecrypted() {
        String card = card();
        JobView job = shigoto.insert(JobRequest.of("secret-echo").arg("card", card).arg("fail", true));
        Jobs.awaitState(shigoto, job.id(), JobState.DISCARDED);
        await().atMost(Jobs.PATIENCE).until(() -> probe.discardedArgs().stream()
                .anyMatch(a -> card.equals(a.get("card"))));
    }

    @Test
    void aPerInsertEncryptedJobOfAPlainWorkerStoresArgsAndMetaEncryptedAndTheWorkerGetsBoth() throws Exception {
        String card = card();
        JobView inserted = shigoto.insert(JobRequest.of("echo").arg("card", card).meta(Map.of("customer", card))
                .encrypted());
        assertThat(inserted.meta()).containsEntry("customer", card);
        String row = JobRows.strings(dataSource, "SELECT args::text || ' ' || meta::text FROM shigoto_jobs WHERE id = ?",
                inserted.id()).get(0);
        assertThat(row).doesNotContain(card).doesNotContain("customer").contains(KeyRing.FIELD).contains(PRIMARY);

        Jobs.awaitState(shigoto, inserted.id(), JobState.COMPLETED);
        assertThat(probe.seen(inserted.id()).args()).containsEntry("card", card);
        assertThat(probe.seen(inserted.id()).meta()).containsEntry("customer", card);
        String api = given().queryParam("full", "true").get("/shigoto/api/jobs/" + inserted.id()).then()
                .statusCode(200).extract().asString();
        assertThat(api).doesNotContain(card).doesNotContain("customer").contains(PRIMARY).doesNotContain("nonce");
    }

    @Test
    void theEncryptedMetaOfAnEncryptedWorkerSitsBesideAPlainTraceContext() throws Exception {
        String card = card();
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        String envelope = KeyRing.of(Map.of(OLDER, OLDER_KEY), Optional.of(OLDER)).encryptMeta("secret-echo",
                JsonCodec.write(Map.of("customer", card)), Map.of("traceparent", traceparent));
        long id = JobRows.in(dataSource).kind("secret-echo").queue("secrets").argsJson(KeyRing.of(Map.of(OLDER,
                OLDER_KEY), Optional.of(OLDER)).encrypt("secret-echo", "{}")).metaJson(envelope).insert();
        assertThat(JobRows.strings(dataSource, "SELECT meta->>'traceparent' FROM shigoto_jobs WHERE id = ?", id))
                .containsExactly(traceparent);
        Jobs.awaitState(shigoto, id, JobState.COMPLETED);
        assertThat(probe.seen(id).meta()).containsEntry("customer", card).containsEntry("traceparent", traceparent);
    }

    @Test
    void theReservedKeyIsRefusedInAPlainJobsArgsAndMeta() {
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of("echo").arg(KeyRing.FIELD, Map.of("v", 1))))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("'" + KeyRing.FIELD + "' is reserved");
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of("echo").meta(Map.of(KeyRing.FIELD, 1))))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("is reserved");
    }

    @Test
    void anEncryptedJobUniqueByItsArgsIsKeyedByAnHmacOfThePlaintextNeverABareHash() throws Exception {
        String card = card();
        UniqueOptions byArgs = UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS);
        JobView first = shigoto.insert(JobRequest.of("echo").arg("card", card).scheduleIn(Duration.ofHours(1))
                .unique(byArgs).encrypted());
        JobView again = shigoto.insert(JobRequest.of("echo").arg("card", card).scheduleIn(Duration.ofHours(1))
                .unique(byArgs).encrypted());
        assertThat(again.conflict()).isTrue();
        assertThat(again.id()).isEqualTo(first.id());

        byte[] text = ("kind=echo\nargs=" + JsonCodec.canonical(JsonCodec.write(Map.of("card", card))) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(HASH_KEY), "HmacSHA256"));
        assertThat(uniqueKey(first.id())).isEqualTo(mac.doFinal(text))
                .isNotEqualTo(MessageDigest.getInstance("SHA-256").digest(text));

        // a plain insert of the same args is hashed without the key: it is no duplicate of the encrypted one
        JobView plain = shigoto.insert(JobRequest.of("echo").arg("card", card).scheduleIn(Duration.ofHours(1))
                .unique(byArgs));
        assertThat(plain.conflict()).isFalse();
        assertThat(uniqueKey(plain.id())).isEqualTo(MessageDigest.getInstance("SHA-256").digest(text));
        shigoto.cancel(first.id());
        shigoto.cancel(plain.id());
    }

    private byte[] uniqueKey(long id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT unique_key FROM shigoto_jobs WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    @Test
    void anEncryptedResultIsStoredSealedAndADependentGetsItDecrypted() throws Exception {
        String token = card();
        // its args encrypted too (per insert), so that nothing shows the token
        JobView secret = shigoto.insert(JobRequest.of("secret-result").arg("token", token).encrypted());
        JobView dependent = shigoto.insert(JobRequest.of("dependent").dependsOn(secret.id()));
        Jobs.awaitState(shigoto, dependent.id(), JobState.COMPLETED);
        String stored = JobRows.strings(dataSource, "SELECT result::text FROM shigoto_jobs WHERE id = ?", secret.id())
                .get(0);
        assertThat(stored).doesNotContain(token).contains(KeyRing.FIELD).contains(PRIMARY);
        assertThat(probe.dependencyResultsOf(dependent.id())).containsEntry(secret.id(), Map.of("token", token));
        String api = given().queryParam("full", "true").get("/shigoto/api/jobs/" + secret.id()).then()
                .statusCode(200).extract().asString();
        assertThat(api).doesNotContain(token).contains(PRIMARY).doesNotContain("nonce");
    }

    @Test
    void anotherNodeWithTheKeysRunsTheJobAndItsWorkerGetsThePlaintext() throws Exception {
        Engine second = runtime.newEngine(runtime.settings("encryption-node-2").withQueues(Map.of("secrets-2", 1)));
        second.start();
        try {
            String card = card();
            JobView job = shigoto.insert(JobRequest.of("secret-echo").arg("card", card).queue("secrets-2")
                    .meta(Map.of("customer", card)));
            Jobs.awaitState(shigoto, job.id(), JobState.COMPLETED);
            assertThat(probe.seen(job.id()).node()).isEqualTo("encryption-node-2");
            assertThat(probe.seen(job.id()).args()).containsEntry("card", card);
            assertThat(probe.seen(job.id()).meta()).containsEntry("customer", card);
            assertThat(JobRows.strings(dataSource, "SELECT args::text || meta::text FROM shigoto_jobs WHERE id = ?",
                    job.id()).get(0)).doesNotContain(card);
        } finally {
            second.stop();
        }
    }

    @Test
    void aFilterOnTheArgsOfAnEncryptedKindIsRefused() {
        assertThatThrownBy(() -> shigoto.jobs(JobFilter.all().kinds("secret-echo").args(Map.of("card", "x")), 0, 10))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("store their args encrypted");
    }
}
