package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkus.test.QuarkusProdModeTest;

/**
 * An empty application built as for production and run as its own process on the embedded database, which it stops
 * after the application; and questions to its dashboard's page, API and live stream, over HTTP/1.1 as a browser asks.
 */
final class ProdApp extends QuarkusProdModeTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;

    private ProdApp(int port) {
        this.port = port;
        withEmptyApplication().setRun(true).setRuntimeProperties(Map.of("quarkus.http.port", String.valueOf(port)))
                .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
                .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
                .overrideConfigKey("quarkus.datasource.jdbc.url", EmbeddedDatabase.jdbcUrl());
    }

    /**
     * @param settings build-time settings, as name and value after each other
     * @return the application with them, on a free port
     */
    static ProdApp with(String... settings) {
        ProdApp app = new ProdApp(EmbeddedDatabase.freePort());
        for (int i = 0; i < settings.length; i += 2) {
            app.overrideConfigKey(settings[i], settings[i + 1]);
        }
        return app;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            super.afterAll(context);
        } finally {
            EmbeddedDatabase.stop();
        }
    }

    /** @return the status of the overview page */
    int page(String credentials) {
        return status("/shigoto", credentials);
    }

    /** @return the status of the API's overview */
    int api(String credentials) {
        return status("/shigoto/api/overview", credentials);
    }

    /** @return the status of the overview's live stream, which is closed once its headers arrived */
    int stream(String credentials) {
        return status("/shigoto/api/events?watch=overview", credentials);
    }

    /** @return the status of a form action */
    int action(String credentials) {
        HttpRequest request = request("/shigoto/actions/pause", credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("queue=default")).build();
        return send(request);
    }

    private int status(String path, String credentials) {
        return send(request(path, credentials).GET().build());
    }

    private HttpRequest.Builder request(String path, String credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (credentials != null) {
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private int send(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asserts the page, the API and the live stream answer the status. */
    void assertAnswers(int status, String credentials) {
        assertThat(page(credentials)).as("page").isEqualTo(status);
        assertThat(api(credentials)).as("API").isEqualTo(status);
        assertThat(stream(credentials)).as("live stream").isEqualTo(status);
    }

    /** @return how often the start's output has a WARN line that contains the text */
    int warnings(String text) {
        Matcher m = Pattern.compile("^.*WARN.*" + Pattern.quote(text) + ".*$", Pattern.MULTILINE)
                .matcher(getStartupConsoleOutput());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
