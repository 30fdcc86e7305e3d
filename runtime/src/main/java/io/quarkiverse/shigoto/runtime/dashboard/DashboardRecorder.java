package io.quarkiverse.shigoto.runtime.dashboard;

import io.quarkus.runtime.annotations.Recorder;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Hands the dashboard's route handlers to the HTTP server.
 */
@Recorder
public class DashboardRecorder {

    /** @param base the dashboard's absolute path, under the HTTP root path */
    public Handler<RoutingContext> overview(String base) {
        return new DashboardHandler(base);
    }
}
