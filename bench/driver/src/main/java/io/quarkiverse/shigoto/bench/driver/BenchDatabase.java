package io.quarkiverse.shigoto.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * Starts an embedded server. zonky starts postgres with {@code -F} (fsync off); the {@code -c} settings it appends
     * after it override that, so the server is durable unless {@code fastUnsafe}. {@link #settings()} reads back what
     * the server actually runs with.
     */
    static BenchDatabase embedded(Path dir, boolean fastUnsafe) throws IOException {
        Files.createDirectories(dir);
        String durable = fastUnsafe ? "off" : "on";
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("fsync", durable)
                .setServerConfig("synchronous_commit", durable)
                .setServerConfig("full_page_writes", durable)
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

    boolean isEmbedded() {
        return embedded != null;
    }

    /** The settings that decide durability and speed, as the server reports them. */
    static final List<String> SETTINGS = List.of("server_version", "fsync", "synchronous_commit", "full_page_writes",
            "shared_buffers");

    /** @return {@link #SETTINGS} as the server shows them ({@code SHOW}), in that order */
    Map<String, String> settings() throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(serverUrl, user, password);
                Statement st = c.createStatement()) {
            for (String name : SETTINGS) {
                try (ResultSet rs = st.executeQuery("SHOW " + name)) {
                    rs.next();
                    values.put(name, rs.getString(1));
                }
            }
        }
        return values;
    }

    /** @return whether a server with these settings keeps every committed transaction through a crash */
    static boolean durable(Map<String, String> settings) {
        return "on".equals(settings.get("fsync")) && !"off".equals(settings.get("synchronous_commit"))
                && "on".equals(settings.get("full_page_writes"));
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
