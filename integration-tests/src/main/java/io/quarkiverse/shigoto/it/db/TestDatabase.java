package io.quarkiverse.shigoto.it.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import org.jboss.logging.Logger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL server of the demo and the tests, chosen once per JVM:
 * <ol>
 * <li>an external server when {@code SHIGOTO_DB_URL} (a JDBC URL) is set, with {@code SHIGOTO_DB_USER} and
 * {@code SHIGOTO_DB_PASSWORD};</li>
 * <li>else a Testcontainers PostgreSQL when a Docker engine answers;</li>
 * <li>else an embedded PostgreSQL (zonky) under {@code target/embedded-pg}.</li>
 * </ol>
 * The choice is kept in system properties, so a dev-mode restart (new class loader) reuses the same server.
 */
public final class TestDatabase {

    private static final Logger LOG = Logger.getLogger(TestDatabase.class);
    private static final String URL_PROPERTY = "shigoto.it.jdbc-url";
    private static final String USER_PROPERTY = "shigoto.it.user";
    private static final String PASSWORD_PROPERTY = "shigoto.it.password";
    /** The longest the server waits at JVM exit for its clients to leave (the application's shutdown timeout and more). */
    private static final long STOP_WAIT_MILLIS = 45_000;

    /** Where to reach the server. */
    public record Coordinates(String jdbcUrl, String user, String password) {

        /** @return the JDBC URL with the credentials in it */
        public String jdbcUrlWithCredentials() {
            return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "user=" + encode(user) + "&password="
                    + encode(password);
        }

        /** @return the same server and credentials, another database on it */
        public Coordinates withDatabase(String database) {
            return new Coordinates(jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database), user,
                    password);
        }

        /** @return the URL in the form of the Vert.x reactive client, with the credentials in it */
        public String reactiveUrl() {
            String rest = jdbcUrl.substring("jdbc:postgresql://".length());
            return "postgresql://" + encode(user) + ":" + encode(password) + "@" + rest;
        }

        /**
         * The datasource configuration of a Quarkus application using this server. The credentials travel in the
         * URLs: Quarkus reads the username and password keys in ways a lazily answering config source cannot serve.
         */
        public Map<String, String> quarkusConfig() {
            return Map.of("quarkus.datasource.jdbc.url", jdbcUrlWithCredentials(), "quarkus.datasource.reactive.url",
                    reactiveUrl());
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    private TestDatabase() {
    }

    /**
     * A shutdown hook that stops the server once its clients have left, or after {@link #STOP_WAIT_MILLIS}. JVM
     * shutdown hooks run at once: without the wait, the server could stop while the application (on SIGTERM) still
     * waits for its running jobs and writes their outcomes. Counting the server's client sessions needs no help from
     * the application, whichever class loader started the server.
     */
    private static Thread stopAfterItsClients(Coordinates db, Runnable stop) {
        return new Thread(() -> {
            long deadline = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000;
            try (Connection c = DriverManager.getConnection(db.jdbcUrlWithCredentials());
                    PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                            + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                while (System.nanoTime() < deadline) {
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next() && rs.getLong(1) == 0) {
                            break;
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (SQLException e) {
                // the server is gone or refuses us: stop it anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.run();
        }, "shigoto-it-pg-stop");
    }

    /** @return the server, started on first use */
    public static synchronized Coordinates get() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            start();
        }
        return new Coordinates(System.getProperty(URL_PROPERTY), System.getProperty(USER_PROPERTY),
                System.getProperty(PASSWORD_PROPERTY));
    }

    private static void start() {
        String external = System.getenv("SHIGOTO_DB_URL");
        if (external != null && !external.isBlank()) {
            remember(external, env("SHIGOTO_DB_USER", "postgres"), env("SHIGOTO_DB_PASSWORD", "postgres"));
            LOG.infof("Using the external PostgreSQL at %s", external);
        } else if (dockerConfigured() && dockerAvailable()) {
            PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:17-alpine");
            pg.start();
            remember(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
            Runtime.getRuntime().addShutdownHook(stopAfterItsClients(get(), pg::stop));
            LOG.infof("Started a Testcontainers PostgreSQL at %s", pg.getJdbcUrl());
        } else {
            startEmbedded();
        }
    }

    private static void startEmbedded() {
        try {
            Path dir = Paths.get("target", "embedded-pg").toAbsolutePath();
            Files.createDirectories(dir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(dir.toFile())
                    .setDataDirectory(Files.createTempDirectory(dir, "data-"))
                    .setCleanDataDirectory(true)
                    .setServerConfig("unix_socket_directories", dir.toString())
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    // our own hook stops it, once the application's connections are gone
                    .setRegisterShutdownHook(false)
                    .start();
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            remember(url, "postgres", "postgres");
            Runtime.getRuntime().addShutdownHook(stopAfterItsClients(get(), () -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is exiting; nothing left to do
                }
            }));
            LOG.infof("Started an embedded PostgreSQL at %s", url);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /** Asking Testcontainers logs a loud error when there is no Docker at all, so look for a socket first. */
    private static boolean dockerConfigured() {
        return System.getenv("DOCKER_HOST") != null || Files.exists(Paths.get("/var/run/docker.sock"));
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static void remember(String url, String user, String password) {
        System.setProperty(URL_PROPERTY, url);
        System.setProperty(USER_PROPERTY, user);
        System.setProperty(PASSWORD_PROPERTY, password);
    }

    private static String env(String name, String defaultValue) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? defaultValue : v;
    }
}
