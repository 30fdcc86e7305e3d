package io.quarkiverse.shigoto.runtime.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the dashboard's static files from the runtime jar ({@code META-INF/shigoto-ui/}, built from
 * {@code dashboard-ui/}). Only the listed files exist; they are read once.
 */
final class AssetRoute implements Handler<RoutingContext> {

    /** Every asset and its content type; the build registers the same list for the native image. */
    static final Map<String, String> ASSETS = Map.of("shigoto.css", "text/css; charset=UTF-8", "shigoto.js",
            "text/javascript; charset=UTF-8");

    private final Map<String, Buffer> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void handle(RoutingContext rc) {
        String name = rc.pathParam("name");
        String type = ASSETS.get(name);
        if (type == null) {
            rc.response().setStatusCode(404).end();
            return;
        }
        Buffer body = loaded.computeIfAbsent(name, AssetRoute::load);
        rc.response().putHeader("Content-Type", type).putHeader("Cache-Control", "public, max-age=3600").end(body);
    }

    private static Buffer load(String name) {
        String path = "META-INF/shigoto-ui/" + name;
        try (InputStream in = AssetRoute.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing dashboard asset " + path);
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
