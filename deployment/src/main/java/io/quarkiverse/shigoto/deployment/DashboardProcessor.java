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
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.deployment.BodyHandlerBuildItem;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;
import io.quarkus.vertx.http.deployment.RouteBuildItem;

/**
 * Serves the dashboard on the application's own HTTP server, under {@code quarkus.http.root-path}: always in dev and
 * test mode, in production only behind {@code roles-allowed} or when {@code open-in-prod} says so.
 */
class DashboardProcessor {

    // the checked templates class is no bean, but Qute finds @CheckedTemplate classes in the bean archive index only
    private static final String PAGES = "io.quarkiverse.shigoto.runtime.dashboard.DashboardPages";

    /** Whether, and how guarded, an application serves its dashboard. */
    enum Exposure {
        NOT_SERVED,
        OPEN,
        OPEN_IN_PROD,
        GUARDED
    }

    @BuildStep
    AdditionalBeanBuildItem pagesAreIndexed() {
        return AdditionalBeanBuildItem.builder().addBeanClass(PAGES).build();
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void routes(DashboardConfig config, Capabilities capabilities, LaunchModeBuildItem launch,
            DashboardRecorder recorder, HttpRootPathBuildItem root, BodyHandlerBuildItem body,
            BuildProducer<RouteBuildItem> routes) {
        List<String> roles = config.rolesAllowed().orElse(List.of());
        String problem = rolesProblem(roles, capabilities.isPresent(Capability.SECURITY));
        if (config.enabled() && problem != null) {
            throw new ConfigurationException(problem);
        }
        // relativePath keeps the path under the root path even with a leading slash
        String base = root.relativePath(config.path());
        Exposure exposure = exposure(config, launch.getLaunchMode());
        switch (exposure) {
            case NOT_SERVED -> {
                if (config.enabled()) {
                    recorder.reportClosed(base);
                }
                return;
            }
            case GUARDED -> routes.produce(root.routeBuilder().routeFunction(base + "/*", recorder.guarded())
                    .handler(recorder.guard(roles)).build());
            case OPEN_IN_PROD -> recorder.warnOpen(base);
            case OPEN -> {
            }
        }
        // names every dashboard request by its path's template for the HTTP metrics (a path outside is left alone)
        routes.produce(root.routeBuilder().routeFunction(base + "*", recorder.first())
                .handler(recorder.templates(base)).build());
        pages(routes, root, recorder, base, config.readOnly());
        routes.produce(root.routeBuilder().routeFunction(base + "/actions/*", recorder.postBodies())
                .handler(body.getHandler()).build());
    }

    /**
     * Production is a launch mode, known when the application is built: a packaged application runs in it whatever
     * profile it starts with. The settings it is decided on are fixed at build time too.
     */
    static Exposure exposure(DashboardConfig config, LaunchMode mode) {
        if (!config.enabled()) {
            return Exposure.NOT_SERVED;
        }
        if (config.rolesAllowed().isPresent() && !config.rolesAllowed().get().isEmpty()) {
            return Exposure.GUARDED;
        }
        if (mode != LaunchMode.NORMAL) {
            return Exposure.OPEN;
        }
        return config.openInProd() ? Exposure.OPEN_IN_PROD : Exposure.NOT_SERVED;
    }

    private static void pages(BuildProducer<RouteBuildItem> routes, HttpRootPathBuildItem root,
            DashboardRecorder recorder, String base, boolean readOnly) {
        routes.produce(root.routeBuilder().route(base).handler(recorder.overview(base, readOnly))
                .blockingRoute().displayOnNotFoundPage("shigoto dashboard").build());
        routes.produce(root.routeBuilder().route(base + "/jobs").handler(recorder.jobs(base, readOnly))
                .blockingRoute().build());
        // before /jobs/:id, which would take "confirm" for an id
        routes.produce(root.routeBuilder().route(base + "/jobs/confirm")
                .handler(recorder.confirm(base, readOnly)).blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/jobs/:id").handler(recorder.job(base, readOnly))
                .blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/queues").handler(recorder.queues(base, readOnly))
                .blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/queues/:name")
                .handler(recorder.queue(base, readOnly)).blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/cron").handler(recorder.cron(base, readOnly))
                .blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/encryption").handler(recorder.encryption(base, readOnly))
                .blockingRoute().build());
        for (String kind : new String[] { "batches", "workflows" }) {
            boolean workflows = kind.equals("workflows");
            routes.produce(root.routeBuilder().route(base + "/" + kind)
                    .handler(recorder.batches(base, readOnly, workflows)).blockingRoute().build());
            routes.produce(root.routeBuilder().route(base + "/" + kind + "/:id")
                    .handler(recorder.batch(base, readOnly, workflows)).blockingRoute().build());
        }
        routes.produce(root.routeBuilder().route(base + "/static/:name").handler(recorder.assets()).build());
        // on the event loop: the stream waits on a timer, its database reads run on worker threads
        routes.produce(root.routeBuilder().route(base + "/api/events").handler(recorder.live()).build());
        // after /api/events, which this would otherwise take
        routes.produce(root.routeBuilder().route(base + "/api/*").handler(recorder.api(base, readOnly))
                .blockingRoute().build());
        // every method: anything but a post is answered 405
        routes.produce(root.routeBuilder().route(base + "/actions/:action")
                .handler(recorder.action(base, readOnly)).blockingRoute().build());
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
    void nativeAssets(DashboardConfig config, LaunchModeBuildItem launch,
            BuildProducer<NativeImageResourceBuildItem> resources) {
        if (exposure(config, launch.getLaunchMode()) != Exposure.NOT_SERVED) {
            resources.produce(new NativeImageResourceBuildItem(DashboardRecorder.assetResources()));
        }
    }
}
