package io.quarkiverse.shigoto.deployment;

import io.quarkiverse.shigoto.runtime.config.DashboardConfig;
import io.quarkiverse.shigoto.runtime.dashboard.DashboardRecorder;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;
import io.quarkus.vertx.http.deployment.RouteBuildItem;

/**
 * Serves the dashboard on the application's own HTTP server, under {@code quarkus.http.root-path}.
 */
class DashboardProcessor {

    // the checked templates class is no bean, but Qute finds @CheckedTemplate classes in the bean archive index only
    private static final String PAGES = "io.quarkiverse.shigoto.runtime.dashboard.DashboardPages";

    @BuildStep
    AdditionalBeanBuildItem pagesAreIndexed(DashboardConfig config) {
        return AdditionalBeanBuildItem.builder().addBeanClass(PAGES).build();
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void routes(DashboardConfig config, DashboardRecorder recorder, HttpRootPathBuildItem root,
            BuildProducer<RouteBuildItem> routes) {
        if (!config.enabled()) {
            return;
        }
        // relativePath keeps the path under the root path even with a leading slash
        String base = root.relativePath(config.path());
        routes.produce(root.routeBuilder().route(base).handler(recorder.overview(base)).blockingRoute()
                .displayOnNotFoundPage("shigoto dashboard").build());
        routes.produce(root.routeBuilder().route(base + "/jobs").handler(recorder.jobs(base)).blockingRoute().build());
        routes.produce(root.routeBuilder().route(base + "/jobs/:id").handler(recorder.job(base)).blockingRoute()
                .build());
        routes.produce(root.routeBuilder().route(base + "/static/:name").handler(recorder.assets()).build());
    }

    @BuildStep
    void nativeAssets(DashboardConfig config, BuildProducer<NativeImageResourceBuildItem> resources) {
        if (config.enabled()) {
            resources.produce(new NativeImageResourceBuildItem(DashboardRecorder.assetResources()));
        }
    }
}
