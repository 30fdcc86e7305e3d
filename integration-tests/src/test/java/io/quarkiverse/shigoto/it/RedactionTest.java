package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A worker's redaction also masks the hidden values where its exceptions quote them: in errors and stack traces on
 * the pages and in the API, and in the log lines shigoto writes about its failing callbacks.
 */
@QuarkusTest
class RedactionTest {

    private static final Logger SHIGOTO = Logger.getLogger("io.quarkiverse.shigoto");

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Inject
    Shigoto shigoto;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            StringWriter text = new StringWriter().append(message);
            if (record.getThrown() != null) {
                record.getThrown().printStackTrace(new PrintWriter(text));
            }
            log.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheLog() {
        SHIGOTO.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        SHIGOTO.removeHandler(capture);
    }

    @Test
    void aSecretQuotedByAFailingWorkerIsShownNowhere() {
        String card = "4111-" + System.nanoTime();
        JobView discarded = shigoto.insert(JobRequest.of("card-charge").arg("card", card).maxAttempts(1));
        JobView retried = shigoto.insert(JobRequest.of("card-charge").arg("card", card).maxAttempts(2));
        awaitState(shigoto, discarded.id(), JobState.DISCARDED);
        awaitState(shigoto, retried.id(), JobState.RETRYABLE);
        // the stored errors keep the card: only what is shown or logged is masked
        assertThat(shigoto.job(discarded.id()).orElseThrow().errors().get(0).stacktrace()).contains(card);

        for (JobView job : List.of(discarded, retried)) {
            given().get("/shigoto/jobs/" + job.id()).then().statusCode(200)
                    .body(containsString("card [redacted] was declined")).body(containsString("bad card [redacted]"))
                    .body(not(containsString(card)));
            given().get("/shigoto/api/jobs/" + job.id()).then().statusCode(200)
                    .body(containsString("card [redacted] was declined")).body(not(containsString(card)));
        }
        // list rows carry an args preview and an error count, not the errors themselves
        given().queryParam("kind", "card-charge").get("/shigoto/api/jobs").then().statusCode(200)
                .body(containsString("\"errorCount\":1")).body(not(containsString(card)));
        given().queryParam("kind", "card-charge").get("/shigoto/jobs").then().statusCode(200)
                .body(not(containsString(card)));

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(log).anySatisfy(line -> assertThat(line).contains("onDiscard of job " + discarded.id())
                    .contains("could not notify the owner of card [redacted]"));
            assertThat(log).anySatisfy(line -> assertThat(line).contains("backoff of job kind card-charge failed")
                    .contains("no backoff for card [redacted] was declined"));
        });
        assertThat(log).noneMatch(line -> line.contains(card));
    }

    @Test
    void aJobWhoseResultIsStoredEncryptedStillHasItsPlainArgsRedacted() throws Exception {
        String card = "4111-" + System.nanoTime();
        JobView job = shigoto.insert(JobRequest.of("card-charge").arg("card", card).queue("parked"));
        // as a worker with @Job(encryptResult = true) stores its result: the args stay plain, and redacted
        String sealed = KeyRing.of(java.util.Map.of(EncryptionTest.OLDER, EncryptionTest.OLDER_KEY),
                java.util.Optional.of(EncryptionTest.OLDER)).encrypt(KeyRing.Field.RESULT, "card-charge", "{}");
        JobRows.execute(dataSource, "UPDATE shigoto_jobs SET result = ?::jsonb WHERE id = ?", sealed, job.id());
        given().get("/shigoto/jobs/" + job.id()).then().statusCode(200).body(not(containsString(card)))
                .body(containsString("****")).body(containsString(EncryptionTest.OLDER));
        given().queryParam("full", "true").get("/shigoto/api/jobs/" + job.id()).then().statusCode(200)
                .body(not(containsString(card))).body(not(containsString("nonce")));
        shigoto.delete(job.id());
    }
}
