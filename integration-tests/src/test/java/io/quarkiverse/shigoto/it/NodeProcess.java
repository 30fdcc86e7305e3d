package io.quarkiverse.shigoto.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the packaged application ({@code target/quarkus-app/quarkus-run.jar}, or the jar named by the
 * {@code shigoto.it.runner} system property) in a JVM of its own: a node of a cluster. Its output goes to a log file.
 * Whatever ends the test, the process ends with it: {@link #close()} and a shutdown hook of the test JVM kill it.
 */
record NodeProcess(String id, Process process, Path log, Thread killOnExit) implements AutoCloseable {

    /** The exit status of a JVM killed by SIGKILL (128 + 9). */
    static final int KILLED = 137;
    /**
     * The exit status of a JVM that ran its shutdown hooks after SIGTERM (128 + 15): the JVM's own status for a stop
     * by that signal, however cleanly the application stopped.
     */
    static final int TERMINATED = 143;

    /**
     * Starts a node.
     *
     * @param id its node id
     * @param config system properties of the application (datasource, shigoto settings)
     * @param logs the folder of its log file
     */
    static NodeProcess start(String id, Map<String, String> config, Path logs) throws IOException {
        Path runner = Path.of(System.getProperty("shigoto.it.runner", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException(runner.toAbsolutePath() + " is missing: package the application first");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        Map<String, String> properties = new TreeMap<>(config);
        properties.put("quarkus.shigoto.node-id", id);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", runner.toAbsolutePath().toString()));
        Files.createDirectories(logs);
        Path log = logs.resolve(id + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Thread killOnExit = new Thread(process::destroyForcibly, "kill-" + id);
        Runtime.getRuntime().addShutdownHook(killOnExit);
        return new NodeProcess(id, process, log, killOnExit);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the JVM with SIGKILL ({@code kill -9}): no shutdown hook, no goodbye to the database.
     *
     * @return its exit status
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(id + " outlived SIGKILL by 30 s");
        }
        return process.exitValue();
    }

    /** Sends SIGTERM, as an orchestrator stopping the instance would. */
    void terminate() {
        process.destroy();
    }

    /** @return the exit status, or empty if the process still runs after {@code patience} */
    OptionalInt awaitExit(Duration patience) throws InterruptedException {
        return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue())
                : OptionalInt.empty();
    }

    /** @return the last lines of its log, to explain a failure */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "---- " + id + " (" + log + ")\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the test JVM is exiting: the hook runs anyway
        }
    }
}
