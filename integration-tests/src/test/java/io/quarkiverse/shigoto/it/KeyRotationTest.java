package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.Reencryption;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Key rotation: {@link Shigoto#reencrypt()} moves jobs encrypted with an older key (in every state) to the primary,
 * keeps shigoto's plain meta keys plain, leaves what this node cannot decrypt and what another transaction holds
 * (without waiting for it), and a second run finishes what the first left. The jobs sit in a queue no node runs.
 */
@QuarkusTest
class KeyRotationTest {

    private static final String QUEUE = "rotation-parked";
    private static final String PRIMARY_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    /** What the app reads with after the run: the primary key only, so the older one is no longer needed. */
    private static final KeyRing PRIMARY_ONLY = KeyRing.of(Map.of(EncryptionTest.PRIMARY, PRIMARY_KEY),
            Optional.of(EncryptionTest.PRIMARY));
    private static final KeyRing OLDER = KeyRing.of(Map.of(EncryptionTest.OLDER, EncryptionTest.OLDER_KEY),
            Optional.of(EncryptionTest.OLDER));

    @Inject
    Shigoto shigoto;

    @Inject
    AgroalDataSource dataSource;

    /** Sets a parked job's state with the columns that state has. */
    private void state(long id, String state) throws Exception {
        JobRows.execute(dataSource, "UPDATE shigoto_jobs SET state = ?::shigoto_job_state,"
                + " attempt = CASE WHEN ? IN ('pending', 'scheduled', 'available') THEN 0 ELSE 1 END,"
                + " attempted_at = CASE WHEN ? IN ('pending', 'scheduled', 'available') THEN NULL ELSE now() END,"
                + " attempted_by = CASE WHEN ? = 'executing' THEN 'rotation-ghost' END,"
                + " scheduled_at = CASE WHEN ? IN ('scheduled', 'retryable') THEN now() + interval '1 day'"
                + "   ELSE scheduled_at END,"
                + " finished_at = CASE WHEN ? IN ('completed', 'discarded', 'cancelled') THEN now() END"
                + " WHERE id = ?", state, state, state, state, state, state, id);
    }

    private String[] stored(long id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT args::text, meta::text FROM shigoto_jobs WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("job %d exists", id).isTrue();
                return new String[] { rs.getString(1), rs.getString(2) };
            }
        }
    }

    @Test
    void jobsInEveryStateMoveToThePrimaryKeyAndWhatCannotBeDecryptedIsLeftAndNamed() throws Exception {
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        Map<Long, String> secrets = new LinkedHashMap<>();
        for (String state : new String[] { "pending", "scheduled", "available", "executing", "retryable", "completed",
                "discarded", "cancelled" }) {
            String secret = state + "-" + UUID.randomUUID();
            long id = JobRows.in(dataSource).kind("secret-echo").queue(QUEUE)
                    .argsJson(OLDER.encrypt("secret-echo", JsonCodec.write(Map.of("card", secret))))
                    .metaJson(OLDER.encryptMeta("secret-echo", JsonCodec.write(Map.of("customer", secret)),
                            Map.of("traceparent", traceparent)))
                    .insert();
            state(id, state);
            secrets.put(id, secret);
        }
        byte[] raw = new byte[32];
        String unknownKey = KeyRing.of(Map.of("test-1999", Base64.getEncoder().encodeToString(raw)),
                Optional.of("test-1999")).encrypt("secret-echo", "{\"card\": \"x\"}");
        long undecryptable = JobRows.in(dataSource).kind("secret-echo").queue(QUEUE).argsJson(unknownKey).insert();
        long plain = JobRows.in(dataSource).kind("echo").queue(QUEUE).argsJson("{\"n\": 1}").insert();
        long withResult = JobRows.in(dataSource).kind("secret-result").queue(QUEUE).insert();
        state(withResult, "completed");
        JobRows.execute(dataSource, "UPDATE shigoto_jobs SET result = ?::jsonb WHERE id = ?",
                OLDER.encrypt(KeyRing.Field.RESULT, "secret-result", "{\"token\": \"r\"}"), withResult);
        long alreadyPrimary = JobRows.in(dataSource).kind("secret-echo").queue(QUEUE)
                .argsJson(PRIMARY_ONLY.encrypt("secret-echo", "{\"card\": \"p\"}")).insert();
        String alreadyPrimaryArgs = stored(alreadyPrimary)[0];
        // a job the pruner archived (prune.mode=archive) keeps its key there until re-encrypted too
        long archived = JobRows.single(dataSource, "INSERT INTO shigoto_jobs_archive (id, kind, queue, args, state,"
                + " finished_at) VALUES (nextval(pg_get_serial_sequence('shigoto_jobs', 'id')), 'secret-echo', ?,"
                + " ?::jsonb, 'completed', now()) RETURNING id", QUEUE,
                OLDER.encrypt("secret-echo", "{\"card\": \"archived\"}"));

        Reencryption run = shigoto.reencrypt();

        assertThat(run.primary()).isEqualTo(EncryptionTest.PRIMARY);
        assertThat(run.reencrypted()).isGreaterThanOrEqualTo(secrets.size());
        assertThat(run.failedIds()).contains(undecryptable);
        assertThat(run.complete()).isFalse();
        for (Map.Entry<Long, String> e : secrets.entrySet()) {
            String[] now = stored(e.getKey());
            assertThat(KeyRing.keyId(now[0])).as("job %d's args", e.getKey()).isEqualTo(EncryptionTest.PRIMARY);
            assertThat(now[0] + now[1]).doesNotContain(e.getValue()).doesNotContain(EncryptionTest.OLDER);
            assertThat(JsonCodec.readObject(PRIMARY_ONLY.decrypt("secret-echo", now[0])))
                    .containsEntry("card", e.getValue());
            assertThat(JsonCodec.readObject(now[1])).containsEntry("traceparent", traceparent);
            assertThat(JsonCodec.readObject(PRIMARY_ONLY.decryptMeta("secret-echo", now[1])))
                    .containsEntry("customer", e.getValue()).containsEntry("traceparent", traceparent);
        }
        assertThat(KeyRing.keyId(stored(undecryptable)[0])).isEqualTo("test-1999");
        assertThat(stored(plain)[0]).isEqualTo("{\"n\": 1}");
        String archivedArgs = JobRows.strings(dataSource, "SELECT args::text FROM shigoto_jobs_archive WHERE id = ?",
                archived).get(0);
        assertThat(KeyRing.keyId(archivedArgs)).as("the archive too").isEqualTo(EncryptionTest.PRIMARY);
        assertThat(PRIMARY_ONLY.decrypt("secret-echo", archivedArgs)).isEqualTo("{\"card\": \"archived\"}");
        String result = JobRows.strings(dataSource, "SELECT result::text FROM shigoto_jobs WHERE id = ?", withResult)
                .get(0);
        assertThat(KeyRing.keyId(result)).as("a result moves too").isEqualTo(EncryptionTest.PRIMARY);
        assertThat(PRIMARY_ONLY.open(KeyRing.Field.RESULT, "secret-result", KeyRing.fieldsOf(result)))
                .isEqualTo("{\"token\": \"r\"}");
        assertThat(stored(alreadyPrimary)[0]).as("a job on the primary already is not rewritten")
                .isEqualTo(alreadyPrimaryArgs);

        // nothing of these jobs is left for a second run
        Reencryption again = shigoto.reencrypt();
        assertThat(again.failedIds()).contains(undecryptable);
        for (long id : secrets.keySet()) {
            assertThat(KeyRing.keyId(stored(id)[0])).isEqualTo(EncryptionTest.PRIMARY);
        }
    }

    @Test
    void aJobHeldByAnotherTransactionIsSkippedNotWaitedForAndTheNextRunFinishesIt() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(JobRows.in(dataSource).kind("secret-echo").queue(QUEUE)
                    .argsJson(OLDER.encrypt("secret-echo", "{\"card\": \"held-" + i + "\"}")).insert());
        }
        long held = ids.get(1);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM shigoto_jobs WHERE id = ? FOR UPDATE")) {
                st.setLong(1, held);
                st.executeQuery().close();
            }
            Reencryption run = shigoto.reencrypt();
            assertThat(run.locked()).isGreaterThanOrEqualTo(1);
            c.rollback();
        }
        assertThat(KeyRing.keyId(stored(held)[0])).isEqualTo(EncryptionTest.OLDER);
        assertThat(KeyRing.keyId(stored(ids.get(0))[0])).isEqualTo(EncryptionTest.PRIMARY);
        assertThat(KeyRing.keyId(stored(ids.get(2))[0])).isEqualTo(EncryptionTest.PRIMARY);

        shigoto.reencrypt();
        assertThat(KeyRing.keyId(stored(held)[0])).isEqualTo(EncryptionTest.PRIMARY);
    }

    @Test
    void theDashboardShowsTheKeysStartsARunAndShowsWhatItDid() throws Exception {
        long id = JobRows.in(dataSource).kind("secret-echo").queue(QUEUE)
                .argsJson(OLDER.encrypt("secret-echo", "{\"card\": \"dash\"}")).insert();
        String page = given().get("/shigoto/encryption").then().statusCode(200).extract().asString();
        assertThat(page).contains("data-key=\"test-2025\"").contains("data-key=\"test-2026\"")
                .contains("Re-encrypt with test-2026").doesNotContain(PRIMARY_KEY)
                .doesNotContain(EncryptionTest.OLDER_KEY);
        DashboardActionsTest.Session s = DashboardActionsTest.open("/shigoto/encryption");
        given().redirects().follow(false).cookie("shigoto-csrf", s.cookie()).formParam("_csrf", s.token())
                .formParam("return", "/shigoto/encryption").post("/shigoto/actions/reencrypt").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.containsString("Re-encryption+started"));
        String done = await().atMost(Jobs.PATIENCE).until(() -> given().get("/shigoto/encryption").then()
                .statusCode(200).extract().asString(), p -> p.contains("data-run=\"done\""));
        assertThat(done).contains("data-reencrypted");
        assertThat(KeyRing.keyId(stored(id)[0])).isEqualTo(EncryptionTest.PRIMARY);

        // without the CSRF token: refused
        given().redirects().follow(false).formParam("return", "/shigoto/encryption")
                .post("/shigoto/actions/reencrypt").then().statusCode(403);
    }
}
