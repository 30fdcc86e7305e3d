package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.List;
import java.util.function.Consumer;

import io.quarkus.runtime.annotations.Recorder;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * Hands the dashboard's route handlers to the HTTP server. {@code base} is the dashboard's absolute path, under the
 * HTTP root path, for the links in its pages; {@code roles} and {@code readOnly} come from its configuration.
 */
@Recorder
public class DashboardRecorder {

    public Handler<RoutingContext> overview(String base, List<String> roles, boolean readOnly) {
        return new OverviewRoute(base, new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> jobs(String base, List<String> roles, boolean readOnly) {
        return new JobsRoute(base, new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> queues(String base, List<String> roles, boolean readOnly) {
        return new QueuesRoute(base, new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> queue(String base, List<String> roles, boolean readOnly) {
        return new QueueRoute(base, new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> job(String base, List<String> roles, boolean readOnly) {
        return new JobRoute(base, new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> cron(String base, List<String> roles, boolean readOnly) {
        return new CronRoute(base, new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> confirm(String base, List<String> roles, boolean readOnly) {
        return new ConfirmRoute(base, new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> action(String base, List<String> roles, boolean readOnly) {
        return new ActionRoute(base, new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> live(String base, List<String> roles, boolean readOnly) {
        return new LiveRoute(new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> api(String base, List<String> roles, boolean readOnly) {
        return new ApiRoute(base, new DashboardAccess(base, roles, readOnly));
    }

    public Handler<RoutingContext> assets() {
        return new AssetRoute();
    }

    /** @return the handler that names each dashboard request by its path's template, for metrics and traces */
    public Handler<RoutingContext> templates(String base) {
        return new RouteTemplates(base);
    }

    /** @return a route that runs before every other dashboard handler, the body parser included */
    public Consumer<Route> first() {
        return route -> route.order(RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1);
    }

    /** @return a route that only takes posts and runs before every other handler (the body parser's place) */
    public Consumer<Route> postBodies() {
        // a form the body parser refuses is the client's mistake: answered 4xx with a reason, not logged as an error
        return route -> route.method(HttpMethod.POST).order(RouteConstants.ROUTE_ORDER_BODY_HANDLER)
                .failureHandler(new FormFailures());
    }

    /** @return the class-path resources of the static assets, for the native image */
    public static List<String> assetResources() {
        return AssetRoute.ASSETS.keySet().stream().sorted().map(n -> "META-INF/shigoto-ui/" + n).toList();
    }
}
