package io.quarkiverse.shigoto.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusUnitTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL under {@code target/embedded-pg}, for the tests that boot an application.
 * <p>
 * QuarkusUnitTest loads the test class, and this one, a second time in the application's class loader, which runs
 * their static initializers again. The URL is therefore kept in a system property that both copies see: the first
 * copy starts the server and owns it, the second only reads the URL.
 */
final class EmbeddedDatabase {

    private static final String URL_PROPERTY = "shigoto.deployment-test.jdbc-url";

    private static EmbeddedPostgres server;

    private EmbeddedDatabase() {
    }

    /** @return the JDBC URL, with credentials, of the server, started on first use */
    static synchronized String jdbcUrl() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            server = start();
            url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres&password=postgres";
            System.setProperty(URL_PROPERTY, url);
        }
        return url;
    }

    /**
     * @return an application with only this class, on the embedded server, which it stops after the tests; tests add
     *         their own settings
     */
    static QuarkusUnitTest app() {
        return new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class))
                .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
                .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
                .overrideConfigKey("quarkus.datasource.jdbc.url", jdbcUrl())
                // not an @AfterAll method: that would run before the application stops, and on its copy of this class
                .setAfterAllCustomizer(EmbeddedDatabase::stop);
    }

    /** @return a port nobody listens on now */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port", e);
        }
    }

    /**
     * @param extensions artifact ids of Quarkus extensions the application has on top of the test class path (health,
     *        metrics), so the other tests keep running without them
     * @return {@link #app()} with those extensions
     */
    static QuarkusUnitTest appWith(String... extensions) {
        return app().setForcedDependencies(Arrays.stream(extensions)
                .map(e -> Dependency.of("io.quarkus", e, Version.getVersion())).toList());
    }

    /** Stops the server if this copy of the class started it. */
    static synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
            } finally {
                server = null;
                System.clearProperty(URL_PROPERTY);
            }
        }
    }

    private static EmbeddedPostgres start() {
        try {
            Path dir = Path.of("target", "embedded-pg").toAbsolutePath();
            Files.createDirectories(dir);
            return EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(dir.toFile())
                    .setDataDirectory(Files.createTempDirectory(dir, "data-"))
                    .setCleanDataDirectory(true)
                    .setServerConfig("unix_socket_directories", dir.toString())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }
}
