package io.quarkiverse.shigoto.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL server of a benchmark run: the one at a given URL, or an embedded one. Every system run gets a
 * database of its own, created empty and dropped afterwards, so no run sees another's rows or bloat.
 */
final class BenchDatabase implements AutoCloseable {

    private final String serverUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;
    private int next;

    private BenchDatabase(String serverUrl, String user, String password, EmbeddedPostgres embedded) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    static BenchDatabase external(String jdbcUrl, String user, String password) {
        return new BenchDatabase(jdbcUrl, user, password, null);
    }

    static BenchDatabase embedded(Path dir) throws IOException {
        Files.createDirectories(dir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(dir.toFile())
                .setDataDirectory(Files.createTempDirectory(dir, "data-"))
                .setCleanDataDirectory(true)
                .setServerConfig("unix_socket_directories", dir.toString())
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "256MB")
                .start();
        return new BenchDatabase("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", "postgres",
                pg);
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String describe() {
        return embedded != null ? "embedded PostgreSQL at " + serverUrl : "PostgreSQL at " + serverUrl;
    }

    /** @return the JDBC URL of a new, empty database */
    String create() throws SQLException {
        String name = "shigoto_bench_" + ProcessHandle.current().pid() + "_" + (next++);
        admin("CREATE DATABASE " + name);
        return serverUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }

    void drop(String url) {
        String name = url.replaceFirst("^.*/([^/?]+).*$", "$1");
        try {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop " + name + ": " + e.getMessage());
        }
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl, user, password);
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
