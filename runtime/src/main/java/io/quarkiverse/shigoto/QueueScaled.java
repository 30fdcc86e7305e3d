package io.quarkiverse.shigoto;

/**
 * CDI event: a queue's concurrency was set on every node ({@link Shigoto#scaleQueue(String, int)}, the dashboard and
 * its API).
 *
 * @param queue the queue
 * @param node the node that took the request
 * @param concurrency the slots each node now gives the queue (0 runs none)
 */
public record QueueScaled(String queue, String node, int concurrency) implements QueueEvent {
}
