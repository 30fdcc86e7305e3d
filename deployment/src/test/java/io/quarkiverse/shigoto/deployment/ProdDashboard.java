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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a packaged application for its dashboard's page, API and live stream, over HTTP/1.1 as a browser does.
 */
final class ProdDashboard {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;

    ProdDashboard(int port) {
        this.port = port;
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

    /** @return how often the output has a WARN line that contains the text */
    static int warnings(String output, String text) {
        Matcher m = Pattern.compile("^.*WARN.*" + Pattern.quote(text) + ".*$", Pattern.MULTILINE).matcher(output);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
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

    static void assertServed(ProdDashboard dashboard, String credentials) {
        assertThat(dashboard.page(credentials)).as("page").isEqualTo(200);
        assertThat(dashboard.api(credentials)).as("API").isEqualTo(200);
        assertThat(dashboard.stream(credentials)).as("live stream").isEqualTo(200);
    }
}
