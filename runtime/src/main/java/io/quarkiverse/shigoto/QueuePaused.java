package io.quarkiverse.shigoto;

/**
 * CDI event: a queue was paused on every node ({@link Shigoto#pauseQueue(String)}, the dashboard and its API).
 *
 * @param queue the queue
 * @param node the node that took the request
 */
public record QueuePaused(String queue, String node) implements QueueEvent {
}
