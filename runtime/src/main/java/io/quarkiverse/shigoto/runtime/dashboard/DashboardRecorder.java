package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.List;

import io.quarkus.runtime.annotations.Recorder;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Hands the dashboard's route handlers to the HTTP server. {@code base} is the dashboard's absolute path, under the
 * HTTP root path, for the links in its pages.
 */
@Recorder
public class DashboardRecorder {

    public Handler<RoutingContext> overview(String base) {
        return new OverviewRoute(base);
    }

    public Handler<RoutingContext> jobs(String base) {
        return new JobsRoute(base);
    }

    public Handler<RoutingContext> job(String base) {
        return new JobRoute(base);
    }

    public Handler<RoutingContext> assets() {
        return new AssetRoute();
    }

    /** @return the class-path resources of the static assets, for the native image */
    public static List<String> assetResources() {
        return AssetRoute.ASSETS.keySet().stream().sorted().map(n -> "META-INF/shigoto-ui/" + n).toList();
    }
}
