package io.quarkiverse.shigoto.deployment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.config.DevServicesConfig;
import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.quarkus.datasource.common.runtime.DatabaseKind;
import io.quarkus.datasource.deployment.spi.DevServicesDatasourceConfigurationHandlerBuildItem;
import io.quarkus.datasource.runtime.DataSourceBuildTimeConfig;
import io.quarkus.datasource.runtime.DataSourcesBuildTimeConfig;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.IsDevServicesSupportedByLaunchMode;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;
import io.quarkus.deployment.builditem.DockerStatusBuildItem;
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.deployment.pkg.builditem.OutputTargetBuildItem;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Zero-setup PostgreSQL for dev and test mode: when the datasource shigoto uses has no URL and no container runtime
 * is there for Quarkus's PostgreSQL Dev Service, an embedded PostgreSQL takes its place.
 * <p>
 * Quarkus's datasource Dev Service asks every configuration handler of the database kind whether the datasource is
 * configured already; this processor registers one that answers yes exactly when the embedded server will serve it, so
 * Quarkus neither warns (dev) nor fails (test) for the missing container runtime. With a container runtime the handler
 * answers no and Quarkus's container starts as usual.
 */
class DevServicesProcessor {

    private static final Logger LOG = Logger.getLogger(DevServicesProcessor.class);
    static final String FEATURE = "shigoto";

    /** Whether global Dev Services are on ({@code quarkus.devservices.enabled}). */
    static final class GlobalDevServicesEnabled implements BooleanSupplier {
        private final io.quarkus.deployment.dev.devservices.DevServicesConfig config;

        GlobalDevServicesEnabled(io.quarkus.deployment.dev.devservices.DevServicesConfig config) {
            this.config = config;
        }

        @Override
        public boolean getAsBoolean() {
            return config.enabled();
        }
    }

    @BuildStep(onlyIf = { IsDevServicesSupportedByLaunchMode.class, GlobalDevServicesEnabled.class })
    void embeddedPostgres(DevServicesConfig config, DataSourcesBuildTimeConfig datasources, DockerStatusBuildItem docker,
            LaunchModeBuildItem launch, OutputTargetBuildItem target, Capabilities capabilities,
            BuildProducer<DevServicesDatasourceConfigurationHandlerBuildItem> handlers,
            BuildProducer<DevServicesResultBuildItem> services) {
        String datasource = ConfigProvider.getConfig().getOptionalValue("quarkus.shigoto.datasource", String.class)
                .filter(s -> !s.isBlank()).orElse(DataSourceUtil.DEFAULT_DATASOURCE_NAME);
        DataSourceBuildTimeConfig built = datasources.dataSources().get(datasource);
        boolean declared = DataSourceUtil.isDefault(datasource) || built != null && built.dbKind().isPresent();
        String reason = reasonNotToStart(config.enabled(), declared,
                built == null ? Optional.empty() : built.dbKind(),
                built == null ? Optional.empty() : built.devservices().enabled(), urlConfigured(datasource),
                docker::isContainerRuntimeAvailable);
        if (reason != null) {
            LOG.debugf("Dev Services for shigoto: no embedded PostgreSQL for the %s: %s", name(datasource), reason);
            return;
        }
        handlers.produce(new DevServicesDatasourceConfigurationHandlerBuildItem(DatabaseKind.POSTGRESQL,
                (name, running) -> Map.of(), name -> Map.of(), datasource::equals));

        Path work = target.getOutputDirectory().resolve("shigoto-dev-postgres").toAbsolutePath();
        boolean dev = launch.getLaunchMode() == LaunchMode.DEVELOPMENT;
        Optional<Path> keptData = dev ? Optional.of(work.resolve("data")) : Optional.empty();
        boolean reactive = capabilities.isPresent(Capability.REACTIVE_PG_CLIENT);
        services.produce(DevServicesResultBuildItem.<EmbeddedPostgresService> owned()
                .feature(FEATURE)
                .serviceName(datasource)
                // compared across restarts of dev mode (and class loaders): JDK types only
                .serviceConfig(launch.getLaunchMode() + " " + work + " " + config.port().map(String::valueOf).orElse(""))
                .description("embedded PostgreSQL for the " + name(datasource))
                .startable(() -> new EmbeddedPostgresService(work, keptData, config.port(), name(datasource)))
                .configProvider(configuration(datasource, reactive))
                .build());
    }

    /**
     * @return why no embedded server starts, or {@code null} when one does; the container runtime is asked last, as
     *         finding out can take a while
     */
    static String reasonNotToStart(boolean enabled, boolean declared, Optional<String> dbKind,
            Optional<Boolean> quarkusDevServices, boolean urlConfigured, BooleanSupplier containerRuntime) {
        if (!enabled) {
            return "quarkus.shigoto.devservices.enabled is false";
        }
        if (!declared) {
            return "no such datasource is configured (a named datasource needs its db-kind)";
        }
        if (dbKind.isPresent() && !DatabaseKind.isPostgreSQL(dbKind.get())) {
            return "its db-kind is " + dbKind.get() + ", not postgresql";
        }
        if (quarkusDevServices.isPresent()) {
            return "its quarkus.datasource.devservices.enabled is set (" + quarkusDevServices.get() + ")";
        }
        if (urlConfigured) {
            return "its URL is configured";
        }
        if (containerRuntime.getAsBoolean()) {
            return "a container runtime is available, Quarkus's PostgreSQL Dev Service serves it";
        }
        return null;
    }

    private static boolean urlConfigured(String datasource) {
        return ConfigUtils.isAnyPropertyPresent(DataSourceUtil.dataSourcePropertyKeys(datasource, "jdbc.url"))
                || ConfigUtils.isAnyPropertyPresent(DataSourceUtil.dataSourcePropertyKeys(datasource, "reactive.url"));
    }

    private static Map<String, Function<EmbeddedPostgresService, String>> configuration(String datasource,
            boolean reactive) {
        Map<String, Function<EmbeddedPostgresService, String>> config = new LinkedHashMap<>();
        config.put(DataSourceUtil.dataSourcePropertyKey(datasource, "jdbc.url"), EmbeddedPostgresService::jdbcUrl);
        config.put(DataSourceUtil.dataSourcePropertyKey(datasource, "username"), s -> EmbeddedPostgresService.USER);
        config.put(DataSourceUtil.dataSourcePropertyKey(datasource, "password"), s -> EmbeddedPostgresService.USER);
        if (reactive) {
            config.put(DataSourceUtil.dataSourcePropertyKey(datasource, "reactive.url"),
                    EmbeddedPostgresService::reactiveUrl);
        }
        return config;
    }

    private static String name(String datasource) {
        return DataSourceUtil.isDefault(datasource) ? "default datasource" : "datasource '" + datasource + "'";
    }
}
