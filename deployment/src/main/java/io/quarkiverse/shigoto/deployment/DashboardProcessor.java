package io.quarkiverse.shigoto.deployment;

import java.util.List;

import io.quarkiverse.shigoto.runtime.config.DashboardConfig;
import io.quarkiverse.shigoto.runtime.dashboard.DashboardRecorder;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.deployment.BodyHandlerBuildItem;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;
import io.quarkus.vertx.http.deployment.RouteBuildItem;

/**
 * Serves the dashboard on the application's own HTTP server, under {@code quarkus.http.root-path}.
 */
class DashboardProcessor {

    // the checked templates class is no bean, but Qute finds @CheckedTemplate classes in the bean archive index only
    private static final String PAGES = "io.quarkiverse.shigoto.runtime.dashboard.DashboardPages";

    @BuildStep
    AdditionalBeanBuildItem pagesAreIndexed() {
        return AdditionalBeanBuildItem.builder().addBeanClass(PAGES).build();
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void routes(DashboardConfig config, Capabilities capabilities, DashboardRecorder recorder,
            HttpRootPathBuildItem root, BodyHandlerBuildItem body, BuildProducer<RouteBuildItem> routes) {
        if (!config.enabled()) {
            return;
        }
        List<String> roles = config.rolesAllowed().orElse(List.of());
        String problem = rolesProblem(roles, capabilities.isPresent(Capability.SECURITY));
        if (problem != null) {
            throw new ConfigurationException(problem);
        }
        boolean readOnly = config.readOnly();
        // relativePath keeps the path under the root path even with a leading slash
        String base = root.relativePath(config.path());
        // names every dashboard request by its path's template for the HTTP metrics (a path outside is left alone)
        routes.produce(root.routeBuilder().routeFunction(base + "*", recorder.first())
                .handler(recorder.templates(base)).build());
        routes.produce(root.routeBuilder().route(base).handler(recorder.overview(base, roles, readOnly))
                .blockingRoute().displayOnNotFoundPage("shigoto dashboard").build());
        routes.produce(root.routeBuilder().route(base + "/jobs").handler(recorder.jobs(base, roles, readOnly))
                .blockingRoute().build());
        // before /jobs/:id, which would take "confirm" for an id
        routes.produce(root.routeBuilder().route(base + "/jobs/confirm")
                .handler(recorder.confirm(base, roles, readOnly)).blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/jobs/:id").handler(recorder.job(base, roles, readOnly))
                .blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/queues").handler(recorder.queues(base, roles, readOnly))
                .blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/queues/:name")
                .handler(recorder.queue(base, roles, readOnly)).blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/cron").handler(recorder.cron(base, roles, readOnly))
                .blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/static/:name").handler(recorder.assets()).build());
        // on the event loop: the stream waits on a timer, its database reads run on worker threads
        routes.produce(root.routeBuilder().route(base + "/api/events").handler(recorder.live(base, roles, readOnly))
                .build());
        // after /api/events, which this would otherwise take
        routes.produce(root.routeBuilder().route(base + "/api/*").handler(recorder.api(base, roles, readOnly))
                .blockingRoute().build());
        routes.produce(root.routeBuilder().routeFunction(base + "/actions/*", recorder.postBodies())
                .handler(body.getHandler()).build());
        // every method: anything but a post is answered 405
        routes.produce(root.routeBuilder().route(base + "/actions/:action")
                .handler(recorder.action(base, roles, readOnly)).blockingRoute().build());
    }

    /**
     * Roles nobody can check would leave the dashboard open while the configuration says it is guarded.
     *
     * @return why the roles cannot be enforced, or {@code null}
     */
    static String rolesProblem(List<String> roles, boolean securityPresent) {
        if (roles.isEmpty() || securityPresent) {
            return null;
        }
        return "quarkus.shigoto.dashboard.roles-allowed is set to " + roles + ", but the application has no Quarkus"
                + " security extension to check roles with (add one, such as quarkus-elytron-security-properties-file"
                + " or quarkus-oidc, or unset it)";
    }

    @BuildStep
    void nativeAssets(DashboardConfig config, BuildProducer<NativeImageResourceBuildItem> resources) {
        if (config.enabled()) {
            resources.produce(new NativeImageResourceBuildItem(DashboardRecorder.assetResources()));
        }
    }
}
