package io.quarkiverse.shigoto.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.quarkus.deployment.builditem.Startable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL server (the zonky binaries the project's own tests run on), started by Quarkus before the
 * application and closed with it.
 * <p>
 * In dev mode its data directory is kept, so jobs survive a restart of {@code quarkus:dev}; a server left running by
 * a killed dev-mode JVM is asked to stop first. In test mode every start begins with an empty database that is
 * deleted when the server stops.
 */
final class EmbeddedPostgresService implements Startable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresService.class);
    static final String USER = "postgres";
    static final String DATABASE = "postgres";

    private final Path workDirectory;
    private final Optional<Path> keptData;
    private final Optional<Integer> port;
    private final String datasource;
    private EmbeddedPostgres server;

    /**
     * @param workDirectory where the binaries are unpacked and, in test mode, the throw-away data directories live
     * @param keptData the data directory kept across starts, or empty for a fresh one per start
     * @param port the port to listen on, or empty for a free one
     * @param datasource the datasource it serves, for the log line
     */
    EmbeddedPostgresService(Path workDirectory, Optional<Path> keptData, Optional<Integer> port, String datasource) {
        this.workDirectory = workDirectory;
        this.keptData = keptData;
        this.port = port;
        this.datasource = datasource;
    }

    @Override
    public void start() {
        try {
            Files.createDirectories(workDirectory);
            Path data;
            if (keptData.isPresent()) {
                data = keptData.get();
                Files.createDirectories(data);
                stopLeftOverServer(data);
            } else {
                data = Files.createTempDirectory(workDirectory, "test-data-");
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(workDirectory.toFile())
                    .setDataDirectory(data)
                    .setCleanDataDirectory(keptData.isEmpty())
                    // TCP on localhost only: a socket path under a deep project directory can exceed the OS limit
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("listen_addresses", "localhost");
            port.ifPresent(builder::setPort);
            // the server's own output goes to a file beside its data; zonky's chatter about unpacking is turned down
            Path log = workDirectory.resolve("postgres.log");
            builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
            quietUnlessConfigured("io.zonky.test.db.postgres");
            try {
                server = builder.start();
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("Missing embedded postgres binaries")) {
                    throw e;
                }
                throw new IllegalStateException("Dev Services for shigoto found no embedded PostgreSQL binaries for "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + " on the build class"
                        + " path (the deployment module brings them per platform through Maven profiles: Linux"
                        + " x86-64/arm64, macOS x86-64/arm64, Windows x86-64). Configure "
                        + "quarkus.datasource.jdbc.url, start Docker or Podman for Quarkus's PostgreSQL Dev Service, or"
                        + " set quarkus.shigoto.devservices.enabled=false", e);
            }
            LOG.infof(
                    "Dev Services for shigoto: an embedded PostgreSQL for the %s listens at %s (data in %s%s, server log in %s)."
                            + " No container runtime was found for Quarkus's PostgreSQL Dev Service; set"
                            + " quarkus.shigoto.devservices.enabled=false to turn this off",
                    datasource, jdbcUrl(), data,
                    keptData.isPresent() ? ", kept across restarts" : ", deleted when it stops", log);
        } catch (IOException e) {
            throw new UncheckedIOException("Dev Services for shigoto could not start an embedded PostgreSQL in "
                    + workDirectory + ": " + e.getMessage(), e);
        }
    }

    /** Turns a logger down to warnings, unless the application configured its level. */
    private static void quietUnlessConfigured(String category) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
        if (logger.getLevel() == null) {
            logger.setLevel(java.util.logging.Level.WARNING);
        }
    }

    /** @return the JDBC URL of the running server */
    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
    }

    /** @return the URL of the running server in the form of the Vert.x reactive client */
    String reactiveUrl() {
        return "postgresql://localhost:" + server.getPort() + "/" + DATABASE;
    }

    @Override
    public String getConnectionInfo() {
        return server == null ? null : jdbcUrl();
    }

    @Override
    public String getContainerId() {
        return null;
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * A dev-mode JVM that was killed leaves its server running, holding the data directory: PostgreSQL's own lock
     * file names its process. A live process of that id that is a PostgreSQL server is asked to stop (SIGTERM, a
     * smart shutdown: its clients died with the JVM), and given 15 seconds.
     */
    private static void stopLeftOverServer(Path data) throws IOException {
        Path lock = data.resolve("postmaster.pid");
        if (!Files.exists(lock)) {
            return;
        }
        List<String> lines = Files.readAllLines(lock, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> left = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (left.isEmpty()) {
            return;
        }
        LOG.infof("Dev Services for shigoto: stopping the embedded PostgreSQL (pid %d) a previous dev-mode run left"
                + " on %s", pid, data);
        ProcessHandle process = left.get();
        process.destroy();
        try {
            process.onExit().get(15, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the PostgreSQL server (pid " + pid + ") a previous dev-mode run left on " + data
                    + " did not stop within 15 seconds: stop it, or delete that directory");
        } catch (ExecutionException e) {
            throw new IOException("could not wait for the PostgreSQL server (pid " + pid + ") to stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the PostgreSQL server (pid " + pid + ") to stop");
        }
    }
}
