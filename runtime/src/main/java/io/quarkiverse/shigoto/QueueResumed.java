package io.quarkiverse.shigoto;

/**
 * CDI event: a queue was resumed on every node ({@link Shigoto#resumeQueue(String)}, the dashboard and its API). Fired
 * for every resume request that was stored, also when the queue was not paused.
 *
 * @param queue the queue
 * @param node the node that took the request
 */
public record QueueResumed(String queue, String node) implements QueueEvent {
}
