package io.quarkiverse.shigoto.it.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "shigoto-it-pg-stop"));
            remember(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
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
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is exiting; nothing left to do
                }
            }, "shigoto-it-pg-stop"));
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            remember(url, "postgres", "postgres");
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
