package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusDevModeTest;

/**
 * The Dev UI card's actions, called the way its pages call them: JSON-RPC over the Dev UI's WebSocket, on an
 * application in dev mode (on the Dev Service's embedded PostgreSQL, so only where no container runtime is).
 */
@EnabledIf(value = "io.quarkiverse.shigoto.deployment.NoContainerRuntime#here", disabledReason = "a container runtime"
        + " is here: the datasource would be a container, which this test does not start")
class DevUiActionsTest {

    static final int PORT = EmbeddedDatabase.freePort();
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final QuarkusDevModeTest dev = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(Ok.class, Fails.class)
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.http.port=" + PORT,
                            "quarkus.shigoto.queues.devui.concurrency=2",
                            "quarkus.shigoto.cron.devui-nightly.schedule=0 3 * * *",
                            "quarkus.shigoto.cron.devui-nightly.kind=devui-ok",
                            "quarkus.shigoto.cron.devui-nightly.args={\"from\": \"cron\"}")), "application.properties"));

    @Test
    void everyActionAnswersAndActs() throws Exception {
        try (Rpc rpc = new Rpc()) {
            assertThat(rpc.call("kinds", Map.of())).extracting(JsonNode::asText).contains("devui-ok", "devui-fails");

            // queues: pause and resume
            assertThat(queue(rpc, "devui").get("paused").asBoolean()).isFalse();
            assertThat(rpc.call("pauseQueue", Map.of("queue", "devui")).get("ok").asBoolean()).isTrue();
            assertThat(queue(rpc, "devui").get("paused").asBoolean()).isTrue();
            assertThat(rpc.call("resumeQueue", Map.of("queue", "devui")).get("message").asText())
                    .isEqualTo("queue 'devui' resumed");
            assertThat(queue(rpc, "devui").get("paused").asBoolean()).isFalse();
            assertThat(rpc.call("pauseQueue", Map.of("queue", "")).get("error").asText()).isEqualTo("a queue is needed");

            // the insert form: validated as an insert is
            assertThat(rpc.call("insertJob", Map.of("kind", "devui-ok", "args", "{\"a\": ", "queue", ""))
                    .get("error").asText()).startsWith("args are not a JSON object: ").doesNotContain("REDACTED");
            assertThat(rpc.call("insertJob", Map.of("kind", "devui-ok", "args", "[1]", "queue", ""))
                    .get("error").asText()).isEqualTo("args are not a JSON object: expected a JSON object, found [1]");
            assertThat(rpc.call("insertJob", Map.of("kind", "nope", "args", "{}", "queue", "")).get("error").asText())
                    .startsWith("unknown job kind 'nope': no @Job worker of this application has it");
            assertThat(rpc.call("insertJob", Map.of("kind", "devui-ok", "args", "x".repeat(70_000), "queue", ""))
                    .get("error").asText()).isEqualTo("args are 70000 characters long, more than the 65536 this form"
                            + " takes");
            JsonNode inserted = rpc.call("insertJob", Map.of("kind", "devui-ok", "args", "{\"n\": 1}", "queue", ""));
            assertThat(inserted.get("ok").asBoolean()).isTrue();
            assertThat(inserted.get("message").asText()).matches("inserted job \\d+ \\(devui-ok\\) into queue 'devui'");

            // failed jobs, and retrying one
            long failing = rpc.call("insertJob", Map.of("kind", "devui-fails", "args", "{}", "queue", ""))
                    .get("id").asLong();
            await().atMost(Duration.ofSeconds(30)).until(() -> failedIds(rpc).contains(failing));
            JsonNode row = failedRow(rpc, failing);
            assertThat(row.get("state").asText()).isEqualTo("discarded");
            assertThat(row.get("error").asText()).contains("IllegalStateException: broken on purpose");
            assertThat(rpc.call("retryJob", Map.of("id", failing)).get("message").asText())
                    .isEqualTo("job " + failing + " is available again");
            assertThat(rpc.call("retryJob", Map.of("id", 999_999_999L)).get("ok").asBoolean()).isFalse();

            // cron: the entries, and one inserted now
            JsonNode entries = rpc.call("cronEntries", Map.of());
            assertThat(entries).extracting(e -> e.get("name").asText()).contains("devui-nightly");
            JsonNode now = rpc.call("insertCronNow", Map.of("name", "devui-nightly"));
            assertThat(now.get("message").asText()).matches("inserted job \\d+ \\(devui-ok\\) into queue 'devui'");
            assertThat(rpc.call("insertCronNow", Map.of("name", "other")).get("error").asText())
                    .isEqualTo("no cron entry is named 'other'");
        }
    }

    private static JsonNode queue(Rpc rpc, String name) throws Exception {
        for (JsonNode q : rpc.call("queues", Map.of())) {
            if (q.get("name").asText().equals(name)) {
                return q;
            }
        }
        throw new AssertionError("no queue " + name);
    }

    private static List<Long> failedIds(Rpc rpc) throws Exception {
        return rpc.call("failedJobs", Map.of()).findValues("id").stream().map(JsonNode::asLong).toList();
    }

    private static JsonNode failedRow(Rpc rpc, long id) throws Exception {
        for (JsonNode j : rpc.call("failedJobs", Map.of())) {
            if (j.get("id").asLong() == id) {
                return j;
            }
        }
        throw new AssertionError("job " + id + " is not listed as failed");
    }

    /** A JSON-RPC client of the Dev UI's WebSocket, one call at a time. */
    static final class Rpc implements WebSocket.Listener, AutoCloseable {
        private final AtomicLong ids = new AtomicLong();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;
        private volatile CompletableFuture<JsonNode> pending;
        private volatile long pendingId;

        Rpc() throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://localhost:" + PORT + "/q/dev-ui/json-rpc-ws"), this)
                    .get(30, TimeUnit.SECONDS);
        }

        /** @return the method's answer (the Dev UI wraps it as {@code result.object}) */
        JsonNode call(String method, Map<String, ?> params) throws Exception {
            pendingId = ids.incrementAndGet();
            pending = new CompletableFuture<>();
            socket.sendText(JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", pendingId,
                    "method", "quarkus-shigoto_" + method, "params", params)), true).get(10, TimeUnit.SECONDS);
            JsonNode answer = pending.get(30, TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new AssertionError(method + " failed: " + answer.get("error"));
            }
            return answer.get("result").get("object");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if (message.path("id").asLong() == pendingId && pending != null) {
                        pending.complete(message);
                    }
                } catch (Exception e) {
                    pending.completeExceptionally(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    @Job(kind = "devui-ok", queue = "devui")
    public static class Ok implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }

    @Job(kind = "devui-fails", queue = "devui", maxAttempts = 1)
    public static class Fails implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            throw new IllegalStateException("broken on purpose");
        }
    }
}
