package io.quarkiverse.shigoto;

import java.util.List;

/**
 * A workflow was rejected before anything was stored: a step name used twice, a step coming after a step the workflow
 * lacks, a cycle, or a step whose job request is wrong. The message lists every problem; {@link #steps()} names the
 * steps involved.
 */
public class InvalidWorkflowException extends InvalidJobException {

    private static final long serialVersionUID = 1L;

    private final List<String> steps;

    public InvalidWorkflowException(String message, List<String> steps) {
        super(message);
        this.steps = List.copyOf(steps);
    }

    /** @return the names of the steps the problems are about, each once, in the order found */
    public List<String> steps() {
        return steps;
    }
}
