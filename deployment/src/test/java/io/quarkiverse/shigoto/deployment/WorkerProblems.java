package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

/**
 * Reads the problems out of the build failure of invalid {@code @Job} workers.
 */
final class WorkerProblems {

    private static final String HEADER = "Invalid shigoto @Job workers (";

    private WorkerProblems() {
    }

    /**
     * @param failure what the build threw
     * @return the problem lines, each {@code <class name>: <problem>} (or one line for a kind several classes claim),
     *         after checking the header counts them
     */
    static List<String> of(Throwable failure) {
        Throwable t = failure;
        while (t != null && (t.getMessage() == null || !t.getMessage().startsWith(HEADER))) {
            t = t.getCause();
        }
        assertThat(t).as("a cause of %s starting with '%s'", failure, HEADER).isNotNull();
        assertThat(t.getClass().getName()).isEqualTo("io.quarkus.runtime.configuration.ConfigurationException");
        List<String> lines = Arrays.asList(t.getMessage().split("\n"));
        List<String> problems = lines.subList(1, lines.size()).stream()
                .peek(line -> assertThat(line).startsWith("  - "))
                .map(line -> line.substring("  - ".length()))
                .toList();
        assertThat(lines.get(0)).isEqualTo(HEADER + problems.size() + " problems):");
        return problems;
    }

    /** @return a problem line as the build reports it: the worker's class name, then the problem */
    static String line(Class<?> worker, String problem) {
        return worker.getName() + ": " + problem;
    }
}
