package io.quarkiverse.shigoto;

/**
 * A change to a queue's controls, fired as a CDI event on the node that took the request, once the change is stored
 * (and so on its way to every node): {@link QueuePaused}, {@link QueueResumed}, {@link QueueScaled}. Observe one type,
 * or {@code QueueEvent} for all:
 *
 * <pre>
 * void on(&#64;Observes QueuePaused paused) {
 *     audit.log("queue " + paused.queue() + " paused on " + paused.node());
 * }
 * </pre>
 */
public interface QueueEvent {

    /** @return the queue */
    String queue();

    /** @return the node that took the request */
    String node();
}
