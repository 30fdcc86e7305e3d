package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.Recorder;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * Hands the dashboard's route handlers to the HTTP server. {@code base} is the dashboard's absolute path, under the
 * HTTP root path, for the links in its pages; {@code readOnly} comes from its configuration.
 */
@Recorder
public class DashboardRecorder {

    private static final Logger LOG = Logger.getLogger(DashboardRecorder.class);
    /**
     * The guard's place: after Quarkus security's authentication (-200) and HTTP permission (-100) filters, before
     * the dashboard's body parser and every page.
     */
    private static final int GUARD_ORDER = -20;

    public Handler<RoutingContext> overview(String base, boolean readOnly) {
        return new OverviewRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> jobs(String base, boolean readOnly) {
        return new JobsRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> queues(String base, boolean readOnly) {
        return new QueuesRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> queue(String base, boolean readOnly) {
        return new QueueRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> job(String base, boolean readOnly) {
        return new JobRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> batches(String base, boolean readOnly, boolean workflows) {
        return new BatchesRoute(base, new DashboardAccess(base, readOnly), workflows);
    }

    public Handler<RoutingContext> batch(String base, boolean readOnly, boolean workflow) {
        return new BatchRoute(base, new DashboardAccess(base, readOnly), workflow);
    }

    public Handler<RoutingContext> cron(String base, boolean readOnly) {
        return new CronRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> encryption(String base, boolean readOnly) {
        return new EncryptionRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> confirm(String base, boolean readOnly) {
        return new ConfirmRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> action(String base, boolean readOnly) {
        return new ActionRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> live() {
        return new LiveRoute();
    }

    public Handler<RoutingContext> api(String base, boolean readOnly) {
        return new ApiRoute(base, new DashboardAccess(base, readOnly));
    }

    public Handler<RoutingContext> assets() {
        return new AssetRoute();
    }

    /** @return the handler that names each dashboard request by its path's template, for metrics and traces */
    public Handler<RoutingContext> templates(String base) {
        return new RouteTemplates(base);
    }

    /** @return a route that runs before every other dashboard handler, the guard and the body parser included */
    public Consumer<Route> first() {
        return route -> route.order(RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1);
    }

    /** @return the handler that lets only callers with one of the roles through */
    public Handler<RoutingContext> guard(List<String> roles) {
        return new DashboardGuard(roles);
    }

    /** @return a route on every method that runs before every other dashboard route (the guard's place) */
    public Consumer<Route> guarded() {
        return route -> route.order(GUARD_ORDER);
    }

    /** @return a route that only takes posts and runs after the guard and before every other dashboard route */
    public Consumer<Route> postBodies() {
        // a form the body parser refuses is the client's mistake: answered 4xx with a reason, not logged as an error
        return route -> route.method(HttpMethod.POST).order(GUARD_ORDER + 1).failureHandler(new FormFailures());
    }

    /** Says, once at start, that a production application serves its dashboard to anyone. */
    public void warnOpen(String base) {
        LOG.warnf("The shigoto dashboard at %s, its API and its live stream are open to anyone who can reach this"
                + " HTTP port (quarkus.shigoto.dashboard.open-in-prod=true without roles-allowed): anyone can cancel,"
                + " retry and delete jobs. Set quarkus.shigoto.dashboard.roles-allowed to guard it.", base);
    }

    /** Says, once at start, why a production application does not serve its dashboard. */
    public void reportClosed(String base) {
        LOG.infof("The shigoto dashboard is not served at %s: a production application serves it only with"
                + " quarkus.shigoto.dashboard.roles-allowed set, or with quarkus.shigoto.dashboard.open-in-prod=true",
                base);
    }

    /** @return the class-path resources of the static assets, for the native image */
    public static List<String> assetResources() {
        return AssetRoute.ASSETS.keySet().stream().sorted().map(n -> "META-INF/shigoto-ui/" + n).toList();
    }
}
